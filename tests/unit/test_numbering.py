"""Letter numbers as an office prints them (its SOP's format). Taking them from the register
(gap-free, once per document, under concurrency) is the registers contract, tests/contract/registers.py."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.clock import WIB
from chalicelib.services import numbering
from chalicelib.sop.loader import load_office


def test_number_format_uses_roman_month() -> None:
    office = load_office("kota-tangerang")
    at = datetime(2026, 11, 22, 3, 0, tzinfo=WIB)
    assert numbering.format_number(office.numbering, 7, "560", at) == "560/7-Disnaker/XI/2026"
