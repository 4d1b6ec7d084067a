"""The worker's issue_document for letters and the AK-1 card: drafts are versioned, a signed version is never
replaced except by a new signing decision, and a final letter is registered for its QR code."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pytest

from chalicelib.adapters import storage
from chalicelib.adapters.models import Case
from chalicelib.domain.case_records import IssuedDocument, Officer, Signing
from chalicelib.services import verification
from chalicelib.services.forms import clean_form
from chalicelib.sop.loader import load_service
from chalicelib.worker import tasks
from tests.forms import sample_form

OFFICE = "kab-pasuruan"


def _open_case(service: str, case_id: str) -> Case:
    sop = load_service(OFFICE, service)
    case = Case(
        *Case.key(case_id),
        case_id=case_id,
        office=OFFICE,
        service=service,
        applicant_sub="sub-1",
        status="submitted",
        created_at="2026-11-23T01:00:00.000Z",
        updated_at="2026-11-23T01:00:00.000Z",
        data={"form": clean_form(sop, sample_form(sop)), "email": "pt@contoh.id"},
    )
    case.save()
    return case


def _issue(service: str, case_id: str, key: str, step: str) -> IssuedDocument:
    tasks.issue_document(
        {"case_id": case_id, "office": OFFICE, "service": service, "step": step, "documents": [key]}
    )
    issued = Case.get(*Case.key(case_id), consistent_read=True).products[key]
    assert issued.key is not None and issued.verify_id is not None
    return issued


def _sign(case_id: str, step: str, at: str, username: str = "kab-pasuruan.kadis") -> None:
    case = Case.get(*Case.key(case_id), consistent_read=True)
    case.update(
        actions=[
            Case.signatures.set({**case.signatures, step: Signing(signed_by=username, as_role="kadis")}),
            Case.officers.set(
                {
                    **case.officers,
                    step: Officer(
                        username=username,
                        name="Drs. Hadi Wijaya, M.Si.",
                        nip="19700101 199503 1 003",
                        role="kadis",
                        role_label="Kepala Dinas Tenaga Kerja",
                        decision="approve",
                        at=at,
                    ),
                }
            ),
        ]
    )


def _text(s3_key: str) -> str:
    pdf = storage.objects().get_document(s3_key)
    return " ".join(str(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_bounded()).split())


def test_a_signed_letter_is_never_overwritten_without_a_new_signature(aws) -> None:
    service, key = "lapor-keberadaan-tka", "surat_keterangan_keberadaan_tka"
    _open_case(service, "case-tka-1")

    draft = _issue(service, "case-tka-1", key, "03")
    assert draft.version == 1 and draft.signed is False and draft.key.endswith("/v1.pdf")
    assert "DRAF" in _text(draft.key)
    # A returned draft is drafted again: a new version, still a draft, not yet verifiable.
    again = _issue(service, "case-tka-1", key, "03")
    assert again.version == 2 and again.signed is False
    with pytest.raises(verification.NotFound):  # a draft's QR code verifies nothing
        verification.lookup(again.verify_id)

    _sign("case-tka-1", "06", "2026-11-23T03:00:00.000Z")
    case = Case.get(*Case.key("case-tka-1"), consistent_read=True)
    case.update(actions=[Case.products.set({key: replace(case.products[key], number="560/5/424.070/2026")})])
    signed = _issue(service, "case-tka-1", key, "08")
    assert signed.version == 3 and signed.signed is True
    assert signed.issued_on == date(2026, 11, 23) and signed.number == "560/5/424.070/2026"
    text = _text(signed.key)
    assert "DRAF" not in text and "Drs. Hadi Wijaya, M.Si." in text and "560/5/424.070/2026" in text
    shown = verification.lookup(signed.verify_id)
    assert shown["status"] == "valid" and shown["number"] == "560/5/424.070/2026"
    assert shown["valid_until"] is None

    # Asked again (a later step, a redelivery, a loop) with no new signing decision: untouched.
    pdf_v3 = storage.objects().get_document(signed.key)
    assert _issue(service, "case-tka-1", key, "08") == signed
    assert storage.objects().get_document(signed.key) == pdf_v3

    # A new signing decision (the step signed again) makes a new version; v3 stays as it was.
    _sign("case-tka-1", "06", "2026-11-24T02:00:00.000Z")
    resigned = _issue(service, "case-tka-1", key, "08")
    assert resigned.version == 4 and resigned.signed is True and resigned.issued_on == date(2026, 11, 24)
    assert storage.objects().get_document(signed.key) == pdf_v3


def test_tanda_daftar_bkk_gets_its_registration_number_once_when_signed(aws) -> None:
    service, key = "tanda-daftar-bkk", "tanda_daftar_bkk"
    _open_case(service, "case-bkk-1")
    draft = _issue(service, "case-bkk-1", key, "03")
    assert draft.registration is None and "registration" not in draft.as_dict()
    assert "diberikan setelah ditandatangani" in _text(draft.key)
    _sign("case-bkk-1", "06", "2026-11-23T03:00:00.000Z")
    signed = _issue(service, "case-bkk-1", key, "08")
    assert signed.registration == "BKK/3514/0001/2026"
    assert "BKK/3514/0001/2026" in _text(signed.key)
    _sign("case-bkk-1", "06", "2026-11-24T03:00:00.000Z")
    assert _issue(service, "case-bkk-1", key, "08").registration == "BKK/3514/0001/2026"


def _decide(case_id: str, step: str, at: str, username: str) -> None:
    """An officer's approving decision on the case, as work.decide writes it."""
    case = Case.get(*Case.key(case_id), consistent_read=True)
    officer = Officer(
        username=username,
        name="Siti Rahayu",
        nip="19850101 201001 2 001",
        role="petugas_antar_kerja",
        role_label="Pengantar Kerja",
        decision="approve",
        at=at,
    )
    case.update(actions=[Case.officers.set({**case.officers, step: officer})])


