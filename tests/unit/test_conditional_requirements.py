"""Conditional requirements (issue 14): a document asked only for some form answers, the
marriage certificate when the CPMI's marital status is "Kawin" (`required_when` in the SOP).
`sop check` refuses a condition that names no choice of the form; the submit check asks for it
only for that answer. (The public form: tests/browser/test_forms_browser.py; the officer's
checklist: tests/integration/test_staff_pages.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.case_store import change_case
from chalicelib.adapters.models import Case
from chalicelib.errors import Unprocessable
from chalicelib.services import cases
from chalicelib.services.catalog import find_service
from chalicelib.sop.loader import load_service
from tests.fakes import Fakes
from tests.forms import sample_form
from tests.unit.test_sop_schema import issues_of, line_of, mutated

OFFICE, SERVICE = "kab-pasuruan", "rekomendasi-paspor-cpmi"
CONDITION = "      required_when: {field: cpmi.status_perkawinan, values: [Kawin]}\n"
SUB = "p3mi-sub"


def test_the_marriage_certificate_is_asked_when_the_cpmi_is_married() -> None:
    for office, service in ((OFFICE, SERVICE), ("kota-tangerang", "id-rekomendasi-paspor-cpmi")):
        document = next(
            d for d in load_service(office, service).requirements.documents if d.key == "surat_nikah"
        )
        assert document.required is False and document.required_when is not None
        married = {"cpmi": {"status_perkawinan": "Kawin"}}
        for answer in ("Belum Kawin", "Cerai Hidup", "Cerai Mati"):
            single = {"cpmi": {"status_perkawinan": answer}}
            assert not document.asked(single) and not document.needed(single)
        assert document.asked(married) and document.needed(married)
        assert not document.needed({}) and not document.needed(None)  # no form yet: not asked


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "      required_when: {field: cpmi.status_kawin, values: [Kawin]}\n",
            "isian 'cpmi.status_kawin' tidak ada di formulir (pilihan: cpmi.jenis_kelamin, "
            "cpmi.status_perkawinan, cpmi.pendidikan_terakhir, pemberi_izin.hubungan)",
        ),
        (
            "      required_when: {field: cpmi.status_perkawinan, values: [Menikah]}\n",
            "'Menikah' bukan pilihan isian cpmi.status_perkawinan "
            "(Belum Kawin, Kawin, Cerai Hidup, Cerai Mati)",
        ),
        (
            "      required_when: {field: cpmi.alamat, values: [Kawin]}\n",
            "isian 'cpmi.alamat' harus bertipe choice di bagian yang tidak berulang",
        ),
    ],
)
def test_sop_check_refuses_a_condition_on_an_unknown_field_or_value(
    tmp_path: Path, new: str, message: str
) -> None:
    path, text = mutated(tmp_path, OFFICE, SERVICE, CONDITION, new)
    [issue] = issues_of(path)
    assert issue.endswith(message), issue
    assert issue.startswith(f"{SERVICE}.yaml:{line_of(text, 'required_when')}")


def test_sop_check_refuses_a_condition_on_a_document_always_required(tmp_path: Path) -> None:
    old = (
        "      required: false\n      file_kinds: [pdf, jpeg, png]\n      max_size_mb: 5\n"
        "      note: Wajib bagi CPMI"
    )
    path, _text = mutated(tmp_path, OFFICE, SERVICE, old, old.replace("required: false", "required: true"))
    [issue] = issues_of(path)
    assert issue.endswith("dokumen dengan 'required_when' ditulis required: false")


def _filed(fakes: Fakes, marital: str) -> str:
    """A CPMI case with its form saved (marital status `marital`) and every document uploaded and
    checked except the marriage certificate."""
    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    case_id = cases.open_case(
        SUB, "p3mi@contoh.id", OFFICE, SERVICE, f"nikah-{marital[:5]}", "p3mi"
    ).case.case_id
    form = sample_form(entry.sop)
    form["cpmi"]["status_perkawinan"] = marital
    checked = {"state": "checked", "kind": "pdf", "key": "k", "checked_at": "2026-12-01T01:00:00.000Z"}
    documents = {d.key: dict(checked) for d in entry.sop.requirements.documents if d.key != "surat_nikah"}

    def filled(current: Case) -> list[Any]:
        return [Case.data.set({**(current.data or {}), "form": form}), Case.documents.set(documents)]

    change_case(case_id, filled)
    return case_id


def test_submit_asks_a_married_cpmi_for_the_marriage_certificate(fakes: Fakes) -> None:
    case_id = _filed(fakes, "Kawin")
    with pytest.raises(Unprocessable) as refused:
        cases.submit(SUB, case_id)
    assert refused.value.field == "documents"
    assert refused.value.message == "Dokumen wajib belum diunggah: Surat Nikah / Surat Keterangan Nikah."


def test_submit_does_not_ask_an_unmarried_cpmi(fakes: Fakes, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(
        cases.workflow, "start_case", lambda machine, case_id, payload: started.append(case_id) or "arn"
    )
    case_id = _filed(fakes, "Belum Kawin")
    submitted = cases.submit(SUB, case_id)
    assert submitted.status == "submitted" and started == [case_id]
    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    nikah = next(r for r in entry.documents if r.key == "surat_nikah")  # as the API tells the site
    assert nikah.required is False
    assert nikah.condition() == {"field": "cpmi.status_perkawinan", "values": ["Kawin"]}
