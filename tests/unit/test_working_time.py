"""Standard times in office hours, and the compiled machine that asks the worker for them."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from chalicelib.domain.working_time import OfficeHours, add_working_minutes, working_minutes_between
from chalicelib.sop.compiler import compile_service, reachable
from chalicelib.sop.loader import load_office, load_service
from chalicelib.sop.schema import WorkingHours

WIB = timezone(timedelta(hours=7))
HOURS = OfficeHours.uniform(frozenset({1, 2, 3, 4, 5}), time(8, 0), time(16, 0))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)  # 2026-11-20 is a Friday


def test_within_the_day() -> None:
    assert add_working_minutes(at(18, 9), 30, HOURS) == at(18, 9, 30)


def test_friday_afternoon_runs_into_monday() -> None:
    assert add_working_minutes(at(20, 15, 30), 60, HOURS) == at(23, 8, 30)


def test_before_opening_starts_at_opening() -> None:
    assert add_working_minutes(at(18, 6), 10, HOURS) == at(18, 8, 10)


def test_weekend_submission_waits_for_monday() -> None:
    assert add_working_minutes(at(22, 11), 30, HOURS) == at(23, 8, 30)


def test_one_day_standard_is_a_working_day() -> None:
    assert add_working_minutes(at(18, 8), 24 * 60, HOURS) == at(20, 16, 0)


def test_office_minutes_between_two_moments_count_only_open_hours() -> None:
    assert working_minutes_between(at(18, 9), at(18, 10, 30), HOURS) == 90
    assert working_minutes_between(at(20, 15, 30), at(23, 8, 30), HOURS) == 60  # over the weekend
    assert working_minutes_between(at(21, 9), at(22, 17), HOURS) == 0  # Saturday to Sunday
    assert working_minutes_between(at(18, 6), at(18, 20), HOURS) == 8 * 60  # before opening to after closing
    assert working_minutes_between(at(18, 8), at(25, 8), HOURS) == 5 * 8 * 60  # a whole week
    assert working_minutes_between(at(18, 10), at(18, 9), HOURS) == 0  # the wrong way round
    closed = HOURS.with_closed(frozenset({datetime(2026, 11, 19).date()}))
    assert working_minutes_between(at(18, 15), at(20, 9), closed) == 120  # past a holiday


def test_bad_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_minutes(at(18, 8), 10, OfficeHours.uniform(frozenset(), time(8), time(16)))
    with pytest.raises(ValueError):
        WorkingHours(days=[1], start="16:00", end="08:00")


def test_an_office_with_hours_gets_deadlines_from_the_worker() -> None:
    office = load_office("kab-pasuruan").model_copy(
        update={"working_hours": WorkingHours(days=[1, 2, 3, 4, 5], start="08:00", end="16:00")}
    )
    definition = compile_service(office, load_service("kab-pasuruan", "lapor-keberadaan-tka"))
    states = definition["States"]
    enter = states["W02"]
    assert enter["Parameters"]["MessageBody"]["task"] == "step_deadline"
    assert enter["Parameters"]["MessageBody"]["minutes"] == 30 and enter["ResultPath"] == "$.entered"
    assert states["H02"]["TimeoutSecondsPath"] == "$.entered.timeout"
    assert states["W03"]["Next"] == "P03"  # a drafting step still prepares its draft first
    assert set(reachable(states, definition["StartAt"])) == set(states)
