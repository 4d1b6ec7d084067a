"""The applicant's form is checked against the SOP's own form: typed, uppercased, all errors at once."""

from __future__ import annotations

import pytest

from chalicelib.services.forms import FormError, applicant_sections, clean_form, form_spec
from chalicelib.sop.loader import load_service
from tests.forms import NIK, sample_form

AK1 = load_service("kab-pasuruan", "ak1")


def test_the_account_section_is_not_part_of_the_case() -> None:
    keys = [s.key for s in applicant_sections(AK1)]
    assert "akun" not in keys and keys[0] == "identitas"
    assert all(f["type"] != "password" for s in form_spec(AK1)["sections"] for f in s["fields"])


def test_a_valid_form_is_typed_and_uppercased_as_the_standard_asks() -> None:
    form = sample_form(AK1)
    form["identitas"]["nik"] = "3514 0157 0895 0001"
    form["identitas"]["email"] = "X"  # unknown keys are ignored, never stored
    form["identitas"]["nomor_hp"] = "+62 812-3456-7890"
    cleaned = clean_form(AK1, form)
    person = cleaned["identitas"]
    assert person["nama_lengkap"] == "SITI RAHAYU" and person["nik"] == NIK
    assert person["jenis_kelamin"] == "Perempuan"  # choices keep their spelling
    assert person["nomor_hp"] == "081234567890" and "email" not in person
    assert cleaned["pendidikan_terakhir"]["tahun_lulus"] == 2015
    assert cleaned["pengalaman_kerja"][0]["jabatan"] == "CONTOH ISIAN"


def test_every_error_is_reported_at_once_by_field() -> None:
    form = sample_form(AK1)
    form["identitas"].pop("nama_lengkap")
    form["identitas"]["agama"] = "Lainnya"
    form["identitas"]["tanggal_lahir"] = "2999-01-01"
    form["pendidikan_terakhir"]["tahun_lulus"] = "15"
    form["pengalaman_kerja"] = [{"jabatan": "Operator"}]
    with pytest.raises(FormError) as raised:
        clean_form(AK1, form)
    errors = raised.value.errors
    assert errors["identitas.nama_lengkap"] == "Nama Lengkap wajib diisi."
    assert "pilih salah satu" in errors["identitas.agama"]
    assert "tidak mungkin" in errors["identitas.tanggal_lahir"]
    assert "4 angka" in errors["pendidikan_terakhir.tahun_lulus"]
    assert errors["pengalaman_kerja.0.nama_perusahaan"] == "Nama Perusahaan wajib diisi."
    assert raised.value.first_field == "identitas.nama_lengkap"


def test_optional_sections_may_be_empty_and_blank_entries_are_dropped() -> None:
    form = sample_form(AK1, pengalaman_kerja=[{"jabatan": " ", "nama_perusahaan": ""}], keterampilan=[])
    cleaned = clean_form(AK1, form)
    assert cleaned["pengalaman_kerja"] == [] and cleaned["keterampilan"] == []


def test_nik_warning_is_raised_until_confirmed() -> None:
    form = sample_form(AK1)
    form["identitas"]["jenis_kelamin"] = "Laki-laki"
    with pytest.raises(FormError) as raised:
        clean_form(AK1, form)
    assert raised.value.errors == {}
    found = [(w["code"], w["field"]) for w in raised.value.warnings]
    assert found == [("nik_jenis_kelamin", "identitas.nik")]
    assert clean_form(AK1, form, ["nik_jenis_kelamin"])["identitas"]["jenis_kelamin"] == "Laki-laki"


def test_a_form_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(FormError) as raised:
        clean_form(AK1, ["x"])
    assert "form" in raised.value.errors
