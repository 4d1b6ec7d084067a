"""Issue 13: an organisation's own data is prefilled from its account and remembered after its
first filing: per account, editable (what it typed last is what it gets next)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.sop.loader import load_service
from tests.forms import sample_form
from tests.helpers import Applicant, body

OFFICE, SERVICE = "kota-tangerang", "id-rekomendasi-paspor-cpmi"
CONFIRM = ["nik_tanggal_lahir", "nik_jenis_kelamin"]


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


def _profile(client: Client, token: str) -> Any:
    answer = client.http.get("/api/account/profile", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.body
    assert answer.headers["Cache-Control"] == "no-store"
    return body(answer)


def _file_form(client: Client, token: str, key: str, company: str) -> None:
    agency = Applicant(client, token)
    opened = agency.open(key=key, office=OFFICE, service=SERVICE)
    assert opened.status_code in (200, 201), opened.body
    form = sample_form(load_service(OFFICE, SERVICE))
    form["p3mi"]["nama_p3mi"] = company
    saved = agency.save_form(body(opened)["case_id"], form, CONFIRM)
    assert saved.status_code == 200, saved.body


def test_the_agency_data_is_remembered_per_account_and_follows_its_edits(client: Client, applicant) -> None:
    token = applicant("p3mi.satu", kind="p3mi", organisation="PT CONTOH PENEMPATAN MIGRAN")
    other = applicant("p3mi.dua", kind="p3mi", organisation="PT LAIN")
    assert _profile(client, token) == {"sections": {}}  # nothing before the first form

    _file_form(client, token, "profil-1", "pt contoh penempatan migran")
    kept = _profile(client, token)["sections"]
    assert set(kept) == {"p3mi"}  # only the organisation's section: never the CPMI's data
    assert kept["p3mi"]["nama_p3mi"] == "PT CONTOH PENEMPATAN MIGRAN"  # as the form kept it
    assert kept["p3mi"]["telepon_petugas"] == "081234567890"
    assert _profile(client, other) == {"sections": {}}  # another account sees nothing of it

    _file_form(client, token, "profil-2", "PT Contoh Penempatan Migran Indonesia")
    assert _profile(client, token)["sections"]["p3mi"]["nama_p3mi"] == "PT CONTOH PENEMPATAN MIGRAN INDONESIA"


def test_the_profile_needs_a_signed_in_account(client: Client) -> None:
    answer = client.http.get("/api/account/profile")
    assert answer.status_code == 401
    assert json.loads(answer.body)["error"]["message"]
