"""Staff pages: sign-in errors, CSRF, and the boundary between offices and roles."""

from __future__ import annotations

import contextlib
import html
import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import AuditEvent, Case, WorkItem
from tests.conftest import wait_for
from tests.helpers import Applicant, Officer, body, login_form, staff_login

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


@pytest.fixture
def real_time(aws, monkeypatch):  # type: ignore[no-untyped-def]
    """Standard times as the SOP gives them (not the tests' 0.01 s a minute): no step times out
    and is escalated while a test counts what one request costs, however busy the machine."""
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()


@contextlib.contextmanager
def _aws_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The AWS operations this thread calls inside the block (chalice's test client answers on
    it; moto's execution threads, calling AWS meanwhile, are not counted)."""
    from botocore.client import BaseClient

    calls: list[str] = []
    original = BaseClient._make_api_call
    mine = threading.current_thread()

    def counted(self: Any, operation: str, params: Any) -> Any:
        if threading.current_thread() is mine:
            calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    try:
        yield calls
    finally:
        monkeypatch.setattr(BaseClient, "_make_api_call", original)


def _submitted_case(client, applicant) -> WorkItem:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    budi.confirm(case_id, budi.upload(case_id))
    assert budi.submit(case_id).status_code == 200
    return wait_for(lambda: [i for i in WorkItem.query(f"CASE#{case_id}") if isinstance(i, WorkItem)])[0]


def test_login_page_is_indonesian_and_phone_ready(client) -> None:
    page = client.http.get("/staff/login").body.decode()
    assert 'lang="id"' in page and "Masuk petugas" in page and 'name="viewport"' in page


def test_wrong_password_is_a_clear_401(client, staff) -> None:
    username, _ = staff("petugas1", "kab-pasuruan.petugas_antar_kerja")
    response = staff_login(client, username, "salah")
    assert response.status_code == 401
    page = response.body.decode()
    assert "Nama pengguna atau kata sandi salah." in page and f'value="{username}"' in page


def test_empty_login_form_is_400(client) -> None:
    assert staff_login(client, "", "").status_code == 400


def test_inbox_without_session_redirects_to_login(client) -> None:
    response = client.http.get("/staff")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/login")


def test_session_cookie_is_httponly(client, staff) -> None:
    username, password = staff("petugas1", "kab-pasuruan.petugas_antar_kerja")
    response = staff_login(client, username, password)
    cookie = next(c for c in response.headers["Set-Cookie"] if c.startswith("loket_staff="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_decision_without_csrf_token_is_refused(client, applicant, staff) -> None:
    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    response = officer.decide(item.case_id, item.SK, "approve", csrf="0" * 40)
    assert "galat=" in response.headers["Location"]
    assert WorkItem.get(item.PK, item.SK).status == "open"


def test_staff_of_another_office_see_and_decide_nothing(client, applicant, staff) -> None:
    item = _submitted_case(client, applicant)
    tangerang = Officer(client, *staff("staf-tng", "kota-tangerang.petugas_antar_kerja"))
    assert item.case_id not in tangerang.inbox()
    response = tangerang.decide(item.case_id, item.SK, "approve")
    assert "galat=" in response.headers["Location"] and "tidak%20ditemukan" in response.headers["Location"]
    assert WorkItem.get(item.PK, item.SK).status == "open"


def test_another_role_of_the_same_office_cannot_decide(client, applicant, staff) -> None:
    item = _submitted_case(client, applicant)
    kadis = Officer(client, *staff("kadis", "kab-pasuruan.kadis"))
    assert item.case_id not in kadis.inbox()
    response = kadis.decide(item.case_id, item.SK, "approve")
    assert "peran%20lain" in response.headers["Location"]
    assert WorkItem.get(item.PK, item.SK).status == "open"


def test_unknown_decision_is_refused(client, applicant, staff) -> None:
    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    assert "galat=" in officer.decide(item.case_id, item.SK, "hapus").headers["Location"]
    assert WorkItem.get(item.PK, item.SK).status == "open"


def test_identity_provider_down_shows_a_clear_page(client, staff, request) -> None:
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    request.getfixturevalue("identity_down")
    response = client.http.get("/staff", headers={"Cookie": officer.cookie})
    assert response.status_code == 503 and "tidak dapat dihubungi" in response.body.decode()


def test_step_functions_down_puts_the_item_back_in_the_queue(client, applicant, staff, monkeypatch) -> None:
    from botocore.exceptions import EndpointConnectionError

    from chalicelib.adapters import workflow

    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))

    def unreachable(token, output):
        raise EndpointConnectionError(endpoint_url="https://states.ap-southeast-3.amazonaws.com")

    monkeypatch.setattr(workflow, "answer_task", unreachable)
    response = officer.decide(item.case_id, item.SK, "approve")
    assert response.status_code == 503 and "tidak dapat dihubungi" in response.body.decode()
    again = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert again.status == "open" and again.GSI1PK == "QUEUE#kab-pasuruan#petugas_antar_kerja"
    assert item.case_id in officer.inbox()
    events = [e for e in AuditEvent.query(item.PK) if isinstance(e, AuditEvent)]
    assert [e.action for e in events] == ["submitted"]  # the decision that did not happen is not there
    case = Case.get(*Case.key(item.case_id), consistent_read=True)
    assert item.step not in (case.officers or {})  # nor on the case


def test_logout_needs_the_csrf_token_and_clears_the_cookie(client, staff) -> None:
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    forged = client.http.post("/staff/logout", headers={**FORM, "Cookie": officer.cookie}, body="csrf=0")
    assert "Set-Cookie" not in forged.headers
    done = client.http.post(
        "/staff/logout", headers={**FORM, "Cookie": officer.cookie}, body=f"csrf={officer.csrf()}"
    )
    assert done.status_code == 303 and "Max-Age=0" in done.headers["Set-Cookie"]


def test_first_sign_in_with_the_emailed_password_sets_a_new_one(client, aws) -> None:
    """An account the office admin created signs in with Cognito's temporary password once."""
    import boto3

    cognito = boto3.client("cognito-idp")
    pool, user = aws["LOKET_STAFF_POOL_ID"], "kab-pasuruan.baru"
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=user,
        TemporaryPassword="Sementara2026x",
        UserAttributes=[{"Name": "email", "Value": "baru@disnaker.test"}],
        MessageAction="SUPPRESS",
    )
    cognito.create_group(UserPoolId=pool, GroupName="kab-pasuruan.staf")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=user, GroupName="kab-pasuruan.staf")

    cookie, csrf = login_form(client)

    def post(path: str, **form: str) -> Any:
        return client.http.post(
            path, headers={**FORM, "Cookie": cookie}, body=urlencode({"csrf": csrf, **form})
        )

    first = post("/staff/login", username=user, password="Sementara2026x")
    page = first.body.decode()
    assert first.status_code == 200 and "Buat kata sandi baru" in page
    found = re.search(r'name="challenge" value="([^"]*)"', page)
    assert found
    challenge = html.unescape(found.group(1))
    mismatch = post(
        "/staff/new-password", username=user, challenge=challenge, password="BaruSekali2026", repeat="x"
    )
    assert mismatch.status_code == 400 and "tidak sama" in mismatch.body.decode()
    done = post(
        "/staff/new-password",
        username=user,
        challenge=challenge,
        password="BaruSekali2026",
        repeat="BaruSekali2026",
    )
    assert done.status_code == 303 and "Set-Cookie" in done.headers
    assert post("/staff/login", username=user, password="BaruSekali2026").status_code == 303


