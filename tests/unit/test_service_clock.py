"""The service clock: a case's due date from the published service time, in office hours, past
Indonesia's public holidays and the joint leave of the SKB (services/service_clock.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.adapters.models import Case
from chalicelib.domain.clock import WIB
from chalicelib.domain.hari_libur import DecreeError, JointLeaveDecree, closed_days, read_decree_days
from chalicelib.domain.tanggal import waktu
from chalicelib.services import service_clock
from chalicelib.sop.durations import longest_span
from chalicelib.sop.loader import load_office, load_service
from chalicelib.sop.schema import Office, WorkingHours

PRODUCTION = 60.0  # seconds per standard minute: the real clock


def with_hours(office: Office) -> Office:
    """The office as if it published Mon-Thu 08.00-16.00 and Fri 08.00-16.30 WIB."""
    return office.model_copy(
        update={
            "working_hours": [
                WorkingHours(days=[1, 2, 3, 4], start="08:00", end="16:00"),
                WorkingHours(days=[5], start="08:00", end="16:30"),
            ]
        }
    )


PASURUAN = with_hours(load_office("kab-pasuruan"))
LAPOR_TKA = load_service("kab-pasuruan", "lapor-keberadaan-tka")  # "1 Hari"
VALIDASI = load_service("kab-pasuruan", "validasi-tka")  # "5 - 10 Menit"
CPMI = load_service("kab-pasuruan", "rekomendasi-paspor-cpmi")  # "3-7 Hari"


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


def due(sop, office, received: datetime, recorded=None) -> datetime:
    return service_clock.due_at(
        sop, office, received, {} if recorded is None else recorded, PRODUCTION
    ).astimezone(WIB)


def test_the_library_knows_2026s_holidays_and_joint_leave() -> None:
    closed = closed_days([2026], {})
    assert "Imlek" in closed[date(2026, 2, 17)]  # public holiday
    assert closed[date(2026, 2, 16)].startswith("Cuti Bersama")  # SKB joint leave
    assert date(2026, 2, 13) not in closed


def test_friday_afternoon_before_the_lunar_new_year_is_due_on_wednesday() -> None:
    """Filed Friday 13 Feb 2026 at 14.00 WIB: Monday 16 Feb is joint leave (cuti bersama Imlek),
    Tuesday 17 Feb the Lunar New Year; "1 Hari" is one office day, so the office promises
    Wednesday 18 Feb at 14.00."""
    received = wib(2026, 2, 13, 14, 0)
    assert received.isoweekday() == 5
    got = due(LAPOR_TKA, PASURUAN, received)
    assert got == wib(2026, 2, 18, 14, 0)
    assert waktu(got) == "18 Feb 2026 14.00 WIB"


def test_after_fridays_later_closing_the_due_time_is_the_due_days_closing() -> None:
    # 16.15 on Friday is inside Friday's hours (until 16.30); Wednesday closes at 16.00.
    assert due(LAPOR_TKA, PASURUAN, wib(2026, 2, 13, 16, 15)) == wib(2026, 2, 18, 16, 0)


def test_filed_after_closing_counts_from_the_next_office_day() -> None:
    # Friday 17.00: received Wednesday 08.00 (after the weekend, the joint leave and Imlek).
    assert due(LAPOR_TKA, PASURUAN, wib(2026, 2, 13, 17, 0)) == wib(2026, 2, 19, 8, 0)


def test_minutes_are_office_minutes_and_a_range_is_due_at_its_longest() -> None:
    # "5 - 10 Menit" filed at 16.25 on Friday 13 Feb: 5 minutes that day, 5 on Wednesday.
    assert due(VALIDASI, PASURUAN, wib(2026, 2, 13, 16, 25)) == wib(2026, 2, 18, 8, 5)
    # "3-7 Hari" from Tuesday 12 May 2026: seven office days (Thu 14 May Ascension and Fri 15 May
    # joint leave skipped) end on Monday 25 May.
    assert due(CPMI, PASURUAN, wib(2026, 5, 12, 10, 0)) == wib(2026, 5, 25, 10, 0)


def test_an_office_without_hours_runs_around_the_clock() -> None:
    office = load_office("kab-pasuruan")
    assert office.working_hours is None
    assert due(LAPOR_TKA, office, wib(2026, 2, 13, 14, 0)) == wib(2026, 2, 14, 14, 0)


def test_a_recorded_decree_replaces_the_librarys_joint_leave_of_its_year() -> None:
    # A decree for 2026 without 16 Feb: Monday is a working day again, Tuesday is still Imlek.
    decree = JointLeaveDecree(2026, "SKB contoh", ((date(2026, 12, 24), "Cuti bersama Natal"),))
    assert due(LAPOR_TKA, PASURUAN, wib(2026, 2, 13, 14, 0), {2026: decree}) == wib(2026, 2, 16, 14, 0)
    # and its own days are skipped: Wed 23 Dec 2026 -> Thu 24 (joint leave), Fri 25 (Christmas) -> Mon 28
    assert due(LAPOR_TKA, PASURUAN, wib(2026, 12, 23, 9, 0), {2026: decree}) == wib(2026, 12, 28, 9, 0)


def test_the_clock_is_scaled_like_the_step_timers() -> None:
    received = wib(2026, 2, 13, 14, 0)
    scaled = service_clock.due_at(LAPOR_TKA, PASURUAN, received, {}, time_scale=0.6)
    real = wib(2026, 2, 18, 14, 0) - received
    assert scaled - received == real / 100


def test_longest_span_reads_the_published_promise() -> None:
    assert longest_span("1 Hari") == (1, 0)
    assert longest_span("3-7 Hari") == (7, 0)
    assert longest_span("5 - 10 Menit") == (0, 10)
    assert longest_span("20 Menit") == (0, 20)
    assert longest_span("1 hari 2 jam") == (1, 120)


def test_overdue_only_while_the_office_holds_the_case() -> None:
    case = Case("CASE#x", "#CASE", status="submitted", due_at="2026-02-18T07:00:00.000Z")
    before, after = datetime(2026, 2, 18, 6, 59, tzinfo=UTC), datetime(2026, 2, 18, 7, 1, tzinfo=UTC)
    assert not service_clock.overdue(case, before)
    assert service_clock.overdue(case, after)
    assert service_clock.shown(case, after) == {
        "due": "18 Feb 2026 14.00 WIB",
        "overdue": True,
        "paused": False,
    }
    for status in ("completed", "rejected", "returned", "draft"):
        case.status = status
        assert not service_clock.overdue(case, after)


def test_the_admins_decree_lines_are_checked() -> None:
    days = read_decree_days("2026-02-16 Cuti bersama Tahun Baru Imlek\n\n2026-12-24", 2026)
    assert days == (
        (date(2026, 2, 16), "Cuti bersama Tahun Baru Imlek"),
        (date(2026, 12, 24), "Cuti bersama"),
    )
    for text, fault in (
        ("16-02-2026 Imlek", "Baris 1: awali dengan tanggal"),
        ("2026-02-30 x", "tidak ada"),
        ("2027-02-05 x", "bukan tahun 2026"),
        ("2026-02-14 Sabtu", "Sabtu/Minggu"),
        ("2026-02-16 a\n2026-02-16 b", "Baris 2: tanggal 2026-02-16 ditulis dua kali"),
    ):
        with pytest.raises(DecreeError, match=fault):
            read_decree_days(text, 2026)


def test_a_weekday_in_two_blocks_of_hours_is_refused() -> None:
    from chalicelib.sop.rules import check_office

    office = PASURUAN.model_copy(
        update={
            "working_hours": [
                WorkingHours(days=[1, 5], start="08:00", end="16:00"),
                WorkingHours(days=[5], start="08:00", end="16:30"),
            ]
        }
    )
    problems = check_office(office)
    assert [p.message for p in problems] == ["hari 5 sudah punya jam kerja di blok 1"]


# --- the clock stops while a returned file is with the applicant ------------------------------


def resumed(office, due_at: datetime, returned: datetime, back: datetime) -> datetime:
    return service_clock.resumed(due_at, office, returned, back, {}, PRODUCTION).astimezone(WIB)


def test_time_with_the_applicant_in_office_hours_moves_the_due_date_by_office_minutes() -> None:
    """Due Wednesday 18 Feb 2026 14.00; returned Thursday 12 Feb 15.00, resubmitted Friday 13 Feb
    08.30: the office lost Thursday's last hour and Friday's first half hour (1.5 office hours),
    so the file is now due Wednesday at 15.30."""
    due_then = wib(2026, 2, 18, 14, 0)
    assert resumed(PASURUAN, due_then, wib(2026, 2, 12, 15, 0), wib(2026, 2, 13, 8, 30)) == wib(
        2026, 2, 18, 15, 30
    )


def test_a_weekend_and_holidays_with_the_applicant_cost_the_office_nothing() -> None:
    """Returned Friday 13 Feb 2026 at 16.30 (closing), resubmitted Wednesday 18 Feb at 07.00:
    the weekend, joint leave (16 Feb) and Imlek (17 Feb) and the hours before opening are no
    office time, so the due date stays."""
    due_then = wib(2026, 2, 20, 10, 0)
    assert resumed(PASURUAN, due_then, wib(2026, 2, 13, 16, 30), wib(2026, 2, 18, 7, 0)) == due_then


def test_time_away_past_the_closing_hour_carries_into_the_next_office_day() -> None:
    """Due Monday 2 Mar 2026 at 15.00, two office hours away: one hour is left that Monday, the
    other runs from Tuesday's opening, so it is due Tuesday 3 Mar at 09.00."""
    due_then = wib(2026, 3, 2, 15, 0)
    assert resumed(PASURUAN, due_then, wib(2026, 2, 26, 9, 0), wib(2026, 2, 26, 11, 0)) == wib(
        2026, 3, 3, 9, 0
    )


