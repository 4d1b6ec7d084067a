"""The running aggregates in the table: counters added once per event, and a range of days read
back (DynamoDB, through PynamoDB; keys are `models.DayTally`'s and `models.TallyMark`'s).

`add_once` writes, in one transaction, the event's marker (only if absent) and an ADD of every
counter: a replayed event is refused by its marker and adds nothing; the counters of two events
at once both land (ADD is atomic). `days` reads an office's items of a date range with one query
(and its pages), the only read the reports make; `READS` counts those calls (the benchmark).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pynamodb.expressions.operand import Path

from chalicelib.adapters.models import DayTally, TallyMark
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import iso, now

MARK_DAYS = 400
"""How long a marker is kept (the table's TTL): a writer retries within minutes, and a replay of
a past year's events is an operator's job that reads the markers still there."""


class _Reads:
    """DynamoDB calls made by `days` (a process-wide count, for the benchmark and tests)."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.calls += 1


READS = _Reads()


def add_once(marker: str, office: str, service: str, day: str, counters: Mapping[str, int | float]) -> bool:
    """Add `counters` ({attribute name: amount}) to the DayTally of `office`, `service`, `day`
    (YYYY-MM-DD), unless `marker` was counted already. Returns True when added, False for a
    replay. Raises Loket's Conflict/Unavailable from `write_all` (a concurrent transaction on
    the same day item, throttling): the caller may try again, the marker keeping it once."""
    mark = TallyMark(
        *TallyMark.key(marker),
        at=iso(),
        expires_at=int((now() + timedelta(days=MARK_DAYS)).timestamp()),
    )
    tally = DayTally(*DayTally.key(office, day, service))
    actions: list[Any] = [
        DayTally.office.set(office),
        DayTally.service.set(service),
        DayTally.day.set(day),
        *(Path([name]).add(amount) for name, amount in sorted(counters.items()) if amount),
    ]
    try:
        write_all(
            [
                Write("save", mark, condition=TallyMark.PK.does_not_exist(), refusal="counted"),
                Write("update", tally, actions=actions),
            ]
        )
    except Refused:
        return False
    return True


_PLAIN = ("PK", "SK", "kind", "office", "service", "day")


def days(office: str, first: str, last: str) -> list[dict[str, Any]]:
    """Every DayTally of `office` from day `first` to day `last` (YYYY-MM-DD, both included), as
    {"service", "day", "counters": {name: number}}, by day then service. One Query per page
    (1 MB): a month of an office is one or two calls."""
    connection = DayTally._get_connection()
    condition = DayTally.SK.between(DayTally.day_bound(first), DayTally.day_bound(last) + "~")
    found: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    while True:
        READS.add()
        page = connection.query(
            DayTally.partition(office),
            range_key_condition=condition,
            exclusive_start_key=start,
            consistent_read=False,
        )
        for raw in page.get("Items", []):
            counters = {
                name: float(value["N"]) for name, value in raw.items() if name not in _PLAIN and "N" in value
            }
            found.append({"service": raw["service"]["S"], "day": raw["day"]["S"], "counters": counters})
        start = page.get("LastEvaluatedKey")
        if not start:
            return found
