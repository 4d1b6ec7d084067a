"""The applicant API refuses bad input clearly (Indonesian) and never mixes up applicants."""

from __future__ import annotations

import json
import threading

import pytest
from chalice.test import Client

from app import app
from tests.helpers import PDF, Applicant, body


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def test_health(client) -> None:
    response = client.http.get("/health")
    assert response.status_code == 200 and body(response)["status"] == "ok"


def test_health_with_missing_setting_is_503_with_a_clear_message(client, monkeypatch) -> None:
    from chalicelib.settings import reset_settings

    monkeypatch.delenv("LOKET_TABLE")
    reset_settings()
    response = client.http.get("/health")
    assert response.status_code == 503
    assert "dikonfigurasi" in body(response)["error"]["message"]


def test_no_token_is_401(client) -> None:
    response = client.http.post("/api/cases", headers={"Content-Type": "application/json"}, body="{}")
    assert response.status_code == 401
    assert "masuk" in body(response)["error"]["message"]


def test_forged_token_is_401(client, applicant) -> None:
    token = applicant("budi")
    header, payload, _signature = token.split(".")
    forged = f"{header}.{payload}.AAAA"
    response = Applicant(client, forged).open()
    assert response.status_code == 401


def test_staff_token_is_not_an_applicant_token(client, aws, staff) -> None:
    import boto3

    from chalicelib.services import sessions

    username, password = staff("petugas9", "kab-pasuruan.petugas_antar_kerja")
    token = boto3.client("cognito-idp").initiate_auth(
        ClientId=aws["LOKET_STAFF_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]["IdToken"]
    sessions.open_for(sessions.STAFF, token)  # a staff session open: still no applicant token
    assert Applicant(client, token).open().status_code == 401


def test_same_idempotency_key_gives_one_case(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    first = budi.open("form-aaaa-1")
    second = budi.open("form-aaaa-1")
    assert first.status_code == 201 and second.status_code == 200
    assert body(first)["case_id"] == body(second)["case_id"]
    assert body(budi.open("form-aaaa-2"))["case_id"] != body(first)["case_id"]


def test_an_idempotency_key_reused_for_another_request_is_422(client, applicant) -> None:
    """Issue 12: the same key sent for another office's service silently returned the first case."""
    budi = Applicant(client, applicant("budi"))
    first = budi.open("form-bbbb-1")
    assert first.status_code == 201
    for other in ({"office": "kota-tangerang"}, {"service": "ak1"}):
        reused = budi.open("form-bbbb-1", **other)
        assert reused.status_code == 422, reused.body
        error = body(reused)["error"]
        assert error["field"] == "idempotency_key" and "sudah dipakai" in error["message"]
    assert budi.open("form-bbbb-1").status_code == 200  # the same request again: the same case


def test_missing_idempotency_key_is_refused(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    response = client.http.post(
        "/api/cases",
        headers=budi.headers(),
        body=json.dumps({"office": "kab-pasuruan", "service": "uji-sambungan"}),
    )
    assert response.status_code == 400 and body(response)["error"]["field"] == "idempotency_key"


def test_unknown_service_is_404(client, applicant) -> None:
    response = Applicant(client, applicant("budi")).open(service="tidak-ada")
    assert response.status_code == 404 and "Layanan tidak ditemukan" in body(response)["error"]["message"]


def test_malformed_json_is_400(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    response = client.http.post(
        "/api/cases", headers=budi.headers(**{"Idempotency-Key": "k" * 10}), body="{not json"
    )
    assert response.status_code == 400 and "JSON" in body(response)["error"]["message"]


def test_someone_elses_case_is_not_found(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    siti = Applicant(client, applicant("siti"))
    case_id = body(budi.open())["case_id"]
    assert siti.get(case_id).status_code == 404
    assert siti.slot(case_id).status_code == 404
    assert siti.submit(case_id).status_code == 404
    assert budi.get(case_id).status_code == 200
    assert budi.get("tidak-ada").status_code == 404  # a missing case reads the same as another's


def test_a_status_poll_reads_the_case_and_its_timeline_in_one_query(client, applicant, monkeypatch) -> None:
    """Issue 16: the page polls the status while uploads are checked; each poll is the sign-in
    session's read and one Query of the case's partition (case, audit events, work items)."""
    from botocore.client import BaseClient

    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    budi.confirm(case_id, budi.upload(case_id))
    assert budi.submit(case_id).status_code == 200
    calls: list[str] = []
    original = BaseClient._make_api_call
    me = threading.get_ident()  # this request's calls only: the execution runs on moto's threads

    def counted(self, operation, params):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            calls.append(f"{operation}:{params.get('Key', {}).get('SK', {}).get('S', '')}")
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    view = body(budi.get(case_id))
    assert view["case_id"] == case_id and view["status"] == "submitted" and view["steps"]
    assert [c.split(":")[0] for c in calls] == ["GetItem", "Query"], calls  # the session, then the case


def test_content_type_outside_the_list_is_refused(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    response = budi.slot(case_id, content_type="application/x-msdownload")
    assert response.status_code == 400 and "Jenis berkas tidak diterima" in body(response)["error"]["message"]


def test_upload_policy_limits_size_type_and_key(client, applicant) -> None:
    import base64

    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    post = body(budi.slot(case_id))
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 5 * 1024 * 1024] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"key": post["key"]} in conditions and post["key"].startswith(f"pending/{case_id}/lampiran/")
    # One exact key, never a prefix: the policy cannot write where checked copies are pinned
    # (cases/...), nor any other key (S3 enforces the conditions; moto does not, so the policy
    # document is what is tested here).
    keys = [
        c for c in conditions if (isinstance(c, dict) and "key" in c) or (isinstance(c, list) and "$key" in c)
    ]
    assert keys == [{"key": post["key"]}]


def test_text_renamed_as_pdf_is_refused_after_upload(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    key = budi.upload(case_id, data=b"ini bukan pdf, hanya teks")
    response = budi.confirm(case_id, key)
    assert response.status_code == 422 and "Jenis berkas tidak diterima" in body(response)["error"]["message"]
    assert "lampiran" not in body(budi.get(case_id))["documents"]


def test_oversize_upload_is_refused_after_upload(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    key = budi.upload(case_id, data=PDF + b"0" * (5 * 1024 * 1024))
    response = budi.confirm(case_id, key)
    assert response.status_code == 422 and "terlalu besar" in body(response)["error"]["message"]


def test_key_of_another_case_is_refused(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    mine = body(budi.open("form-mine-1"))["case_id"]
    other = body(budi.open("form-mine-2"))["case_id"]
    key = budi.upload(other)
    assert budi.confirm(mine, key).status_code == 400


def test_submit_without_required_document_is_refused(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    response = budi.submit(case_id)
    assert response.status_code == 422 and "Lampiran" in body(response)["error"]["message"]
    assert body(budi.get(case_id))["status"] == "draft"


def test_documents_are_frozen_after_submission(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    budi.confirm(case_id, budi.upload(case_id))
    assert budi.submit(case_id).status_code == 200
    assert budi.slot(case_id).status_code == 409


def test_offices_lists_both_offices(client) -> None:
    response = client.http.get("/api/offices")
    assert response.status_code == 200
    offices = {o["id"]: o for o in body(response)["offices"]}
    assert set(offices) == {"kab-pasuruan", "kota-tangerang"}
    assert len(offices["kab-pasuruan"]["services"]) == 5 and len(offices["kota-tangerang"]["services"]) == 1


def test_a_page_fetches_only_its_office_and_service(client) -> None:
    whole = body(client.http.get("/api/offices"))["offices"]
    response = client.http.get("/api/offices/kab-pasuruan/services/ak1")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    office = body(response)["office"]
    expected = next(o for o in whole if o["id"] == "kab-pasuruan")
    ak1 = next(s for s in expected["services"] if s["id"] == "ak1")
    assert office == {**expected, "services": [ak1]}  # the same entry, with its one service
    assert len(response.body) * 4 < len(client.http.get("/api/offices").body)
    for missing, field in (
        ("/api/offices/kab-pasuruan/services/tidak-ada", "service"),
        ("/api/offices/tidak-ada/services/ak1", "office"),
        ("/api/offices/kab-pasuruan/services/uji-sambungan", "service"),  # public: false (the wiring check)
    ):
        answer = client.http.get(missing)
        error = body(answer)["error"]
        assert answer.status_code == 404 and "tidak ditemukan" in error["message"]
        assert error["field"] == field  # the page names the office when only the service is missing


def test_identity_provider_down_is_503_not_401(client, applicant, request) -> None:
    token = applicant("budi")
    request.getfixturevalue("identity_down")
    response = Applicant(client, token).open()
    assert response.status_code == 503
    assert "tidak dapat dihubungi" in body(response)["error"]["message"]


def test_concurrent_document_updates_are_not_lost(client, applicant, monkeypatch) -> None:
    from chalicelib.adapters.models import Case
    from chalicelib.services import cases

    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    key = budi.upload(case_id)
    stale = Case.get(*Case.key(case_id))
    fresh = Case.get(*Case.key(case_id))
    fresh.update(actions=[Case.data.set({"email": "budi@contoh.id", "catatan": "dari ponsel kedua"})])
    monkeypatch.setattr(cases, "own_case", lambda sub, cid: stale)
    assert budi.confirm(case_id, key).status_code == 200
    saved = Case.get(*Case.key(case_id), consistent_read=True)
    assert "lampiran" in saved.documents and saved.data["catatan"] == "dari ponsel kedua"
