"""One date format (chalicelib/domain/tanggal.py) on the shared cases (tests/tanggal_cases.json),
which the public site's format.js must answer alike (tests/browser/test_tanggal_browser.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.documents.words import tanggal as letter_date
from chalicelib.domain.tanggal import jam, tanggal, waktu

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent.parent / "tanggal_cases.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['value']}:{'time' if c['time'] else 'day'}")
def test_each_shared_case(case: dict[str, Any]) -> None:
    written = waktu(case["value"]) if case["time"] else tanggal(case["value"])
    assert written == case["expect"]


def test_dates_and_datetimes_as_python_values() -> None:
    assert tanggal(date(2026, 11, 30)) == "30 Nov 2026"
    assert waktu(datetime(2026, 11, 30, 11, 37, 24, tzinfo=UTC)) == "30 Nov 2026 18.37 WIB"
    assert waktu(datetime(2026, 11, 30, 23, 5)) == "1 Des 2026 06.05 WIB"  # naive: UTC
    assert tanggal(datetime(2026, 11, 30, 23, 5, tzinfo=UTC)) == "1 Des 2026"
    assert jam("2026-11-30T11:37:00Z") == "18.37 WIB"
    assert [tanggal(None), waktu(""), jam(None)] == ["–", "–", "–"]


def test_a_letter_writes_the_month_in_full() -> None:
    """The Tata Naskah Dinas writes the month of a letter's date in full; the same table."""
    assert letter_date(date(2026, 8, 5)) == "5 Agustus 2026" == tanggal(date(2026, 8, 5), full_month=True)
