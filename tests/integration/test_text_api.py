"""Issue 12's text examples through the JSON API: an object where text is expected answers 400 or
422 on its field in Indonesian, never a 5xx and never a stored repr; the case keeps what it had."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from chalice.test import Client

from app import app
from chalicelib.sop.loader import load_service
from tests.forms import sample_form
from tests.helpers import Applicant, body

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