def test_inbox_filters_by_state(client, applicant, staff) -> None:
    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))

    def listed(query: str) -> bool:
        page = client.http.get(f"/staff?{query}", headers={"Cookie": officer.cookie}).body.decode()
        return item.case_id in page

    assert listed("keadaan=bebas") and not listed("keadaan=saya") and not listed("keadaan=lewat")
    officer.post("/staff/claim", case_id=item.case_id, item=item.SK)
    assert listed("keadaan=saya") and not listed("keadaan=bebas")
    assert listed("layanan=uji-sambungan") and not listed("layanan=ak1")


def test_the_case_page_reads_the_case_in_one_query_and_the_decrees_once(
    client, applicant, staff, monkeypatch
) -> None:
    """Issue 16: the case page read the case, its work items and its trail in three calls and the
    officer's decrees three times (8 calls). Now: the sign-in session, one Query of the case's
    partition and the decrees once; and the page still shows the file."""
    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    officer.inbox()  # signed in
    with _aws_calls(monkeypatch) as calls:
        response = officer.case_page(item.case_id)
    assert response.status_code == 200 and item.case_id[-6:].upper() in response.body.decode().upper()
    assert sorted(calls) == ["GetItem", "Query", "Query"], calls


def test_a_decision_reads_its_item_and_case_in_one_call(
    client, real_time, applicant, staff, monkeypatch
) -> None:
    """Issue 16: a decision read the work item and the case in two GetItems; now one consistent
    BatchGetItem. What else it costs is named here, so a new call is a decision, not a drift."""
    item = _submitted_case(client, applicant)
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    token = officer.csrf()  # signed in, the form's token read from a page
    with _aws_calls(monkeypatch) as calls:
        response = officer.decide(item.case_id, item.SK, "approve", csrf=token)
    assert "pesan=" in response.headers["Location"], response.headers
    assert sorted(calls) == sorted(
        [
            "GetItem",  # the sign-in session
            "BatchGetItem",  # the work item and the case
            "Query",  # the officer's decrees
            "TransactWriteItems",  # the decision: item, case, audit event
            "SendTaskSuccess",
            "UpdateItem",  # the decision marked as heard
            "TransactWriteItems",  # the day's tallies, once
        ]
    ), calls