def test_an_office_without_hours_moves_the_due_date_by_the_wall_clock_time_away() -> None:
    office = load_office("kab-pasuruan")
    due_then = wib(2026, 2, 18, 14, 0)
    returned, back = wib(2026, 2, 13, 16, 30), wib(2026, 2, 16, 8, 0)
    assert resumed(office, due_then, returned, back) == due_then + (back - returned)


def test_a_resubmission_stamped_before_its_return_does_not_move_the_due_date() -> None:
    due_then = wib(2026, 2, 18, 14, 0)
    assert resumed(PASURUAN, due_then, wib(2026, 2, 13, 10, 0), wib(2026, 2, 13, 9, 0)) == due_then


def test_a_scaled_clock_moves_by_the_measured_time_even_with_office_hours() -> None:
    """Tests and demos run timers scaled (LOKET_TIME_SCALE): office hours mean nothing on a clock
    where a day lasts seconds, so the due date moves by the wall-clock time the file was away."""
    due_then = wib(2026, 2, 18, 14, 0)
    returned, back = wib(2026, 2, 14, 3, 0), wib(2026, 2, 14, 3, 0, 5)
    moved = service_clock.resumed(due_then, PASURUAN, returned, back, {}, 0.01)
    assert moved == due_then + (back - returned)


