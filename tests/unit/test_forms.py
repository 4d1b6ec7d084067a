"""The applicant's form is checked against the SOP's own form: typed, uppercased, all errors at once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.domain.clock import office_today
from chalicelib.domain.records import RecordError, clean_records, typed_date
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import FormInvalid
from chalicelib.services.forms import applicant_sections, clean_form, form_spec
from chalicelib.sop.loader import load_service
from chalicelib.sop.schema import InputField
from tests.forms import NIK, VALID_UNTIL, sample_form

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
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form)
    errors = raised.value.errors
    assert errors["identitas.nama_lengkap"] == "Nama Lengkap wajib diisi."
    assert "pilih salah satu" in errors["identitas.agama"]
    assert "tidak mungkin" in errors["identitas.tanggal_lahir"]
    assert "4 angka" in errors["pendidikan_terakhir.tahun_lulus"]
    assert errors["pengalaman_kerja.0.nama_perusahaan"] == "Nama Perusahaan wajib diisi."
    assert raised.value.field == "identitas.nama_lengkap"


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("2020-03-01", "paling sedikit 18 tahun; umur Anda 6 tahun"),  # issue 12: a 6-year-old got an AK-1
        ("1900-01-01", "tidak masuk akal (umur 126 tahun)"),
    ],
)
def test_the_age_rule_and_a_plausible_birth_date_are_errors(birth: str, expected: str) -> None:
    form = sample_form(AK1)
    form["identitas"]["tanggal_lahir"] = birth
    form["identitas"]["nik"] = "3514010101900001"  # the NIK's own date may differ: only a warning
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form, ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    assert expected in raised.value.errors["identitas.tanggal_lahir"]


def test_eighteen_today_is_old_enough_and_a_day_short_is_not() -> None:
    today = office_today()
    form = sample_form(AK1)
    confirm = ["nik_tanggal_lahir", "nik_jenis_kelamin"]
    form["identitas"]["tanggal_lahir"] = (
        today.replace(year=today.year - 18).isoformat()
        if (today.month, today.day) != (2, 29)
        else f"{today.year - 18}-03-01"
    )
    form["pendidikan_terakhir"]["tahun_lulus"] = str(today.year)
    form["pengalaman_kerja"][0]["tahun_mulai"] = str(today.year)
    assert clean_form(AK1, form, confirm)["identitas"]["tanggal_lahir"] == form["identitas"]["tanggal_lahir"]
    born = date.fromisoformat(form["identitas"]["tanggal_lahir"]) + timedelta(days=1)
    form["identitas"]["tanggal_lahir"] = born.isoformat()
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form, confirm)
    assert "umur Anda 17 tahun" in raised.value.errors["identitas.tanggal_lahir"]


def test_years_before_the_applicant_could_have_studied_or_worked_are_errors() -> None:
    """Issue 12: a graduation year before the birth year passed."""
    form = sample_form(AK1)  # born 1995
    form["pendidikan_terakhir"]["tahun_lulus"] = "1990"
    form["pengalaman_kerja"][0]["tahun_mulai"] = "1998"
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form)
    errors = raised.value.errors
    assert (
        errors["pendidikan_terakhir.tahun_lulus"]
        == "Tahun Lulus 1990 tidak masuk akal untuk tanggal lahir 1995; periksa tahunnya."
    )
    assert "Tahun Mulai 1998" in errors["pengalaman_kerja.0.tahun_mulai"]


def test_an_organisations_form_has_no_age_rule() -> None:
    from chalicelib.sop.loader import load_service as load

    for office, service in (("kab-pasuruan", "lapor-keberadaan-tka"), ("kab-pasuruan", "tanda-daftar-bkk")):
        assert load(office, service).applicant.minimum_age is None


def test_optional_sections_may_be_empty_and_blank_entries_are_dropped() -> None:
    form = sample_form(AK1, pengalaman_kerja=[{"jabatan": " ", "nama_perusahaan": ""}], keterampilan=[])
    cleaned = clean_form(AK1, form)
    assert cleaned["pengalaman_kerja"] == [] and cleaned["keterampilan"] == []


def test_nik_warning_is_raised_until_confirmed() -> None:
    form = sample_form(AK1)
    form["identitas"]["jenis_kelamin"] = "Laki-laki"
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, form)
    assert raised.value.errors == {}
    found = [(w["code"], w["field"]) for w in raised.value.warnings]
    assert found == [("nik_jenis_kelamin", "identitas.nik")]
    assert clean_form(AK1, form, ["nik_jenis_kelamin"])["identitas"]["jenis_kelamin"] == "Laki-laki"


def test_a_form_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(FormInvalid) as raised:
        clean_form(AK1, ["x"])
    assert "form" in raised.value.errors


# --- dates ahead: valid_until (tanggal berlaku sampai) -------------------------------------------

LAPOR = load_service("kab-pasuruan", "lapor-keberadaan-tka")
VALIDASI = load_service("kab-pasuruan", "validasi-tka")


def _lapor_with(**izin: str) -> dict[str, Any]:
    form = sample_form(LAPOR)
    form["izin"].update(izin)
    return form


def test_an_expired_kitas_is_refused_with_a_clear_message() -> None:
    with pytest.raises(FormInvalid) as raised:
        clean_form(LAPOR, _lapor_with(kitas_berlaku_sampai="2026-10-01"))
    assert raised.value.errors == {
        "izin.kitas_berlaku_sampai": (
            "KITAS Berlaku Sampai sudah lewat (1 Okt 2026); dokumen yang sudah tidak berlaku tidak "
            "dapat diterima."
        )
    }  # 2026-10-01 lies behind every day these tests run on (written 23 November 2026)


def test_valid_until_today_is_still_valid_and_printed_as_iso() -> None:
    today = office_today().isoformat()
    cleaned = clean_form(LAPOR, _lapor_with(kitas_berlaku_sampai=today, rptka_berlaku_sampai=today))
    assert cleaned["izin"]["kitas_berlaku_sampai"] == today
    assert cleaned["izin"]["notifikasi_berlaku_sampai"] == VALID_UNTIL


def test_yesterday_far_future_and_nonsense_are_refused_at_once() -> None:
    yesterday = (office_today() - timedelta(days=1)).isoformat()
    far = (office_today() + timedelta(days=11 * 366)).isoformat()
    form = _lapor_with(
        rptka_berlaku_sampai=yesterday, notifikasi_berlaku_sampai=far, kitas_berlaku_sampai="31-12-2027"
    )
    with pytest.raises(FormInvalid) as raised:
        clean_form(LAPOR, form)
    errors = raised.value.errors
    assert set(errors) == {
        "izin.rptka_berlaku_sampai",
        "izin.notifikasi_berlaku_sampai",
        "izin.kitas_berlaku_sampai",
    }
    assert f"sudah lewat ({tanggal(yesterday)})" in errors["izin.rptka_berlaku_sampai"]
    assert "paling lama 10 tahun" in errors["izin.notifikasi_berlaku_sampai"]
    assert "harus tanggal yang sah" in errors["izin.kitas_berlaku_sampai"]


def test_a_past_date_field_still_refuses_the_future() -> None:
    tomorrow = (office_today() + timedelta(days=1)).isoformat()
    with pytest.raises(FormInvalid) as raised:
        clean_form(LAPOR, _lapor_with(tanggal_kitas=tomorrow))
    assert raised.value.errors == {
        "izin.tanggal_kitas": f"Tanggal Terbit KITAS tidak mungkin di masa depan ({tanggal(tomorrow)})."
    }


def test_validasi_refuses_an_expired_notification() -> None:
    form = sample_form(VALIDASI)
    form["tka"]["notifikasi_berlaku_sampai"] = "2020-01-31"
    with pytest.raises(FormInvalid) as raised:
        clean_form(VALIDASI, form)
    assert list(raised.value.errors) == ["tka.notifikasi_berlaku_sampai"]
    assert raised.value.errors["tka.notifikasi_berlaku_sampai"].startswith(
        "Notifikasi Berlaku Sampai sudah lewat (31 Jan 2020);"
    )


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("valid_until", "2026-11-23", "2026-11-23"),  # the office's today
        ("valid_until", "2036-11-23", "2036-11-23"),  # exactly ten years ahead
        ("valid_until", "2036-11-24", "terlalu jauh"),
        ("valid_until", "2026-11-22", "sudah lewat (22 Nov 2026)"),
        ("date", "2026-11-23", "2026-11-23"),
        ("date", "2026-11-24", "tidak mungkin di masa depan (24 Nov 2026)"),
        ("date", "1899-12-31", "tidak mungkin (31 Des 1899)"),
        ("date", "2026-02-30", "harus tanggal yang sah"),
    ],
)
def test_one_typed_date_for_forms_and_records(kind: str, text: str, expected: str) -> None:
    today = date(2026, 11, 23)
    try:
        assert typed_date("Tanggal", kind, text, today) == expected
    except RecordError as exc:
        assert expected in str(exc)


def test_the_ten_years_of_a_29_february() -> None:
    assert typed_date("X", "valid_until", "2034-02-28", date(2024, 2, 29)) == "2034-02-28"
    with pytest.raises(RecordError):
        typed_date("X", "valid_until", "2034-03-01", date(2024, 2, 29))


def test_staff_records_take_valid_until_too() -> None:
    spec = InputField(key="kitas_berlaku_sampai", label="KITAS Berlaku Sampai", type="valid_until")
    ahead = (office_today() + timedelta(days=30)).isoformat()
    assert clean_records([spec], {"kitas_berlaku_sampai": ahead}) == {"kitas_berlaku_sampai": ahead}
    with pytest.raises(RecordError, match="sudah lewat"):
        clean_records([spec], {"kitas_berlaku_sampai": "2001-01-01"})


def test_the_form_spec_tells_the_browser_the_type() -> None:
    fields = {f["key"]: f["type"] for s in form_spec(LAPOR)["sections"] for f in s["fields"]}
    assert fields["kitas_berlaku_sampai"] == fields["rptka_berlaku_sampai"] == "valid_until"
    assert fields["notifikasi_berlaku_sampai"] == "valid_until" and fields["tanggal_kitas"] == "date"


def test_a_kept_date_reads_in_the_one_indonesian_format_and_other_values_as_typed() -> None:
    from chalicelib.domain.records import as_read

    assert as_read("1995-08-17", "date") == "17 Agu 1995"
    assert as_read("2028-12-01", "valid_until") == "1 Des 2028"
    assert as_read("17/08/1995", "date") == "17/08/1995"  # unreadable: shown as kept, not hidden
    assert as_read("1995-08-17", "text") == "1995-08-17"  # a reference number that looks like a date
    assert as_read(36.0, "number") == 36 and as_read(None, "date") is None
