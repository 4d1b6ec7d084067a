"""Letter numbers: atomic, gap-free per office, classification code and year, never repeated.

A number is taken from the office's register (`adapters/registers.py`) in one step that (1)
moves the counter from the value just read to the next one, (2) writes the register entry for
that number and (3) claims the number for this case and document. Two requests at once cannot
both move the counter from the same value, so one tries again with the next number; a repeated
request (a redelivered task) finds its claim and gets the same number back. Nothing is taken
that is not written in the register: no gaps.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.adapters.models import LetterNumber
from chalicelib.adapters.registers import registers
from chalicelib.domain.clock import WIB, iso
from chalicelib.sop.schema import LetterNumbering

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ATTEMPTS = 50


class NumberingError(RuntimeError):
    """The register was too busy to give a number after many tries (retried by the worker)."""


def format_number(rule: LetterNumbering, seq: int, code: str, at: datetime, region: str = "") -> str:
    local = at.astimezone(WIB)
    return rule.format.format(
        seq=seq,
        code=code,
        unit=rule.unit,
        month=f"{local.month:02d}",
        roman_month=ROMAN[local.month - 1],
        year=local.year,
        region=region,
        ddmmyy=local.strftime("%d%m%y"),
    )


def assign(
    office_id: str,
    rule: LetterNumbering,
    case_id: str,
    document: str,
    code: str | None = None,
    at: datetime | None = None,
    region: str = "",
) -> str:
    """The letter number of `document` of the case: the existing one, or the next of the register."""
    when = at or datetime.now(WIB)
    code = code or rule.default_code
    year = when.astimezone(WIB).year
    book = registers()
    for _attempt in range(ATTEMPTS):
        given = book.claimed(case_id, document)
        if given is not None:
            return given
        seq = book.last(office_id, code, year) + 1
        number = format_number(rule, seq, code, when, region)
        if book.take(office_id, code, year, seq, number, case_id, document):
            return number
        # someone took this number, or this document's claim exists: look again
    raise NumberingError(f"register {office_id}/{code}/{year} busy")


def void(case_id: str, document: str, reason: str) -> str | None:
    """Mark the number taken for `document` of the case void (*nomor batal*), with `reason`.

    The register keeps the entry, so every number is accounted for; the claim is released with
    it, so if the document is ever issued after all it gets a new number. Returns the voided
    number, or None when no number was taken (or it was voided already). Raises Conflict when
    the register changed meanwhile (the caller retries)."""
    return registers().void(case_id, document, reason, iso())


def register(office_id: str, code: str, year: int) -> list[LetterNumber]:
    """The office's register of one code and year, in order."""
    return registers().entries(office_id, code, year)
