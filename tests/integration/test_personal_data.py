"""Personal data on the staff pages (issue 12): the case page shows the NIK, the form and the
documents only to the roles that act on the service's steps, and a NIK is searched by POST only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import national
from chalicelib.services import reference_search
from tests.forms import NIK
from tests.helpers import Officer
from tests.walker import Walk

OFFICE = "kab-pasuruan"
MASKED = NIK[:4] + "*" * 8 + NIK[-4:]
PRESIGNED = re.compile(r"X-Amz-Signature|Signature=|AWSAccessKeyId")


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


@pytest.fixture
def ak1(client, aws, applicant, staff) -> Walk:
    """An AK-1 case filed (form with NIK, KTP, diploma, photo), waiting at the officer's step."""
    walk = Walk(client, aws, applicant, staff, OFFICE, "ak1")
    walk.file()
    assert walk.next_item() is not None
    return walk


def test_the_officer_of_the_service_sees_the_nik_and_the_documents(client, ak1) -> None:
    page = ak1.officer("petugas_antar_kerja").case_page(ak1.case_id)
    html = page.body.decode()
    assert page.status_code == 200
    assert NIK in html and "Data pemohon" in html and "Siti Rahayu".upper() in html.upper()
    assert len(PRESIGNED.findall(html)) >= 3  # the KTP, diploma and photo, each a link


@pytest.mark.parametrize("role", ["admin", "kabid", "staf_perlindungan"])
def test_roles_without_a_step_in_the_service_see_no_personal_data(client, ak1, staff, role) -> None:
    """Issue 12: every role of an office, the office admin included, saw the NIK, KTP, photo and
    diploma of every case. A role without a step in AK-1 sees status, times and the trail only."""
    other = Officer(client, *staff(f"{OFFICE}.lain", f"{OFFICE}.{role}"))
    page = other.case_page(ak1.case_id)
    html = page.body.decode()
    assert page.status_code == 200
    assert NIK not in html and MASKED in html
    assert "Data pemohon" not in html and "Siti Rahayu".upper() not in html.upper()
    assert "SI** RA****" in html.upper()  # the name as the verification page masks it
    assert not PRESIGNED.search(html) and "<img" not in html and "<object" not in html
    assert "Jejak audit" in html and "Berkas diajukan" in html and "Terunggah" in html  # times and trail
    assert "hanya terlihat oleh peran yang mengerjakan" in html


def test_a_delegated_role_sees_what_the_role_sees(client, ak1, staff) -> None:
    """A decree lets a Kasi act as the officer: then the Kasi acts on the service's steps."""
    from chalicelib.adapters.identity import Principal
    from chalicelib.domain.clock import office_today
    from chalicelib.services.administration import decrees

    staff(f"{OFFICE}.admin", f"{OFFICE}.admin")
    kasi = Officer(client, *staff(f"{OFFICE}.kasi", f"{OFFICE}.kasi_penempatan"))
    assert NIK not in kasi.case_page(ak1.case_id).body.decode()
    today = office_today().isoformat()
    decrees.record_decree(
        Principal("sub", f"{OFFICE}.admin", (f"{OFFICE}.admin",)),
        OFFICE,
        decree="800/01/2026",
        from_role="petugas_antar_kerja",
        delegate=f"{OFFICE}.kasi",
        delegate_role="kasi_penempatan",
        kind="Plh",
        valid_from=today,
        valid_to=today,
    )
    assert NIK in kasi.case_page(ak1.case_id).body.decode()


class Forms(HTMLParser):
    """The forms of a page: (method, action, {field: value}) as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((found.get("method", "get").lower(), found.get("action", ""), {}))
        elif tag == "input" and self.forms and found.get("name"):
            self.forms[-1][2][found["name"]] = found.get("value", "")


def test_a_nik_is_searched_by_post_and_never_in_the_request_line(client, ak1, monkeypatch) -> None:
    """Issue 12: searching a NIK on "Cari nomor" was a GET, so the NIK landed in the access log."""
    national.record_reference(
        OFFICE, "siskotkln", "NIK petugas rekrut", NIK, ak1.case_id, "ak1", "nik_petugas_rekrut"
    )
    officer = ak1.officer("petugas_antar_kerja")
    parser = Forms()
    parser.feed(client.http.get("/staff/cari", headers={"Cookie": officer.cookie}).body.decode())
    method, action, fields = next(f for f in parser.forms if f[1].endswith("/staff/cari"))
    fields["rujukan"] = NIK
    # The request a browser makes from this form: a GET form would put the fields in the URL.
    target = action if method == "post" else f"{action}?{urlencode(fields)}"
    request_line = f"{method.upper()} {target} HTTP/1.1"
    assert method == "post" and NIK not in request_line and urlsplit(action).query == ""
    answer = client.http.post(
        action,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": officer.cookie},
        body=urlencode(fields),
    )
    html = answer.body.decode()
    assert answer.status_code == 200 and f"/staff/cases/{ak1.case_id}" in html
    assert not re.search(rf'href="[^"]*{NIK}', html)  # no link carries the NIK either


def test_a_nik_in_the_address_is_not_searched(client, ak1, monkeypatch) -> None:
    searched: list[str] = []
    monkeypatch.setattr(reference_search, "search", lambda who, typed: searched.append(typed) or [])
    officer = ak1.officer("petugas_antar_kerja")
    for query in (NIK, "3514 0157 0895 0001", "BA/0456/2026"):
        answer = client.http.get(
            f"/staff/cari?{urlencode({'rujukan': query})}", headers={"Cookie": officer.cookie}
        )
        html = answer.body.decode()
        assert answer.status_code == 200 and "Pencarian hanya lewat formulir" in html
        assert query not in html and 'method="post"' in html
    assert searched == []


def test_a_search_without_the_forms_token_is_refused(client, ak1, monkeypatch) -> None:
    searched: list[str] = []
    monkeypatch.setattr(reference_search, "search", lambda who, typed: searched.append(typed) or [])
    officer = ak1.officer("petugas_antar_kerja")
    refused = client.http.post(
        "/staff/cari",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": officer.cookie},
        body=urlencode({"csrf": "0" * 40, "rujukan": NIK}),
    )
    assert refused.status_code == 403 and "Sesi formulir kedaluwarsa" in refused.body.decode()
    assert NIK not in refused.body.decode() and searched == []


def test_search_results_mask_the_name_for_roles_without_a_step(client, ak1, staff) -> None:
    admin = Officer(client, *staff(f"{OFFICE}.lain", f"{OFFICE}.admin"))
    found = admin.post("/staff/cari", rujukan=ak1.case_id).body.decode()
    assert f"/staff/cases/{ak1.case_id}" in found and "SI** RA****" in found.upper()
    assert "SITI RAHAYU" not in found.upper()
    mine = ak1.officer("petugas_antar_kerja").post("/staff/cari", rujukan=ak1.case_id).body.decode()
    assert "SITI RAHAYU" in mine.upper()
