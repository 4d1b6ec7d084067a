"""Issue 12's text examples through the JSON API: an object where text is expected answers 400 or
422 on its field in Indonesian, never a 5xx and never a stored repr; the case keeps what it had."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.sop.loader import load_service
from tests.forms import sample_form
from tests.helpers import Applicant, Officer, body

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(aws: dict[str, str]) -> Iterator[Client]:
    with Client(app) as c:
        yield c


def test_text_fields_of_the_api_refuse_objects_and_keep_what_the_case_had(
    client: Client, applicant: Callable[..., str]
) -> None:
    budi = Applicant(client, applicant("budi"))
    wrong = client.http.post(
        "/api/cases",
        headers=budi.headers(**JSON, **{"Idempotency-Key": "teks-0001"}),
        body=json.dumps({"office": {"$ne": ""}, "service": "ak1"}),
    )
    assert wrong.status_code == 400 and body(wrong)["error"]["field"] == "office", wrong.body
    opened = budi.open("teks-0001", service="ak1")
    assert opened.status_code == 201, opened.body
    case_id = body(opened)["case_id"]

    form = sample_form(load_service("kab-pasuruan", "ak1"))
    form["identitas"]["nama_lengkap"] = "Işıl Güneş"
    saved = budi.save_form(case_id, form)
    assert saved.status_code == 200, saved.body

    for name, said in (
        ({"first": "Siti"}, "Nama Lengkap harus berupa teks."),
        ("\x00\x00\x00", "Nama Lengkap wajib diisi."),
        (
            "Siti\u202eayahaR",
            "Nama Lengkap memuat karakter kendali yang tidak boleh (U+202E); hapus lalu ketik ulang.",
        ),
        ("محمد", "Nama Lengkap: tulis nama dengan huruf Latin seperti di KTP atau paspor (م)."),
    ):
        form["identitas"]["nama_lengkap"] = name
        refused = budi.save_form(case_id, form)
        assert refused.status_code == 422, refused.body
        assert body(refused)["errors"]["identitas.nama_lengkap"] == said
    kept = body(budi.get(case_id))
    assert kept["form"]["identitas"]["nama_lengkap"] == "IŞIL GÜNEŞ"


def _post(officer: Officer, path: str, form: list[tuple[str, str]]) -> Any:
    payload = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in form)
    return officer.client.http.post(
        path, headers={"Content-Type": Officer.FORM, "Cookie": officer.cookie}, body=payload
    )


def test_the_admin_pages_hold_staff_names_and_decrees_to_the_same_rules(
    client: Client, staff: Callable[..., Any]
) -> None:
    """A staff name is printed on cards and letters: a person's name in Latin letters, whole at 80
    characters; a refused form comes back with what was typed."""
    admin = Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))
    base = {
        "csrf": admin.csrf(),
        "kantor": "kab-pasuruan",
        "username": "siti",
        "nip": "19850312 201001 2 004",
        "email": "siti@disnaker.pasuruankab.go.id",
    }
    for name, said in (
        ("Siti\u202eamhaR", "Nama lengkap memuat karakter kendali yang tidak boleh (U+202E)"),
        ("\x00\x00", "Isi nama lengkap (paling banyak 80 karakter)"),
        ("سيتي", "Nama lengkap: tulis nama dengan huruf Latin seperti di KTP atau paspor"),
        ("W" * 81, "Isi nama lengkap (paling banyak 80 karakter)"),
    ):
        refused = _post(
            admin, "/staff/admin/accounts", [*{**base, "name": name}.items(), ("roles", "pengantar_kerja")]
        )
        assert refused.status_code == 400, refused.body
        assert (
            said in refused.body.decode()
            and 'value="siti@disnaker.pasuruankab.go.id"' in refused.body.decode()
        )
    created = _post(
        admin,
        "/staff/admin/accounts",
        [*{**base, "name": "Işıl Güneş, S.Kom."}.items(), ("roles", "pengantar_kerja")],
    )
    assert created.status_code == 303, created.body
