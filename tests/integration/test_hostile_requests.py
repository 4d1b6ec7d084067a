"""The hostile list of issue 10: requests that once ended in HTTP 500, each now a clear answer.

One test per kind of fault; each quoted example is one case of its kind."""

from __future__ import annotations

import json

import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.errors import Unavailable
from tests.helpers import Applicant, Officer, body, login_form

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _assert_clear(response, status: int) -> dict:
    assert response.status_code == status, response.body
    answer = body(response)
    assert answer["error"]["message"]  # one Indonesian sentence, never a bare 500
    return answer


def test_confirming_an_empty_upload_is_refused_as_empty(client, applicant) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    key = budi.upload(case_id, b"")  # the presigned POST takes it: only the re-check refuses it
    answer = _assert_clear(budi.confirm(case_id, key), 422)
    assert answer["error"]["message"] == "Berkas kosong. Unggah ulang berkasnya."
    assert answer["error"]["field"] == "lampiran"


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,  # nested 100,000 levels deep
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        "",
        "null",
        "[]",
        '"teks"',
        "{bukan json",
        b"\xff\xfe\x00rusak",
    ],
)
def test_a_malformed_json_body_is_a_400_on_every_kind_of_route(client, applicant, raw) -> None:
    budi = Applicant(client, applicant("budi"))
    for path in ("/api/account/signup", "/api/account/reset", "/api/cases"):
        response = client.http.post(path, headers=budi.headers(**{"Idempotency-Key": "k-1"}), body=raw)
        assert response.status_code < 500, (path, response.status_code, response.body[:200])
        assert body(response)["error"]["message"]


def test_a_body_over_the_limit_is_413(client) -> None:
    huge = json.dumps({"username": "a" * (300 * 1024)})
    _assert_clear(client.http.post("/api/account/signup", headers=JSON, body=huge), 413)


def test_reset_for_an_unknown_user_is_a_clear_refusal(client) -> None:
    payload = {"username": "tidak-ada-orangnya", "code": "123456", "password": "Rahasia123"}
    response = client.http.post("/api/account/reset", headers=JSON, body=json.dumps(payload))
    assert response.status_code < 500, response.body
    assert body(response)["error"]["message"]


@pytest.mark.parametrize("challenge", ["", "x", "pendek", "a" * 5000, "💥" * 10])
def test_first_password_with_a_malformed_challenge_is_a_page_not_a_500(client, staff, challenge) -> None:
    username, _ = staff("baru", "kab-pasuruan.staf")
    form = (
        f"username={username}&challenge={requests.utils.quote(challenge)}"
        "&password=Sandi-Baru-2026&repeat=Sandi-Baru-2026"
    )
    cookie, csrf = login_form(client)
    response = client.http.post(
        "/staff/new-password", headers={**FORM, "Cookie": cookie}, body=f"csrf={csrf}&{form}"
    )
    assert response.status_code == 400, response.status_code
    assert "Sesi penggantian kata sandi habis" in response.body.decode()


def test_aws_busy_on_a_staff_page_is_a_503_with_retry_after(client, staff, monkeypatch) -> None:
    from chalicelib.services import work

    username, password = staff("petugas1", "kab-pasuruan.petugas_antar_kerja")
    cookie = Officer(client, username, password).cookie

    def busy(*args, **kwargs):
        from botocore.exceptions import ClientError

        raise ClientError(
            {
                "Error": {"Code": "ProvisionedThroughputExceededException"},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            },
            "Query",
        )

    monkeypatch.setattr(work, "queue", busy)
    response = client.http.get("/staff", headers={"Cookie": cookie})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "sibuk" in response.body.decode()


def test_an_unexpected_error_is_a_plain_indonesian_500_on_the_api(client, applicant, monkeypatch) -> None:
    from chalicelib.services import cases

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(cases, "list_cases", broken)
    budi = Applicant(client, applicant("budi"))
    response = client.http.get("/api/cases", headers=budi.headers())
    assert response.status_code == 500
    assert body(response)["error"]["message"].startswith("Terjadi kesalahan pada layanan kami")


def test_unavailable_carries_retry_after_on_the_api(client, monkeypatch) -> None:
    from chalicelib.api import routes

    def down():
        raise Unavailable()

    monkeypatch.setattr(routes, "catalogue", down)
    response = client.http.get("/api/offices")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
