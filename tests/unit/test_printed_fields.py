"""Issue 12: the form's limits and the documents' layout agree for every printed field.

Every product of every service is rendered from a form whose every text field holds the longest
value the form accepts (its SOP `max_length`), written in capital Ws, the widest letter, in words
of ten; each value starts with a tag of its own. Wherever a document prints a field, the whole
value must be on the page (extracted by pdfium, the way pdftotext reads it), and on the AK/I card
every one of its letters inside the particulars box: nothing is cut with '…', nothing runs into the
photo or the QR code.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4

from chalicelib.documents import ak1_card
from chalicelib.documents.letters import id_card
from chalicelib.documents.letters.frame import LEFT_MARGIN, RIGHT_MARGIN
from chalicelib.domain import teks
from chalicelib.services import issuing
from chalicelib.services.administration import decrees
from chalicelib.services.forms import MAX_ENTRIES, applicant_sections, clean_form
from chalicelib.sop.loader import list_offices, list_services, load_service
from chalicelib.sop.schema import ServiceStandard
from tests.forms import sample_form
from tests.unit.test_letters import _case, _signature, render

ALPHABET = "ABCDEFGHIJKLMNOPRSTUVXYZ"
NUMBER = "3514011225000001"  # as long as an AK/I registration number
# Where each document draws what a person typed (left, bottom, right, top; points on A4): the cards'
# particulars boxes, and a letter's text column for every other product.
BOXES = {"kartu_ak1": ak1_card.particulars_box(), "id_cpmi": id_card.particulars_box()}
Box = tuple[float, float, float, float]
PAGE = (LEFT_MARGIN, 0.0, A4[0] - RIGHT_MARGIN, A4[1])


def tag(index: int) -> str:
    """A tag no other field's value holds: Q, two letters, Q."""
    return f"Q{ALPHABET[index // len(ALPHABET)]}{ALPHABET[index % len(ALPHABET)]}Q"


def widest(start: str, length: int) -> str:
    """`length` characters: `start`, then Ws in words of ten (never a space at the end)."""
    chars = list(start)
    while len(chars) < length:
        chars.append(" " if len(chars) % 11 == 10 else "W")
    chars[-1] = "W"
    return "".join(chars)


def longest_form(sop: ServiceStandard) -> tuple[dict[str, Any], dict[str, str]]:
    """A raw form with every name and text field at its longest (repeatable sections: MAX_ENTRIES
    entries), and {section.field: value} of what a document must print whole when it prints it
    (the first entry of a list)."""
    form = sample_form(sop)
    expected: dict[str, str] = {}
    count = 0
    for section in applicant_sections(sop):
        entries = form[section.key] if section.repeatable else [form[section.key]]
        if section.repeatable:
            entries = [dict(entries[0]) for _ in range(MAX_ENTRIES)]
            form[section.key] = entries
        for spec in section.fields:
            rule = spec.text_rule
            if rule is None:
                continue
            for number, entry in enumerate(entries):
                entry[spec.key] = widest(tag(count), rule.max_length)
                if number == 0:
                    expected[f"{section.key}.{spec.key}"] = entry[spec.key]
                count += 1
    return form, expected


def products() -> list[tuple[str, str, str]]:
    found = []
    for office in list_offices():
        for service in list_services(office):
            sop = load_service(office, service)
            if any(s.fields for s in applicant_sections(sop)):
                # Only what is printed: a complaint's answer is an email (`pdf: false`), no document.
                found += [(office, service, product.key) for product in sop.products if product.pdf]
    return found


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _page_texts(pdf: bytes) -> list[pdfium.PdfTextPage]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage() for i in range(len(document))]


def _occurrences(pages: list[pdfium.PdfTextPage], value: str) -> list[list[Box]]:
    """Each place the document holds `value` whole: the boxes (left, bottom, right, top; points)
    of its letters, line breaks and spaces between them skipped."""
    wanted = _squeezed(value)
    found = []
    for textpage in pages:
        chars = [(i, textpage.get_text_range(i, 1)) for i in range(textpage.count_chars())]
        letters = [(i, ch) for i, ch in chars if ch.strip()]
        joined = "".join(ch for _, ch in letters)
        at = joined.find(wanted)
        while at >= 0:
            found.append([textpage.get_charbox(i) for i, _ in letters[at : at + len(wanted)]])
            at = joined.find(wanted, at + 1)
    return found


def _inside(boxes: list[Box], area: Box) -> bool:
    left, bottom, right, top = area
    return all(
        b[0] >= left - 0.5 and b[2] <= right + 0.5 and b[1] >= bottom - 0.5 and b[3] <= top + 0.5
        for b in boxes
    )


