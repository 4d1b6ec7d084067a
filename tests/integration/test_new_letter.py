"""A new letter needs one registered renderer and one product in the SOP file, nothing else: it is
checked, numbered, drafted, signed, registered for its QR code and issued once, like the others."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from chalicelib.adapters import storage
from chalicelib.adapters.models import Case
from chalicelib.documents.letters.plan import Para, Plan, Rows
from chalicelib.documents.registry import renderers
from chalicelib.documents.values import Facts
from chalicelib.domain.case_records import IssuedDocument, Officer, Signing
from chalicelib.services import audit, issuing, verification
from chalicelib.services.forms import clean_form
from chalicelib.sop.loader import OFFICES_DIR, load_file, load_office
from tests.forms import sample_form

OFFICE = "kab-pasuruan"
KEY = "surat_keterangan_uji"


def _sop_file(tmp_path: Path) -> Path:
    """Tanda Daftar BKK's SOP with its product renamed: a product no code knows."""
    text = (OFFICES_DIR / OFFICE / "tanda-daftar-bkk.yaml").read_text(encoding="utf-8")
    text = text.replace("tanda_daftar_bkk", KEY).replace(
        "name: Tanda Daftar BKK", "name: Surat Keterangan Uji"
    )
    path = tmp_path / "tanda-daftar-bkk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _text(s3_key: str) -> str:
    pdf = pdfium.PdfDocument(storage.objects().get_document(s3_key))
    return " ".join(str(pdf[i].get_textpage().get_text_bounded()) for i in range(len(pdf)))


def _product(case_id: str) -> IssuedDocument:
    return Case.get(*Case.key(case_id), consistent_read=True).products[KEY]


def test_a_new_letter_is_issued_with_one_renderer_and_one_product_entry(aws, tmp_path: Path) -> None:
    with renderers.scoped():

        @renderers.letter(KEY)
        def surat_keterangan_uji(f: Facts) -> Plan:
            return Plan(
                title="Surat Keterangan Uji",
                number=f.number,
                blocks=[
                    Para(f"{f.speaker} menerangkan bahwa lembaga berikut telah mengajukan permohonan:"),
                    Rows(
                        [
                            ("Nama Lembaga", f.get("lembaga", "nama_lembaga")),
                            ("Alamat", f.get("lembaga", "alamat")),
                        ]
                    ),
                ],
            )

        office, sop = load_office(OFFICE), load_file(_sop_file(tmp_path))  # passes the SOP check
        case = Case(
            *Case.key("case-uji-1"),
            case_id="case-uji-1",
            office=OFFICE,
            service=sop.id,
            applicant_sub="sub-1",
            status="submitted",
            created_at="2026-11-23T01:00:00.000Z",
            updated_at="2026-11-23T01:00:00.000Z",
            data={"form": clean_form(sop, sample_form(sop)), "email": "bkk@contoh.id"},
        )
        case.save()
        school = case.data["form"]["lembaga"]["nama_lembaga"]

        numbers, printed = issuing.number(office, sop, case.case_id, [KEY], "07")
        draft = _product(case.case_id)
        assert printed == [KEY] and draft.number == numbers[KEY] and draft.signed is False
        assert draft.key is not None
        text = _text(draft.key)
        assert "SURAT KETERANGAN UJI" in text and school in text and "DRAF" in text

        step = issuing.signing_step(sop, KEY)
        assert step is not None and step.signing is not None
        sid, signer = f"{step.number:02d}", step.signing.signer
        case = Case.get(*Case.key(case.case_id), consistent_read=True)
        case.update(
            actions=[
                Case.signatures.set({sid: Signing(signed_by=f"{OFFICE}.{signer}", as_role=signer)}),
                Case.officers.set(
                    {
                        sid: Officer(
                            username=f"{OFFICE}.{signer}",
                            name="Drs. Hadi Wijaya, M.Si.",
                            nip="19700101 199503 1 003",
                            role=signer,
                            decision="approve",
                            at="2026-11-23T03:00:00.000Z",
                        )
                    }
                ),
            ]
        )
        assert issuing.issue(office, sop, case.case_id, [KEY], "08") == [KEY]
        signed = _product(case.case_id)
        assert signed.version == draft.version + 1 and signed.signed is True
        assert signed.key is not None and signed.verify_id is not None
        text = _text(signed.key)
        assert "DRAF" not in text and "Drs. Hadi Wijaya, M.Si." in text and numbers[KEY] in text
        shown = verification.lookup(signed.verify_id)
        assert shown["status"] == "valid" and shown["document"] == "Surat Keterangan Uji"
        assert shown["number"] == numbers[KEY]

        # Asked again (a redelivered task): the signed version stands, its number is not taken again.
        issuing.issue(office, sop, case.case_id, [KEY], "08")
        issuing.number(office, sop, case.case_id, [KEY], "07")
        assert _product(case.case_id) == signed
        assert [e.action for e in audit.trail(case.case_id)].count("issue_document") == 4


def test_an_unreadable_photo_leaves_the_box_empty_and_tells_staff(aws) -> None:
    from chalicelib.adapters.aws import client
    from chalicelib.settings import get_settings
    from chalicelib.sop.loader import load_service

    office, sop = load_office(OFFICE), load_service(OFFICE, "ak1")
    client("s3").put_object(
        Bucket=get_settings().uploads_bucket, Key="u/foto.jpg", Body=b"\xff\xd8\xff\xe0" * 40
    )
    case = Case(
        *Case.key("case-ak1-foto"),
        case_id="case-ak1-foto",
        office=OFFICE,
        service="ak1",
        applicant_sub="sub-1",
        status="submitted",
        created_at="2026-11-23T01:00:00.000Z",
        updated_at="2026-11-23T01:00:00.000Z",
        data={"form": clean_form(sop, sample_form(sop)), "email": "a@contoh.id"},
        documents={"pas_foto": {"key": "u/foto.jpg", "kind": "jpeg", "state": "checked"}},
    )
    case.save()
    issuing.issue(office, sop, case.case_id, ["kartu_ak1"], "08")
    card = Case.get(*Case.key(case.case_id), consistent_read=True).products["kartu_ak1"]
    assert card.signed is True and card.key is not None and card.number
    assert card.number in _text(card.key)
    notes = [e.note for e in audit.trail(case.case_id) if e.action == "photo_unreadable"]
    assert notes == ["Pas foto tidak terbaca; kartu terbit tanpa foto."]
