"""Every answer of the app carries the security headers (chalicelib/security_headers.py): JSON,
staff pages, redirects, error pages, 404s and Chalice's own 405 and 415; the staff case page's
own policy lets it embed exactly the storage links it shows, and those links say what the
object is and how to hand it over (tests/contract/storage.py checks every kind of link on the fake
and on moto's S3); the pages' stylesheets and script are served by the app."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case
from chalicelib.security_headers import COMMON, CSP, DATA_POLICY, html_policy, origin
from chalicelib.services import reference_search
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS
from tests.helpers import PDF, Applicant, Officer, body, staff_login

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PETUGAS = "kab-pasuruan.petugas_antar_kerja"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def assert_secured(response: Any, policy: str) -> None:
    headers = response.headers
    assert headers[CSP] == policy, headers
    for name, value in COMMON.items():
        assert headers[name] == value, (name, headers)


def test_json_answers_carry_the_headers_and_keep_their_own(client, applicant) -> None:
    assert_secured(client.http.get("/health"), DATA_POLICY)
    offices = client.http.get("/api/offices")
    assert_secured(offices, DATA_POLICY)
    assert offices.headers["Cache-Control"] == "public, max-age=300"  # the route's own header stays
    refused = client.http.post("/api/cases", headers={"Content-Type": "application/json"}, body="{}")
    assert refused.status_code == 401
    assert_secured(refused, DATA_POLICY)
    budi = Applicant(client, applicant("budi"))
    missing = client.http.get("/api/cases/tidakada", headers=budi.headers())
    assert missing.status_code == 404 and body(missing)["error"]["message"]
    assert_secured(missing, DATA_POLICY)


def test_chalices_own_refusals_carry_the_headers(client) -> None:
    wrong_method = client.http.request("DELETE", "/health")
    assert wrong_method.status_code == 405
    assert_secured(wrong_method, DATA_POLICY)
    wrong_type = client.http.post("/staff/login", headers={"Content-Type": "application/json"}, body="{}")
    assert wrong_type.status_code == 415
    # on a staff address, a page in Indonesian (api/chalice_errors.py), with a page's policy
    assert wrong_type.headers["Content-Type"].startswith("text/html")
    assert_secured(wrong_type, html_policy())
    api_type = client.http.post("/api/cases", headers={"Content-Type": "text/plain"}, body="{}")
    assert api_type.status_code == 415
    assert_secured(api_type, DATA_POLICY)


def test_staff_pages_redirects_and_error_pages_carry_the_headers(client, staff) -> None:
    login = client.http.get("/staff/login")
    assert login.headers["Content-Type"].startswith("text/html")
    assert_secured(login, html_policy())
    redirect = client.http.get("/staff")
    assert redirect.status_code == 303
    assert_secured(redirect, DATA_POLICY)
    username, _ = staff("petugas1", PETUGAS)
    wrong = staff_login(client, username, "salah")
    assert wrong.status_code == 401 and "Masuk petugas" in wrong.body.decode()
    assert_secured(wrong, html_policy())
    officer = Officer(client, *staff("petugas2", PETUGAS))
    missing = officer.case_page("tidakada")
    assert missing.status_code == 404 and 'role="alert"' in missing.body.decode()
    assert_secured(missing, html_policy())


def test_a_page_links_its_styles_and_script_which_the_app_serves(client) -> None:
    page = client.http.get("/staff/login").body.decode()
    links = re.findall(r'(?:href|src)="(/staff/assets/[^"]+)"', page)
    assert len(links) == 2 and "<style" not in page and " style=" not in page
    for link in links:
        path = link.partition("?")[0]
        served = client.http.get(link)
        assert served.status_code == 200 and served.body
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert served.headers["Content-Type"] == f"{kind}; charset=utf-8"
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert_secured(served, DATA_POLICY)
        assert client.http.get(path + "?v=lama").headers["Cache-Control"] == "no-cache"
        assert client.http.get(path).headers["Cache-Control"] == "no-cache"
    for name in ("tidakada.css", "..%2Fassets.py", "assets.py"):
        missing = client.http.get(f"/staff/assets/{name}")
        assert missing.status_code == 404, name
        assert_secured(missing, DATA_POLICY)


def _parameters(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_the_case_page_embeds_documents_from_links_that_pin_type_and_disposition(
    client, applicant, staff
) -> None:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    budi.confirm(case_id, budi.upload(case_id))
    assert budi.submit(case_id).status_code == 200
    officer = Officer(client, *staff("petugas1", PETUGAS))
    wait_for(lambda: case_id in officer.inbox())

    response = officer.case_page(case_id)
    page = response.body.decode()
    found = re.search(r'<object data="([^"]+)" type="application/pdf"', page)
    assert found, page
    link = unescape(found.group(1))
    # The page's own policy: images and PDFs from that link's origin only, nothing else changed.
    assert_secured(response, html_policy([origin(link)]))
    assert f"object-src {origin(link)};" in response.headers[CSP]
    assert response.headers[CSP].endswith(f"frame-src {origin(link)}")

    wanted = _parameters(link)
    assert wanted["response-content-type"] == "application/pdf"
    assert wanted["response-content-disposition"].startswith('inline; filename="')
    code = reference_search.code_of(Case.get(*Case.key(case_id)))  # the code people read, not the id
    assert wanted["response-content-disposition"].endswith(f"{code}.pdf")
    answer = requests.get(link, timeout=REQUEST_SECONDS)
    assert answer.status_code == 200 and answer.content == PDF
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == wanted["response-content-disposition"]
