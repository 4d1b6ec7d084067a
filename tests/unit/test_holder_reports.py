"""The AK/I holder's six-monthly report (domain/holder_reports.py): the boxes' windows, once per
window, found work closes the card, the reminders' dates, and the stamps printed on the card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.documents.ak1_card import render_card
from chalicelib.domain import holder_reports as hr
from tests.unit.test_ak1_card import CARD, page_text, qr_values

ISSUED, UNTIL = date(2026, 11, 22), date(2028, 11, 22)


def test_the_boxes_open_on_the_months_the_card_prints() -> None:
    assert hr.due_dates(ISSUED) == [date(2027, 5, 1), date(2027, 11, 1), date(2028, 5, 1), date(2028, 11, 1)]
    assert hr.window(ISSUED, UNTIL, 1) == (date(2027, 5, 1), date(2027, 10, 31))
    assert hr.window(ISSUED, UNTIL, 4) == (date(2028, 11, 1), UNTIL)  # box 4: until the card ends
    assert hr.open_box(ISSUED, UNTIL, date(2027, 4, 30)) is None
    assert hr.open_box(ISSUED, UNTIL, date(2027, 5, 1)) == 1
    assert hr.open_box(ISSUED, UNTIL, date(2028, 6, 30)) == 3
    assert hr.open_box(ISSUED, UNTIL, date(2028, 11, 23)) is None


def test_still_looking_once_per_window_and_only_in_a_window() -> None:
    with pytest.raises(hr.ReportRefused, match="Laporan ke-1 dapat dibuat mulai 1 Mei 2027"):
        hr.take([], ISSUED, UNTIL, date(2027, 1, 5), "t0", hr.STILL_LOOKING)
    first, new = hr.take([], ISSUED, UNTIL, date(2027, 5, 3), "t1", hr.STILL_LOOKING)
    assert new and first.box == 1 and first.on == date(2027, 5, 3)
    again, new = hr.take([first], ISSUED, UNTIL, date(2027, 9, 30), "t2", hr.STILL_LOOKING)
    assert not new and again == first  # a second click in the window is the first report
    second, new = hr.take([first], ISSUED, UNTIL, date(2027, 11, 2), "t3", hr.STILL_LOOKING)
    assert new and second.box == 2
    with pytest.raises(hr.ReportRefused, match="berlaku sampai 22 November 2028"):
        hr.take([first, second], ISSUED, UNTIL, date(2028, 11, 23), "t4", hr.STILL_LOOKING)


def test_found_work_needs_employer_and_date_and_closes_the_card() -> None:
    with pytest.raises(hr.ReportRefused) as refused:
        hr.take([], ISSUED, UNTIL, date(2027, 2, 1), "t", hr.FOUND_WORK, " ", "2027-02-01")
    assert refused.value.field == "employer"
    with pytest.raises(hr.ReportRefused) as refused:
        hr.take([], ISSUED, UNTIL, date(2027, 2, 1), "t", hr.FOUND_WORK, "PT Maju", "bukan tanggal")
    assert refused.value.field == "start_date"
    with pytest.raises(hr.ReportRefused):
        hr.take([], ISSUED, UNTIL, date(2027, 2, 1), "t", hr.FOUND_WORK, "W" * 81, "2027-02-01")
    work, new = hr.take([], ISSUED, UNTIL, date(2027, 2, 1), "t", hr.FOUND_WORK, "  PT  Maju ", "2027-01-15")
    assert new and work.box == 1 and work.employer == "PT Maju"  # before box 1 opens: box 1
    assert work.stamp == "Sudah bekerja di PT Maju sejak 15 Januari 2027"
    assert hr.closing([work]) == work
    assert hr.take([work], ISSUED, UNTIL, date(2027, 2, 2), "t", hr.FOUND_WORK, "PT Lain", "2027-02-01") == (
        work,
        False,
    )  # a second click changes nothing
    with pytest.raises(hr.ReportRefused, match="sudah ditutup"):
        hr.take([work], ISSUED, UNTIL, date(2027, 6, 1), "t", hr.STILL_LOOKING)
    assert hr.recorded([work.as_dict()]) == [work]


def test_reminders_a_week_before_each_box_and_two_weeks_before_expiry() -> None:
    found = hr.reminders(ISSUED, UNTIL)
    assert [(r.kind, r.due, r.send_on) for r in found] == [
        ("laporan-1", date(2027, 5, 1), date(2027, 4, 24)),
        ("laporan-2", date(2027, 11, 1), date(2027, 10, 25)),
        ("laporan-3", date(2028, 5, 1), date(2028, 4, 24)),
        ("laporan-4", date(2028, 11, 1), date(2028, 10, 25)),
        ("habis", UNTIL, date(2028, 11, 8)),
    ]
    first, _ = hr.take([], ISSUED, UNTIL, date(2027, 5, 3), "t", hr.STILL_LOOKING)
    assert not hr.still_due(found[0], [first]) and hr.still_due(found[1], [first])
    work, _ = hr.take([first], ISSUED, UNTIL, date(2027, 6, 3), "t", hr.FOUND_WORK, "PT Maju", "2027-06-01")
    assert not any(hr.still_due(r, [first, work]) for r in found)


def test_the_card_prints_each_stamp_in_its_box_and_keeps_number_and_qr() -> None:
    first, _ = hr.take([], ISSUED, UNTIL, date(2027, 5, 3), "t", hr.STILL_LOOKING)
    long_name = "PT " + "Sumber Rejeki Abadi Sentosa " * 3
    work, _ = hr.take(
        [first],
        ISSUED,
        UNTIL,
        date(2027, 11, 4),
        "t",
        hr.FOUND_WORK,
        long_name[: hr.EMPLOYER_MAX],
        "2027-11-01",
    )
    plain = page_text(render_card(CARD))
    assert "DILAPORKAN" not in plain and "DITUTUP" not in plain
    pdf = render_card(replace(CARD, reports=(first, work)))
    text = page_text(pdf)
    assert "DILAPORKAN" in text and "Masih mencari kerja" in text and "3 Mei 2027" in text
    assert "DITUTUP · SUDAH BEKERJA" in text and "4 November 2027" in text
    assert "1 November 2027" in text and "…" not in text  # the longest employer prints whole
    assert "3514221126000001" in text and qr_values(pdf) == qr_values(render_card(CARD))
