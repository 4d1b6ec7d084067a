"""Indonesian ways of writing what a document prints: dates and days, months, money, numbers in
words, and a role label as a letter writes it. Plain Python: no reportlab, no model."""

from __future__ import annotations

import re
from datetime import date

from chalicelib.domain.tanggal import MONTHS
from chalicelib.domain.tanggal import tanggal as _tanggal

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def tanggal(day: date) -> str:
    """date(2026, 11, 23) -> '23 November 2026': chalicelib/domain/tanggal.py's one date format,
    with the month in full as the Tata Naskah Dinas writes it in a letter."""
    return _tanggal(day, full_month=True)


def terbilang(number: int) -> str:
    """1500000 -> 'satu juta lima ratus ribu' (nol for 0)."""
    if number < 0:
        return "minus " + terbilang(-number)
    if number == 0:
        return "nol"
    words: list[str] = []
    for size, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")):
        if number >= size:
            count, number = divmod(number, size)
            words.append("seribu" if size == 1000 and count == 1 else f"{_below_thousand(count)} {name}")
    if number:
        words.append(_below_thousand(number))
    return " ".join(words)


def _below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus")
    if rest < 12:
        if rest:
            words.append(ONES[rest])
    elif rest < 20:
        words.append(f"{ONES[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        words.append(f"{ONES[tens]} puluh" + (f" {ONES[ones]}" if ones else ""))
    return " ".join(words)


def rupiah(amount: float) -> str:
    """1500000 -> 'Rp1.500.000,00'."""
    whole = round(amount * 100)
    rupiahs, sen = divmod(whole, 100)
    return f"Rp{rupiahs:,}".replace(",", ".") + f",{sen:02d}"


def hari(day: date) -> str:
    """The weekday's Indonesian name: 'Senin' for a Monday."""
    return DAYS[day.weekday()]


def bulan_tahun(day: date) -> str:
    """'November 2026'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def clean_label(label: str) -> str:
    """A role label as a letter writes it: without the bracketed short form."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()
