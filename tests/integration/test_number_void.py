"""Nomor batal (issue 11): a number taken for a document that is never issued is voided in the
register with the reason when the case ends, so the register accounts for every number."""

from __future__ import annotations

from chalicelib.adapters.models import Case, Effect
from chalicelib.adapters.registers import claim_key
from chalicelib.domain.case_records import IssuedDocument
from chalicelib.domain.clock import office_today
from chalicelib.services import audit, issuing, numbering
from chalicelib.services.catalog import find_service
from chalicelib.sop.loader import load_office


def _case(case_id: str, products: dict | None = None) -> Case:
    case = Case(
        *Case.key(case_id),
        case_id=case_id,
        office="kab-pasuruan",
        service="rekomendasi-paspor-cpmi",
        applicant_sub="s",
        status="rejected",
        created_at="x",
        updated_at="x",
        products=products or {},
    )
    case.save()
    return case


def test_a_number_never_issued_is_void_with_its_reason_and_a_new_one_follows(aws) -> None:
    office = load_office("kab-pasuruan")
    entry = find_service("kab-pasuruan", "rekomendasi-paspor-cpmi")
    assert entry is not None
    product = entry.sop.products[0]
    code = product.code or office.numbering.default_code
    taken = numbering.assign(office.id, office.numbering, "c1", product.key, code)
    issued = numbering.assign(office.id, office.numbering, "c2", product.key, code)
    case = _case("c1")
    _case("c2", {product.key: IssuedDocument(number=issued, key="cases/c2/x/v1.pdf", signed=True)})

    assert issuing.void_unissued(entry.sop, Case.get(*Case.key("c2")), "completed") == {}
    assert issuing.void_unissued(entry.sop, case, "rejected") == {product.key: taken}
    assert issuing.void_unissued(entry.sop, case, "rejected") == {}  # a redelivered close: once

    register = {e.number: e for e in numbering.register(office.id, code, office_today().year)}
    assert (
        register[taken].void_reason == "Berkas ditolak; dokumen tidak diterbitkan."
        and register[taken].voided_at
    )
    assert register[issued].void_reason is None
    assert [e.action for e in audit.trail("c1")] == ["number_void"]
    # The claim is released: if the document were issued after all, it gets the next number.
    again = numbering.assign(office.id, office.numbering, "c1", product.key, code)
    assert again not in (taken, issued)
    assert len(numbering.register(office.id, code, office_today().year)) == 3


def test_a_claim_from_before_the_rule_is_left_alone(aws) -> None:
    Effect(*Effect.key(claim_key("old", "surat")), status="done", at="x", result={"number": "1/2"}).save()
    assert numbering.void("old", "surat", "x") is None
    assert Effect.get(*Effect.key(claim_key("old", "surat"))).status == "done"