def test_an_issued_ak1_card_stands_until_a_new_decision(aws) -> None:
    _open_case("ak1", "case-ak1-1")
    _decide("case-ak1-1", "04", "2026-11-23T02:00:00.000Z", "kab-pasuruan.petugas1")
    card = _issue("ak1", "case-ak1-1", "kartu_ak1", "08")
    assert card.version == 1 and card.signed is True and "Siti Rahayu" in _text(card.key)
    # A re-delivered or repeated task returns the issued card as it is: no second version.
    assert _issue("ak1", "case-ak1-1", "kartu_ak1", "08") == card
    # A new decision (the officer approved again after a return) issues a new version; the number,
    # the QR code and the first version in the archive stay.
    _decide("case-ak1-1", "04", "2026-11-23T03:00:00.000Z", "kab-pasuruan.petugas2")
    again = _issue("ak1", "case-ak1-1", "kartu_ak1", "08")
    assert again.version == 2 and again.key != card.key
    assert (again.number, again.verify_id) == (card.number, card.verify_id)
    assert storage.objects().get_document(card.key) and card.number in _text(again.key)


def test_the_verification_page_tells_an_expired_document_from_a_valid_one(aws) -> None:
    from datetime import timedelta

    from chalice.test import Client

    from app import app
    from chalicelib.domain.clock import office_today

    today = office_today()
    for case_id, valid_until in (("case-old", today - timedelta(days=1)), ("case-new", today)):
        verification.register(
            verification.id_for(case_id, "kartu_ak1"),
            case_id=case_id,
            office=OFFICE,
            product="kartu_ak1",
            document="Kartu AK/I",
            number="3514010203000001",
            holder_name="Siti Rahayu",
            issued_on=valid_until - timedelta(days=730),
            valid_until=valid_until,
        )
    with Client(app) as client:
        old = json.loads(client.http.get(f"/api/verify/{verification.id_for('case-old', 'kartu_ak1')}").body)
        new = json.loads(client.http.get(f"/api/verify/{verification.id_for('case-new', 'kartu_ak1')}").body)
        unknown = client.http.get("/api/verify/" + "A" * 24)
    assert old["status"] == "expired" and new["status"] == "valid"  # the last day still counts
    assert "Siti Rahayu" not in json.dumps(old)  # the holder's name is masked
    assert unknown.status_code == 404
