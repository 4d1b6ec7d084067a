"""Issue 12's text examples through the applicant's form (services/forms.py) and a staff record
(domain/records.py): each is refused with its Indonesian reason on its field, or kept as the rules
of domain/teks.py say, never stored as something else."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.records import RecordError, clean_records
from chalicelib.errors import FormInvalid
from chalicelib.services.forms import clean_form
from chalicelib.sop.loader import load_service
from chalicelib.sop.schema import InputField
from tests.forms import sample_form

AK1 = load_service("kab-pasuruan", "ak1")
NAME = "identitas.nama_lengkap"


def _errors(name: Any = None, **identity: Any) -> dict[str, str]:
    form = sample_form(AK1)
    if name is not None:
        form["identitas"]["nama_lengkap"] = name
    form["identitas"].update(identity)
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form)
    return raised.value.errors


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Nguyễn Thị Minh Khai", "NGUYỄN THỊ MINH KHAI"),
        ("Işıl Güneş", "IŞIL GÜNEŞ"),
        ("Nguye\u0302\u0303n Van", "NGUYỄN VAN"),
    ],
)
def test_vietnamese_and_turkish_names_are_kept_in_capitals_composed(name: str, kept: str) -> None:
    form = sample_form(AK1)
    form["identitas"]["nama_lengkap"] = name
    assert clean_form(AK1, form)["identitas"]["nama_lengkap"] == kept


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("محمد عبدالله", "Nama Lengkap: tulis nama dengan huruf Latin seperti di KTP atau paspor (م)."),
        ("Siti 😀", "Nama Lengkap tidak boleh memuat emoji atau simbol (😀)."),
        (
            "Siti\u202eayahaR",
            "Nama Lengkap memuat karakter kendali yang tidak boleh (U+202E); hapus lalu ketik ulang.",
        ),
        (
            "Siti\x00Rahayu",
            "Nama Lengkap memuat karakter kendali yang tidak boleh (U+0000); hapus lalu ketik ulang.",
        ),
        ("\x00\x00\x00\x00", "Nama Lengkap wajib diisi."),
        ("\u200b \u00a0", "Nama Lengkap wajib diisi."),
        ({"first": "Siti"}, "Nama Lengkap harus berupa teks."),
        (["Siti", "Rahayu"], "Nama Lengkap harus berupa teks."),
    ],
)
def test_the_issue_examples_are_refused_on_their_field(name: Any, said: str) -> None:
    assert _errors(name)[NAME] == said


def test_an_object_in_any_field_is_an_error_on_that_field_and_nothing_else_is_lost() -> None:
    errors = _errors(agama={"$ne": ""}, tanggal_lahir=["1995-08-17"], alamat={"jalan": "Mawar"})
    assert errors == {
        "identitas.agama": "Agama harus berupa teks.",
        "identitas.tanggal_lahir": "Tanggal Lahir harus berupa teks.",
        "identitas.alamat": "Alamat sesuai KTP harus berupa teks.",
    }


def test_an_entry_of_invisible_characters_alone_is_no_entry() -> None:
    form = sample_form(AK1)
    form["keterampilan"] = [{"nama_keterampilan": "\x00", "keterangan": "\u200b"}]
    cleaned = clean_form(AK1, form)
    assert cleaned["keterampilan"] == []


def test_an_address_keeps_its_lines_and_a_name_field_its_length() -> None:
    form = sample_form(AK1)
    form["identitas"]["alamat"] = "Jl. Mawar No. 3\r\n\r\n\r\nRT 001 / RW 002"
    assert clean_form(AK1, form)["identitas"]["alamat"] == "JL. MAWAR NO. 3\n\nRT 001 / RW 002"
    longest = next(f for s in AK1.requirements.form for f in s.fields if f.key == "nama_lengkap").text_rule
    assert longest is not None
    assert (
        _errors("W" * (longest.max_length + 1))[NAME]
        == f"Nama Lengkap paling panjang {longest.max_length} karakter."
    )


def test_a_staff_record_follows_the_same_rules() -> None:
    fields = [InputField(key="catatan", label="Catatan wawancara", type="textarea", required=True)]
    assert clean_records(fields, {"catatan": "  Lancar\u200b berbahasa\r\nInggris "}) == {
        "catatan": "Lancar berbahasa\nInggris"
    }
    with pytest.raises(RecordError, match="wajib diisi"):
        clean_records(fields, {"catatan": "\x00\x00"})
    with pytest.raises(RecordError, match=r"karakter kendali .*U\+202E"):
        clean_records(fields, {"catatan": "ok\u202e"})