@pytest.mark.parametrize(("office", "service", "key"), products())
def test_every_printed_field_is_printed_whole_at_its_longest(office: str, service: str, key: str) -> None:
    _, sop, case = _case(office, service)
    raw, expected = longest_form(sop)
    form = clean_form(sop, raw, ["nik_tanggal_lahir", "nik_jenis_kelamin"])  # the form accepts them all
    case.data = {"form": form}
    pdf = render(load_office_head(office), sop, case, key, NUMBER, _signature_or_none(office, sop, key))
    pages = _page_texts(pdf)
    text = _squeezed(" ".join(page.get_text_bounded() for page in pages))
    printed = 0
    for field, value in expected.items():
        section_key, field_key = field.split(".")
        spec = next(
            f for s in applicant_sections(sop) if s.key == section_key for f in s.fields if f.key == field_key
        )
        kept = teks.upper(value) if sop.requirements.in_capitals(spec) else value
        first = _squeezed(kept)[:4]
        if first not in text:
            continue  # this document does not print this field
        printed += 1
        assert _squeezed(kept) in text, f"{key}: {field} is not printed whole ({len(kept)} characters)"
        area = BOXES.get(key, PAGE)
        assert any(_inside(boxes, area) for boxes in _occurrences(pages, kept)), (
            f"{key}: {field} is not whole inside {area}"
        )
    assert printed, f"{key} prints none of the form's text fields"


def load_office_head(office: str) -> Any:
    from chalicelib.sop.loader import load_office

    return load_office(office)


def _signature_or_none(office: str, sop: ServiceStandard, key: str) -> Any:
    from chalicelib.services import issuing

    return _signature(load_office_head(office), sop, key) if issuing.signing_step(sop, key) else None


def test_the_ak1_card_counts_the_entries_it_has_no_room_for() -> None:
    """Ten skills and ten jobs at their longest: the first of each whole, the rest counted."""
    _, sop, case = _case("kab-pasuruan", "ak1")
    raw, _ = longest_form(sop)
    form = clean_form(sop, raw, ["nik_tanggal_lahir", "nik_jenis_kelamin"])
    case.data = {"form": form}
    pdf = render(load_office_head("kab-pasuruan"), sop, case, "kartu_ak1", NUMBER, None)
    pages = _page_texts(pdf)
    text = " ".join(pages[0].get_text_bounded().split())
    assert re.findall(r"\(\+\d+ lainnya\)", text) and "…" not in text
    name = form["identitas"]["nama_lengkap"]
    assert len(_occurrences(pages, name)) == 2  # the front, and the back's line under LAPORAN


@pytest.mark.parametrize(("office", "service", "key"), products())
def test_the_signers_longest_name_and_decree_are_printed_whole(office: str, service: str, key: str) -> None:
    """What the office administrator types for a staff account (a name of NAME_MAX characters)
    and for a delegation decree (MAX_DECREE characters) is printed whole where a document prints it."""
    head, sop, case = _case(office, service)
    name, decree = widest("QNMQ", teks.NAME_MAX), widest("QSKQ", decrees.MAX_DECREE)
    case.officers = {step: replace(officer, name=name) for step, officer in case.officers.items()}
    step = issuing.signing_step(sop, key)
    signature = None
    if step is not None and step.signing is not None:
        delegate = next(role for role in head.roles if role != step.signing.signer)
        signature = replace(_signature(head, sop, key, delegate), name=name, decree=decree)
    pdf = render(head, sop, case, key, NUMBER, signature)
    pages = _page_texts(pdf)
    text = _squeezed(" ".join(page.get_text_bounded() for page in pages))
    for value in (name, decree):
        if _squeezed(value)[:4] in text:
            assert _squeezed(value) in text, f"{key}: {value[:4]} is not printed whole"
    assert _squeezed(name)[:4] in text, f"{key} prints no signer's or officer's name"


def test_the_issues_272_character_address_is_printed_whole() -> None:
    """Issue 12: a 272-character address was cut on the card ("…JALAN RAYA PURW…")."""
    from chalicelib.documents.ak1_card import render_card
    from tests.unit.test_ak1_card import CARD

    address = (
        "PERUMAHAN GRIYA BANGIL ASRI BLOK C-17 NOMOR 23, DUSUN KRAJAN RT 002 RW 001, DESA KERTOSARI, "
        "KECAMATAN PURWOSARI, KABUPATEN PASURUAN, JAWA TIMUR 67162, DI BELAKANG MASJID AL-IKHLAS, "
        "DEKAT PERTIGAAN PASAR PURWOSARI LAMA, MASUK GANG SEBELAH BENGKEL LAS, JALAN RAYA PURWOSARI."
    )
    assert len(address) == 272
    pages = _page_texts(render_card(replace(CARD, address_line=address)))
    assert any(_inside(boxes, ak1_card.particulars_box()) for boxes in _occurrences(pages, address))
