"""Issue 13: text in block letters wherever the SOP asks for them or a letter to another authority
prints it, on every service, by the server; numbers kept as typed (36, never 36.0)."""

from __future__ import annotations

import pytest

from chalicelib.domain.records import as_typed, clean_records, typed_value
from chalicelib.services.forms import applicant_sections, clean_form, form_spec
from chalicelib.sop.loader import list_offices, list_services, load_service
from chalicelib.sop.schema import InputField, ServiceStandard
from tests.forms import sample_form

CPMI = load_service("kota-tangerang", "id-rekomendasi-paspor-cpmi")


def _services() -> list[tuple[str, str]]:
    return [(o, s) for o in list_offices() for s in list_services(o)]


def _form(sop: ServiceStandard) -> dict[str, object]:
    form = sample_form(sop)
    for section in applicant_sections(sop):
        if section.key == "cpmi":
            form[section.key]["nama_lengkap"] = "dewi lestari"  # type: ignore[index]
        if section.key == "p3mi":
            form[section.key]["nama_p3mi"] = "pt contoh penempatan migran"  # type: ignore[index]
    return form


def test_the_cpmi_form_of_kota_tangerang_keeps_names_in_capitals() -> None:
    cleaned = clean_form(CPMI, _form(CPMI), ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    assert cleaned["cpmi"]["nama_lengkap"] == "DEWI LESTARI"
    assert cleaned["p3mi"]["nama_p3mi"] == "PT CONTOH PENEMPATAN MIGRAN"
    assert cleaned["p3mi"]["alamat_p3mi"] == "JL. CONTOH NO. 1, PASURUAN"


def test_a_field_may_keep_what_was_typed_on_a_form_in_capitals() -> None:
    """The immigration office the letter is addressed to reads as typed (uppercase: false)."""
    form = _form(CPMI)
    form["penempatan"]["kantor_imigrasi"] = "Kantor Imigrasi Kelas I Tangerang"  # type: ignore[index]
    cleaned = clean_form(CPMI, form, ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    assert cleaned["penempatan"]["kantor_imigrasi"] == "Kantor Imigrasi Kelas I Tangerang"
    spec = {f["key"]: f for s in form_spec(CPMI)["sections"] for f in s["fields"]}
    assert spec["kantor_imigrasi"]["uppercase"] is False
    assert spec["nama_lengkap"]["uppercase"] is True and spec["nik"]["uppercase"] is False


@pytest.mark.parametrize(("office", "service"), _services())
def test_every_service_keeps_its_printed_text_in_capitals(office: str, service: str) -> None:
    """Every name and text field of every service's form is kept in capitals, but for the few an
    SOP names as kept as typed; the browser is told the same per field (form_spec)."""
    sop = load_service(office, service)
    if not any(product.pdf for product in sop.products):
        return  # nothing of the form is printed (a complaint is answered by email, in its words)
    as_typed_fields = {"kantor_imigrasi"}
    spec = {(s["key"], f["key"]): f for s in form_spec(sop)["sections"] for f in s["fields"]}
    for section in applicant_sections(sop):
        for field in section.fields:
            if field.text_rule is None:
                assert spec[section.key, field.key]["uppercase"] is False
                continue
            expected = field.key not in as_typed_fields
            assert sop.requirements.in_capitals(field) is expected, f"{service}: {section.key}.{field.key}"
            assert spec[section.key, field.key]["uppercase"] is expected


def test_uppercase_is_only_for_free_text() -> None:
    with pytest.raises(ValueError, match="uppercase"):
        InputField(key="tanggal", label="Tanggal", type="date", uppercase=True)


@pytest.mark.parametrize(
    ("typed", "kept"), [("36", 36), ("36.0", 36), ("2.5", 2.5), ("-3", -3), ("1e3", 1000)]
)
def test_a_number_is_kept_as_typed(typed: str, kept: float) -> None:
    spec = InputField(key="lama_kontrak", label="Jangka Waktu", type="number")
    value = typed_value(spec, typed)
    assert value == kept and type(value) is type(kept)
    assert str(as_typed(value)) == typed.replace("36.0", "36").replace("1e3", "1000")


@pytest.mark.parametrize("typed", ["nan", "inf", "-inf", "1e400"])
def test_a_number_that_is_no_number_is_refused(typed: str) -> None:
    spec = InputField(key="lama_kontrak", label="Jangka Waktu", type="number")
    with pytest.raises(ValueError, match="harus berupa angka"):
        typed_value(spec, typed)


def test_the_contract_length_reads_36_on_the_form_and_in_records() -> None:
    cleaned = clean_form(CPMI, _form(CPMI) | {}, ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    assert cleaned["penempatan"]["lama_kontrak"] == 3 and isinstance(
        cleaned["penempatan"]["lama_kontrak"], int
    )
    form = _form(CPMI)
    form["penempatan"]["lama_kontrak"] = 36  # type: ignore[index]  # the site sends a JSON number
    cleaned = clean_form(CPMI, form, ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    assert str(cleaned["penempatan"]["lama_kontrak"]) == "36"
    money = InputField(key="nominal", label="Nominal", type="money")
    assert clean_records([money], {"nominal": "1.500.000"}) == {"nominal": 1500000}


def test_a_case_kept_before_shows_its_whole_numbers_without_a_decimal() -> None:
    assert as_typed(36.0) == 36 and str(as_typed(36.0)) == "36"
    assert as_typed(2.5) == 2.5 and as_typed("36.0") == "36.0"