def test_shown_says_the_clock_is_paused_only_while_the_file_is_returned() -> None:
    returned = Case(case_id="c1", status="returned", due_at="2026-02-18T07:00:00.000Z")
    assert service_clock.shown(returned)["paused"] is True
    for status in ("submitted", "completed", "draft"):
        case = Case(case_id="c1", status=status, due_at="2026-02-18T07:00:00.000Z")
        assert service_clock.shown(case)["paused"] is False
    assert service_clock.shown(Case(case_id="c1", status="returned"))["paused"] is False


def test_the_office_time_of_a_case_starts_at_submission_and_leaves_out_the_time_with_the_applicant() -> None:
    """The evaluation's whole-case time (services/tallies.py `office_seconds`): a draft opened at
    08.00, submitted at 09.00, returned for an hour and completed at 12.00 was held by the office
    two hours; a case from before `submitted_at` existed counts from its creation."""
    from chalicelib.services.tallies import office_seconds

    case = Case(
        case_id="c1",
        status="completed",
        created_at="2026-02-16T01:00:00.000Z",
        submitted_at="2026-02-16T02:00:00.000Z",
        data={"clock_paused_seconds": 3600},
    )
    assert office_seconds(case, datetime(2026, 2, 16, 5, 0, tzinfo=UTC)) == 2 * 3600
    old = Case(case_id="c2", status="completed", created_at="2026-02-16T01:00:00.000Z")
    assert office_seconds(old, datetime(2026, 2, 16, 5, 0, tzinfo=UTC)) == 4 * 3600
    assert office_seconds(case, datetime(2026, 2, 16, 2, 30, tzinfo=UTC)) == 0  # never below 0
