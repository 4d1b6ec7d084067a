"""The staff IKM page (staff/ikm_pages.py): who reads it (Kepala Seksi roles, kabid, kadis, admin;
office by office), the figures per service and period against a hand-computed example
(Permenpan RB 14/2017: NRR per element, x 1/9, summed, x 25, category), and the month pickers."""

from __future__ import annotations

import re
import secrets

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import SurveyResponse
from chalicelib.domain import ikm
from tests.helpers import Officer

PASURUAN, TANGERANG = "kab-pasuruan", "kota-tangerang"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _respond(office: str, service: str, month: str, values: list[int]) -> None:
    """One stored response, as services/survey.answer keeps it (no case, no person)."""
    answers = dict(zip(ikm.ELEMENT_KEYS, values, strict=True))
    SurveyResponse(
        *SurveyResponse.key(office, service, month, secrets.token_hex(6)),
        office=office,
        service=service,
        answers=answers,
    ).save()


def _page(officer: Officer, query: str = "") -> tuple[int, str]:
    answer = officer.client.http.get(f"/staff/ikm{query}", headers={"Cookie": officer.cookie})
    return answer.status_code, answer.body.decode()


def _section(html: str, service: str) -> str:
    found = re.search(rf'<section class="card ikm-service" id="ikm-{service}".*?</section>', html, re.S)
    assert found, f"no section for {service}"
    return found.group(0)


def _figure(section: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">(.*?)</(?:dd|td|p)>', section, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _element(section: str, key: str) -> tuple[str, str]:
    row = re.search(rf'<tr data-element="{key}">.*?</tr>', section, re.S)
    assert row, key
    return _figure(row.group(0), "nrr"), _figure(row.group(0), "weighted")


@pytest.fixture
def responses(aws) -> None:
    # Two AK-1 responses in November 2026 (the worked example), one in October, one of Tangerang.
    _respond(PASURUAN, "ak1", "2026-11", [4, 4, 4, 4, 4, 4, 4, 4, 4])
    _respond(PASURUAN, "ak1", "2026-11", [3, 3, 2, 3, 4, 3, 3, 3, 2])
    _respond(PASURUAN, "ak1", "2026-10", [1, 1, 1, 1, 1, 1, 1, 1, 1])
    _respond(TANGERANG, "id-rekomendasi-paspor-cpmi", "2026-11", [2, 2, 2, 2, 2, 2, 2, 2, 2])


def test_the_kasi_reads_the_index_of_a_month_per_element(client, staff, responses) -> None:
    kasi = Officer(client, *staff("kasi_ikm", f"{PASURUAN}.kasi_penempatan"))
    assert 'id="link-ikm"' in kasi.inbox()
    status, html = _page(kasi, "?dari=2026-11")
    assert status == 200, html
    assert "Indeks Kepuasan Masyarakat · Kabupaten Pasuruan" in html
    ak1 = _section(html, "ak1")
    # Hand-computed: NRR = (4 + answer) / 2 per element -> 3.5 3.5 3.0 3.5 4.0 3.5 3.5 3.5 3.0;
    # weighted = NRR / 9; IKM = 31 / 9 = 3.4444; converted = 31 / 9 x 25 = 86.11 -> B (76.61-88.30).
    expected = dict(
        zip(
            ikm.ELEMENT_KEYS,
            ["3.50", "3.50", "3.00", "3.50", "4.00", "3.50", "3.50", "3.50", "3.00"],
            strict=True,
        )
    )
    for key, nrr in expected.items():
        assert _element(ak1, key) == (nrr, f"{float(nrr) / 9:.4f}"), key
    assert _figure(ak1, "respondents") == "2"
    assert _figure(ak1, "unit") == "3.4444"
    assert _figure(ak1, "converted") == "86.11"
    assert _figure(ak1, "grade") == "B Baik"
    assert "Persyaratan" in ak1 and "Sarana dan prasarana" in ak1
    # Every surveyed service of the office has its section; complaints and the wiring check none.
    tka = _section(html, "lapor-keberadaan-tka")
    assert "Belum ada responden pada periode ini." in tka
    assert 'id="ikm-pengaduan"' not in html and 'id="ikm-uji-sambungan"' not in html


def test_a_period_of_months_counts_each_month_once(client, staff, responses) -> None:
    kabid = Officer(client, *staff("kabid_ikm", f"{PASURUAN}.kabid"))
    status, html = _page(kabid, "?dari=2026-10&sampai=2026-11")
    assert status == 200
    ak1 = _section(html, "ak1")
    # Three responses (answer sums 36, 26 and 9): NRR u1 = (4 + 3 + 1) / 3 = 2.67; the sum of the
    # NRRs = 71 / 3, IKM = 71 / 27 = 2.6296, x 25 = 65.74 -> C Kurang Baik (65.00-76.60).
    assert _figure(ak1, "respondents") == "3"
    assert _element(ak1, "u1")[0] == "2.67"
    assert (_figure(ak1, "unit"), _figure(ak1, "converted")) == ("2.6296", "65.74")
    assert _figure(ak1, "grade") == "C Kurang Baik"
    assert "2026-10 sampai 2026-11 (2 bulan)" in html
    # Months the other way round, or malformed, are refused on the page, never a 5xx.
    for query in ("?dari=2026-11&sampai=2026-10", "?dari=2026-13", "?dari=2025-01&sampai=2026-11"):
        status, html = _page(kabid, query)
        assert status == 400, query
        assert 'class="alert error"' in html


def test_each_office_reads_its_own_index_only(client, staff, responses) -> None:
    kasi = Officer(client, *staff("kasi_tng", f"{TANGERANG}.kasi"))
    status, html = _page(kasi, "?dari=2026-11")
    assert status == 200
    assert "Kota Tangerang" in html and 'id="ikm-ak1"' not in html
    cpmi = _section(html, "id-rekomendasi-paspor-cpmi")
    assert (_figure(cpmi, "respondents"), _figure(cpmi, "converted")) == ("1", "50.00")
    assert _figure(cpmi, "grade") == "D Tidak Baik"
    # Another office in the address: 404, nothing of it shown.
    status, html = _page(kasi, f"?kantor={PASURUAN}&dari=2026-11")
    assert status == 404 and "86.11" not in html
    # The Pasuruan admin reads Pasuruan's; the Kadis of Tangerang not Pasuruan's.
    admin = Officer(client, *staff("admin_ikm", f"{PASURUAN}.admin"))
    assert _page(admin, "?dari=2026-11")[0] == 200
    kadis = Officer(client, *staff("kadis_tng", f"{TANGERANG}.kadis"))
    assert _page(kadis, f"?kantor={PASURUAN}")[0] == 404


def test_other_staff_may_not_read_it(client, staff, responses) -> None:
    officer = Officer(client, *staff("petugas_ikm", f"{PASURUAN}.petugas_antar_kerja", f"{TANGERANG}.staf"))
    assert 'id="link-ikm"' not in officer.inbox()
    status, html = _page(officer, "?dari=2026-11")
    assert status == 403
    assert "hanya untuk Kepala Seksi" in html and "86.11" not in html


def test_signed_out_goes_to_the_sign_in_page(client) -> None:
    answer = client.http.get("/staff/ikm")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/staff/login")
