"""Sessions end at once (issue 12): a staff cookie after sign-out or after the office admin disabled
the account, an applicant's token after sign-out; and the sign-in form's CSRF token."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import identity
from chalicelib.adapters.models import SignInSession
from chalicelib.services import sessions
from tests.helpers import Officer, body, cookies_set, login_form, staff_login

PETUGAS = "kab-pasuruan.petugas_antar_kerja"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


def signed_out(response: Any) -> bool:
    """The staff pages' answer to a cookie that no longer counts: back to the sign-in page."""
    return response.status_code == 303 and response.headers["Location"].endswith("/staff/login")


def kept_sessions(pool: str, username: str) -> list[SignInSession]:
    return list(SignInSession.query(SignInSession.partition(pool, username), consistent_read=True))


# --- staff: sign-out and disabling ------------------------------------------------------------------


def test_the_cookie_after_sign_out_is_sent_to_sign_in_in_every_browser(client, staff) -> None:
    """Issue 12: the cookie kept working for 8 hours after sign-out."""
    credentials = staff("petugas1", PETUGAS)
    desk, phone = Officer(client, *credentials), Officer(client, *credentials)  # two browsers
    assert "petugas1" in desk.inbox() and "petugas1" in phone.inbox()
    token = desk.csrf()
    out = client.http.post("/staff/logout", headers={**FORM, "Cookie": desk.cookie}, body=f"csrf={token}")
    assert out.status_code == 303 and "Max-Age=0" in out.headers["Set-Cookie"]
    assert signed_out(client.http.get("/staff", headers={"Cookie": desk.cookie}))
    assert signed_out(client.http.get("/staff", headers={"Cookie": phone.cookie}))  # signed out everywhere
    decided = client.http.post(
        "/staff/claim", headers={**FORM, "Cookie": desk.cookie}, body=f"csrf={token}&case_id=x&item=y"
    )
    assert signed_out(decided)  # a form kept open is refused too
    assert kept_sessions("staff", "petugas1") == []
    assert "petugas1" in Officer(client, *credentials).inbox()  # signing in again works


def test_a_disabled_account_is_refused_at_once(client, staff) -> None:
    """Issue 12: a disabled account's cookie kept working for 8 hours."""
    siti = Officer(client, *staff("kab-pasuruan.siti", PETUGAS))
    admin = Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))
    assert "kab-pasuruan.siti" in siti.inbox()
    done = admin.post("/staff/admin/accounts/status", kantor="kab-pasuruan", username="kab-pasuruan.siti")
    assert done.status_code == 303 and "sesinya%20diakhiri" in done.headers["Location"]
    assert signed_out(client.http.get("/staff", headers={"Cookie": siti.cookie}))
    assert signed_out(client.http.get("/staff/cari", headers={"Cookie": siti.cookie}))
    assert staff_login(client, "kab-pasuruan.siti", "PetugasLoket2026").status_code == 401
    assert "kab-pasuruan.admin" in admin.inbox()  # the admin's own session is untouched


def test_a_sign_in_racing_a_disable_keeps_no_session(client, staff, monkeypatch) -> None:
    """The account is disabled after Cognito accepted the password and before the session was
    written (disabling found no session to end): the sign-in sees it and is refused."""
    from chalicelib.adapters.identity import Principal
    from chalicelib.services.administration import accounts

    username, password = staff("kab-pasuruan.siti", PETUGAS)
    staff("kab-pasuruan.admin", "kab-pasuruan.admin")
    admin = Principal("sub", "kab-pasuruan.admin", ("kab-pasuruan.admin",))
    real_sign_in = identity.sign_in

    def answered_then_disabled(client_id: str, name: str, secret: str) -> str:
        token = real_sign_in(client_id, name, secret)
        accounts.set_enabled(admin, "kab-pasuruan", username, False)  # the admin, at that moment
        return token

    monkeypatch.setattr(identity, "sign_in", answered_then_disabled)
    refused = staff_login(client, username, password)
    assert refused.status_code == 401 and "loket_staff" not in cookies_set(refused)
    assert kept_sessions("staff", username) == []


