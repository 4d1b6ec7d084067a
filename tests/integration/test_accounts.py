"""Applicant accounts through the API: sign up, confirm by email code, sign in, reset the password.

moto stands in for Cognito: it sends no email and accepts any confirmation code, so these tests
prove our side (validation, messages, statuses) and that the tokens work on the case API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.helpers import body


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


def post(client: Client, path: str, **payload: Any) -> Any:
    return client.http.post(
        f"/api/account/{path}", headers={"Content-Type": "application/json"}, body=json.dumps(payload)
    )


def test_sign_up_confirm_sign_in_and_use_the_token(client) -> None:
    created = post(client, "signup", username="Siti.Rahayu", password="rahasia123", email="Siti@Contoh.ID")
    assert created.status_code == 201, created.body
    assert body(created)["username"] == "siti.rahayu"
    unconfirmed = post(client, "signin", username="siti.rahayu", password="rahasia123")
    assert unconfirmed.status_code == 403 and body(unconfirmed)["error"]["code"] == "unconfirmed"
    assert post(client, "confirm", username="siti.rahayu", code="123456").status_code == 200
    signed_in = post(client, "signin", username="SITI.RAHAYU", password="rahasia123")
    assert signed_in.status_code == 200
    tokens = body(signed_in)
    assert tokens["email"] == "siti@contoh.id" and tokens["refresh_token"]
    mine = client.http.get("/api/cases", headers={"Authorization": f"Bearer {tokens['id_token']}"})
    assert mine.status_code == 200 and body(mine) == {"cases": []}
    refreshed = post(client, "refresh", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200 and body(refreshed)["id_token"]


def test_an_idn_domain_is_kept_in_the_ascii_form_ses_delivers_to(client) -> None:
    """Issue 12: `bücher.id` went to SES unencoded and SES refused it (the card email dead-lettered)."""
    created = post(client, "signup", username="budi.idn", password="rahasia123", email="Budi@Bücher.id")
    assert created.status_code == 201, created.body
    assert post(client, "confirm", username="budi.idn", code="123456").status_code == 200
    signed_in = body(post(client, "signin", username="budi.idn", password="rahasia123"))
    assert signed_in["email"] == "budi@xn--bcher-kva.id"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "ab", "password": "rahasia123", "email": "a@b.id"}, "username"),
        ({"username": "budi santoso", "password": "rahasia123", "email": "a@b.id"}, "username"),
        ({"username": "budi", "password": "pendek1", "email": "a@b.id"}, "password"),
        ({"username": "budi", "password": "tanpaangka", "email": "a@b.id"}, "password"),
        ({"username": "budi", "password": "rahasia123", "email": "bukan-email"}, "email"),
        ({"username": "budi", "password": "rahasia123", "email": "bücher@contoh.id"}, "email"),  # SES: no
    ],
)
def test_bad_sign_up_names_the_field_in_indonesian(client, payload, field) -> None:
    refused = post(client, "signup", **payload)
    assert refused.status_code == 400
    assert body(refused)["error"]["field"] == field


def test_taken_user_id_is_409(client) -> None:
    assert post(client, "signup", username="budi", password="rahasia123", email="a@b.id").status_code == 201
    taken = post(client, "signup", username="budi", password="rahasia456", email="c@d.id")
    assert taken.status_code == 409 and "sudah dipakai" in body(taken)["error"]["message"]


def test_wrong_password_is_401_without_saying_which_part_was_wrong(client) -> None:
    post(client, "signup", username="budi", password="rahasia123", email="a@b.id")
    post(client, "confirm", username="budi", code="123456")
    wrong = post(client, "signin", username="budi", password="salah12345")
    unknown = post(client, "signin", username="tidakada", password="salah12345")
    assert wrong.status_code == unknown.status_code == 401
    assert body(wrong)["error"]["message"] == body(unknown)["error"]["message"]


def test_forgotten_password_is_reset_with_the_emailed_code(client) -> None:
    post(client, "signup", username="budi", password="rahasia123", email="budi@contoh.id")
    post(client, "confirm", username="budi", code="123456")
    assert post(client, "forgot", username="budi").status_code == 200
    bad = post(client, "reset", username="budi", code="abc", password="baru12345")
    assert bad.status_code == 400 and body(bad)["error"]["field"] == "code"
    assert post(client, "reset", username="budi", code="654321", password="baru12345").status_code == 200
    assert post(client, "signin", username="budi", password="baru12345").status_code == 200


def test_forgot_for_an_unknown_user_gives_the_same_answer(client) -> None:
    post(client, "signup", username="budi", password="rahasia123", email="budi@contoh.id")
    known, unknown = post(client, "forgot", username="budi"), post(client, "forgot", username="tidakada")
    assert known.status_code == unknown.status_code == 200
    assert body(known) == body(unknown) == {"destination": None}  # where it went would tell them apart


def test_reset_for_an_unknown_user_is_the_wrong_code_answer(client, monkeypatch) -> None:
    """Issue 12: reset must not tell an unknown user id from a known one with a wrong code."""
    from botocore.exceptions import ClientError

    from chalicelib.adapters import accounts

    post(client, "signup", username="budi", password="rahasia123", email="budi@contoh.id")
    unknown = post(client, "reset", username="tidakada", code="123456", password="baru12345")

    class WrongCode:  # moto accepts any code; Cognito answers a wrong one so
        def confirm_forgot_password(self, **kwargs: Any) -> None:
            error = {"Code": "CodeMismatchException", "Message": "Invalid code"}
            raise ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}, "Confirm")

    monkeypatch.setattr(accounts, "client", lambda service: WrongCode())
    wrong = post(client, "reset", username="budi", code="123456", password="baru12345")
    assert unknown.status_code == wrong.status_code == 400
    assert body(unknown) == body(wrong) and body(wrong)["error"]["field"] == "code"


def test_confirmation_code_must_be_digits(client) -> None:
    refused = post(client, "confirm", username="budi", code="")
    assert refused.status_code == 400 and body(refused)["error"]["field"] == "code"


def test_a_new_confirmation_code_can_be_asked_for(client) -> None:
    post(client, "signup", username="budi", password="rahasia123", email="budi@contoh.id")
    again = post(client, "resend", username="budi")
    assert again.status_code == 200 and set(body(again)) == {"destination"}
    assert "budi@contoh.id" not in json.dumps(body(again))  # where it went, masked
    assert post(client, "confirm", username="budi", code="123456").status_code == 200


def test_a_failing_identity_provider_is_a_503_to_try_again(client, monkeypatch) -> None:
    """Cognito failing on its side (HTTP 500) is not the person's fault: try again shortly."""
    from botocore.exceptions import ClientError

    from chalicelib.adapters import accounts

    class Failing:
        def list_users(self, **kwargs: Any) -> dict[str, Any]:
            return {"Users": []}

        def sign_up(self, **kwargs: Any) -> None:
            error = {"Code": "InternalErrorException", "Message": "Internal error"}
            raise ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": 500}}, "SignUp")

    monkeypatch.setattr(accounts, "client", lambda service: Failing())
    busy = post(client, "signup", username="budi", password="rahasia123", email="a@b.id")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "Coba lagi" in body(busy)["error"]["message"]
