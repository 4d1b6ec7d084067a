"""Indonesian durations as the service standards write them ("30 menit", "1 jam", "3-7 Hari").

SOP files keep the seed's own wording so an administrator recognises it; the engine needs
minutes. This module is the single place that turns one into the other and back.
A day ("hari") counts as 24 hours: the standards do not say "hari kerja".
"""

from __future__ import annotations

import re

MINUTES_PER_UNIT = {"detik": 1 / 60, "menit": 1.0, "jam": 60.0, "hari": 24 * 60.0}

NOT_TIMED = "-"
"""The seeds' mark for a step without a standard time (only accepted before submission)."""

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = "|".join(MINUTES_PER_UNIT)
_PART = re.compile(rf"({_NUMBER})\s*({_UNIT})", re.IGNORECASE)
_AMOUNT = re.compile(rf"^\s*(?:{_NUMBER}\s*(?:{_UNIT})\s*)+$", re.IGNORECASE)
_RANGE = re.compile(
    rf"^\s*({_NUMBER})\s*(?:-|–|s\.?d\.?|sampai)\s*({_NUMBER})\s*({_UNIT})\s*$", re.IGNORECASE
)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_minutes(text: str) -> float:
    """Minutes in one amount such as "30 menit", "1 jam" or "1 jam 30 menit".

    Raises ValueError with an Indonesian message when the text is not an amount of time.
    """
    if not _AMOUNT.match(text):
        raise ValueError(
            f"waktu baku '{text}' tidak terbaca; tulis seperti '30 menit', '1 jam' atau '1 jam 30 menit'"
        )
    return sum(_number(n) * MINUTES_PER_UNIT[u.lower()] for n, u in _PART.findall(text))


def parse_range_minutes(text: str) -> tuple[float, float]:
    """The (shortest, longest) minutes of a service duration: "20 Menit" or "3-7 Hari"."""
    ranged = _RANGE.match(text)
    if ranged:
        low, high, unit = ranged.groups()
        per_unit = MINUTES_PER_UNIT[unit.lower()]
        shortest, longest = _number(low) * per_unit, _number(high) * per_unit
        if shortest > longest:
            raise ValueError(f"jangka waktu '{text}': batas bawah lebih besar dari batas atas")
        return shortest, longest
    try:
        minutes = parse_minutes(text)
    except ValueError:
        raise ValueError(
            f"jangka waktu '{text}' tidak terbaca; tulis seperti '20 Menit', '1 Hari' atau '3-7 Hari'"
        ) from None
    return minutes, minutes


def longest_span(text: str) -> tuple[float, float]:
    """The published promise of a service duration as (working days, minutes): the upper bound of
    a range, its days apart from its hours and minutes. "3-7 Hari" -> (7, 0), "5 - 10 Menit" ->
    (0, 10), "1 hari 2 jam" -> (1, 120). The service clock counts days as office days and minutes
    as office minutes (chalicelib/domain/working_time.py); raises ValueError like
    `parse_range_minutes` for text that is not a duration."""
    ranged = _RANGE.match(text)
    if ranged:
        parse_range_minutes(text)  # the bounds in order, or ValueError
        _low, high, unit = ranged.groups()
        amount = _number(high)
        return (amount, 0.0) if unit.lower() == "hari" else (0.0, amount * MINUTES_PER_UNIT[unit.lower()])
    parse_range_minutes(text)
    days = 0.0
    minutes = 0.0
    for number, unit in _PART.findall(text):
        if unit.lower() == "hari":
            days += _number(number)
        else:
            minutes += _number(number) * MINUTES_PER_UNIT[unit.lower()]
    return days, minutes


def format_minutes(minutes: float) -> str:
    """Minutes written back in Indonesian for tables: 137 -> "2 jam 17 menit"."""
    whole = round(minutes)
    if whole == 0:
        return "-" if minutes == 0 else f"{minutes:g} menit"
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} hari" if days else "", f"{hours} jam" if hours else "", f"{mins} menit" if mins else ""]
    return " ".join(p for p in parts if p)