def test_taking_a_role_away_ends_the_accounts_sessions(client, staff) -> None:
    siti = Officer(client, *staff("kab-pasuruan.siti", PETUGAS, "kab-pasuruan.kabid"))
    admin = Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))
    done = admin.post(
        "/staff/admin/accounts/roles",
        kantor="kab-pasuruan",
        username="kab-pasuruan.siti",
        role="kabid",
        change="remove",
    )
    assert done.status_code == 303 and "berlaku%20saat%20itu%20juga" in done.headers["Location"]
    assert signed_out(client.http.get("/staff", headers={"Cookie": siti.cookie}))


def test_a_token_with_no_session_is_refused(client, aws, staff) -> None:
    """A token Cognito issued to someone who did not sign in through Loket has no session."""
    import boto3

    username, password = staff("petugas1", PETUGAS)
    token = boto3.client("cognito-idp").initiate_auth(
        ClientId=aws["LOKET_STAFF_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]["IdToken"]
    assert signed_out(client.http.get("/staff", headers={"Cookie": f"loket_staff={token}"}))
    sessions.open_for(sessions.STAFF, token)
    assert client.http.get("/staff", headers={"Cookie": f"loket_staff={token}"}).status_code == 200


# --- the sign-in form's CSRF token -------------------------------------------------------------------


def test_a_sign_in_without_the_forms_token_is_refused_with_a_fresh_form(client, staff, monkeypatch) -> None:
    """Issue 12: the staff sign-in form had no CSRF token (another site could sign a person in)."""
    username, password = staff("petugas1", PETUGAS)
    asked: list[str] = []
    real_sign_in = identity.sign_in
    monkeypatch.setattr(identity, "sign_in", lambda *args: asked.append(args[1]) or real_sign_in(*args))
    cookie, token = login_form(client)
    other_cookie, _ = login_form(client)
    attempts = {
        "no token, no cookie": ({}, f"username={username}&password={password}"),
        "no token": ({"Cookie": cookie}, f"username={username}&password={password}"),
        "a wrong token": ({"Cookie": cookie}, f"csrf={'0' * 40}&username={username}&password={password}"),
        "another browser's cookie": (
            {"Cookie": other_cookie},
            f"csrf={token}&username={username}&password={password}",
        ),
        "the session's kind of token": (
            {"Cookie": cookie},
            f"csrf={'a' * 40}&username={username}&password={password}",
        ),
    }
    for name, (headers, form) in attempts.items():
        refused = client.http.post("/staff/login", headers={**FORM, **headers}, body=form)
        page = refused.body.decode()
        assert refused.status_code == 403, name
        assert "Formulir masuk sudah kedaluwarsa" in page and 'name="csrf"' in page, name
        fresh = cookies_set(refused).get("loket_masuk", "")
        assert fresh and fresh not in cookie, name  # a new cookie, and the form's token made from it
        new_token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
        assert new_token != token and f'value="{username}"' in page, name
    assert asked == []  # Cognito was never asked
    signed_in = client.http.post(
        "/staff/login",
        headers={**FORM, "Cookie": cookie},
        body=f"csrf={token}&username={username}&password={password}",
    )
    assert signed_in.status_code == 303 and asked == [username]
    assert cookies_set(signed_in)["loket_masuk"] == ""  # the sign-in cookie is cleared


def test_the_first_password_form_needs_the_token_too(client) -> None:
    form = "username=kab-pasuruan.baru&challenge=" + "x" * 40 + "&password=Baru2026Baru&repeat=Baru2026Baru"
    refused = client.http.post("/staff/new-password", headers=FORM, body=form)
    assert refused.status_code == 403 and "Formulir masuk sudah kedaluwarsa" in refused.body.decode()


def test_an_odd_sign_in_cookie_gets_a_new_form(client) -> None:
    for cookie in ("loket_masuk=", "loket_masuk=" + "x" * 6000, 'loket_masuk="a;b"', "loket_masuk=é"):
        page = client.http.get("/staff/login", headers={"Cookie": cookie})
        assert page.status_code == 200 and "loket_masuk" in cookies_set(page), cookie


# --- applicants -------------------------------------------------------------------------------------


def post(client: Client, path: str, token: str | None = None, **payload: Any) -> Any:
    headers = {**JSON, **({"Authorization": f"Bearer {token}"} if token else {})}
    return client.http.post(f"/api/account/{path}", headers=headers, body=json.dumps(payload))


def test_the_applicants_token_after_sign_out_is_401(client, applicant) -> None:
    """Issue 12: sign-out revokes the refresh token, and the id token stops being accepted."""
    applicant("budi")
    phone = body(post(client, "signin", username="budi", password="Rahasia123"))
    laptop = body(post(client, "signin", username="budi", password="Rahasia123"))
    for device in (phone, laptop):
        assert (
            client.http.get(
                "/api/cases", headers={"Authorization": f"Bearer {device['id_token']}"}
            ).status_code
            == 200
        )
    out = post(client, "signout", phone["id_token"])
    assert out.status_code == 200 and body(out) == {"signed_out": True}
    for device in (phone, laptop):
        mine = client.http.get("/api/cases", headers={"Authorization": f"Bearer {device['id_token']}"})
        assert mine.status_code == 401 and body(mine)["error"]["message"]
        again = post(client, "refresh", refresh_token=device["refresh_token"])
        assert again.status_code == 401 and body(again)["error"]["message"] == "Silakan masuk kembali."
    assert post(client, "signout", phone["id_token"]).status_code == 200  # twice: no complaint
    assert post(client, "signout", "a.b.c").status_code == 401
    fresh = body(post(client, "signin", username="budi", password="Rahasia123"))
    assert (
        client.http.get("/api/cases", headers={"Authorization": f"Bearer {fresh['id_token']}"}).status_code
        == 200
    )


def test_a_refreshed_token_keeps_its_session(client, applicant) -> None:
    applicant("budi")
    tokens = body(post(client, "signin", username="budi", password="Rahasia123"))
    refreshed = body(post(client, "refresh", refresh_token=tokens["refresh_token"]))
    headers = {"Authorization": f"Bearer {refreshed['id_token']}"}
    assert client.http.get("/api/cases", headers=headers).status_code == 200
    post(client, "signout", tokens["id_token"])
    assert client.http.get("/api/cases", headers=headers).status_code == 401


def test_an_applicant_token_straight_from_cognito_is_401(client, aws, applicant) -> None:
    """Only a sign-in through Loket's API (throttled) opens a session."""
    import boto3

    applicant("budi")
    token = boto3.client("cognito-idp").initiate_auth(
        ClientId=aws["LOKET_APPLICANT_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "budi", "PASSWORD": "Rahasia123"},
    )["AuthenticationResult"]["IdToken"]
    assert client.http.get("/api/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_sign_out_ends_the_sessions_even_when_cognito_cannot_be_reached(
    client, applicant, monkeypatch
) -> None:
    from botocore.exceptions import EndpointConnectionError

    token = applicant("budi")

    def unreachable(pool_id: str, username: str) -> None:
        raise EndpointConnectionError(endpoint_url="https://cognito-idp.ap-southeast-3.amazonaws.com")

    monkeypatch.setattr(identity, "global_sign_out", unreachable)
    assert post(client, "signout", token).status_code == 200
    assert client.http.get("/api/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_dynamodb_busy_while_checking_a_session_is_a_503(client, applicant, monkeypatch) -> None:
    from botocore.exceptions import ClientError
    from pynamodb.exceptions import GetError

    token = applicant("budi")

    def busy(*args: Any, **kwargs: Any) -> None:
        cause = ClientError({"Error": {"Code": "ThrottlingException"}}, "GetItem")
        raise GetError("busy", cause=cause)

    monkeypatch.setattr(SignInSession, "get", busy)
    answer = client.http.get("/api/cases", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 503 and answer.headers["Retry-After"]
