"""The inbox tells what is left of a step's standard time, in the office's own words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.models import WorkItem
from chalicelib.domain.clock import iso, now
from chalicelib.staff.case_view import time_left


@pytest.fixture(autouse=True)
def real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.settings import reset_settings

    monkeypatch.setattr(
        "chalicelib.staff.case_view.get_settings", lambda: type("S", (), {"time_scale": 60.0})()
    )
    reset_settings()


def item(minutes_ago: float, standard_minutes: int) -> WorkItem:
    return WorkItem(
        "CASE#x",
        "WORK#05#t",
        entered_at=iso(now() - timedelta(minutes=minutes_ago)),
        standard_seconds=standard_minutes * 60,
    )


def test_time_left_and_overdue() -> None:
    assert time_left(item(2, 5)) == "sisa 3 mnt"
    assert time_left(item(7, 5)) == "lewat 2 mnt"
    assert time_left(item(10, 150)) == "sisa 2 jam 20 mnt"
