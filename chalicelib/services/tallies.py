"""Running aggregates per office, service and day (WIB), updated with each audit event that
counts: a submission, a staff decision, a return to the applicant, a case closed.

Each event adds to one `DayTally` item (adapters/tallies.py: atomic ADD, with a marker written in
the same transaction so a replayed or retried event is counted once). Its counters, by name:

- `case|in` files submitted (intake); `case|done`, `case|rej`, `case|exp` files completed,
  rejected, expired; `case|ret` returns to the applicant, `ret|<reason>` per returned document
  key (`ret|lainnya` when the return named none);
- the whole case (completed files only, submission to completion less the time it was back with
  the applicant, elapsed seconds: `office_seconds`): `case|n`,
  `case|s` (sum), `case|std` (sum of the published service times as each case's clock counted
  them: `due_at`'s distance; without one, the steps' standard times), `case|ok` (closed by its
  due date), `case|h|<bucket>` (domain/durations.py);
- per step `<st>` (two digits) of a staff decision: `st|<st>|n`, `st|<st>|s` (sum of seconds
  from entering the step to the decision), `st|<st>|std` (sum of the step's standard seconds),
  `st|<st>|ok` (decided before the step's standard ran out, in the office's working time: the
  item was not flagged overdue), `st|<st>|h|<bucket>`;
- per officer `<who>` (their account name): `of|<who>|n` decisions, `of|<who>|s` seconds,
  `of|<who>|ok` on time (the SKP view).

Complaints are cases of their own SOP (service `pengaduan`) and are counted as above (filed,
answered = completed, answer time = the whole case), plus `cp|lapor` for one whose officer recorded
an SP4N-LAPOR! ticket number; services/evaluation.py keeps them out of the office's totals.
More sources add more counters to the same items, by name, without a migration: the SKM survey
as `skm|n` and `skm|u<element>` (sum of scores 1-4 per element). `services/evaluation.py` reads
what it knows and ignores the rest.

Marker of an event: a decision's audit event key (written once by its transaction); a worker
task's effect key (`return` / `close` of one pass of a step); a submission or a closing: the case
(each happens once per case). Counting happens right after the event is written: a crash in
between loses that one count (it never doubles one); a failure to count is logged and never
fails the user's request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from chalicelib.adapters import tallies
from chalicelib.adapters.models import AuditEvent, Case, WorkItem
from chalicelib.domain.clock import WIB, now, parse
from chalicelib.domain.durations import bucket
from chalicelib.errors import Conflict, Unavailable
from chalicelib.services.catalog import find_service
from chalicelib.services.evaluation import COMPLAINTS
from chalicelib.settings import get_settings

log = logging.getLogger(__name__)

ATTEMPTS = 4
NO_REASON = "lainnya"
SEP = "|"


def day_of(at: datetime) -> str:
    """The office's day (WIB, YYYY-MM-DD) of an instant."""
    return at.astimezone(WIB).date().isoformat()


def field(*parts: object) -> str:
    """A counter's attribute name from its parts: field("st", "06", "h", 12) == "st|06|h|12"."""
    return SEP.join(str(p) for p in parts)


def _add(marker: str, office: str, service: str, at: datetime, counters: Mapping[str, float]) -> bool:
    """Add once, tried again on a concurrent transaction; never raises (logged instead)."""
    for _ in range(ATTEMPTS):
        try:
            return tallies.add_once(marker, office, service, day_of(at), counters)
        except (Conflict, Unavailable):
            continue
        except Exception:  # a count must never fail the request that caused it
            log.exception("tally %s of %s/%s not counted", marker, office, service)
            return False
    log.error("tally %s of %s/%s not counted after %d attempts", marker, office, service, ATTEMPTS)
    return False


def submitted(case: Case, at: datetime | None = None) -> bool:
    """Count a case's submission (intake) on the day it happened. True when counted now."""
    return _add(f"{case.case_id}:submitted", case.office, case.service, at or now(), {"case|in": 1})


def decided(item: WorkItem, event: AuditEvent) -> bool:
    """Count a staff decision on `item` (its step, the officer) from its audit event: the time
    from entering the step to the decision (`event.duration_seconds`, elapsed seconds), its
    standard (`event.standard_seconds`) and whether it was on time (the item not flagged
    overdue). The applicant's own steps (role `pemohon`) are not the office's time: not counted."""
    if event.role == "pemohon" or event.duration_seconds is None:
        return False
    seconds = float(event.duration_seconds)
    ok = 0 if (event.overdue or item.overdue) else 1
    step = item.step
    who = event.actor
    counters = {
        field("st", step, "n"): 1,
        field("st", step, "s"): seconds,
        field("st", step, "std"): float(event.standard_seconds or 0),
        field("st", step, "ok"): ok,
        field("st", step, "h", bucket(seconds)): 1,
        field("of", who, "n"): 1,
        field("of", who, "s"): seconds,
        field("of", who, "ok"): ok,
    }
    return _add(f"{event.PK}{event.SK}", item.office, item.service, parse(event.at), counters)


def returned(marker: str, case: Case, reasons: Iterable[str], at: datetime | None = None) -> bool:
    """Count a return of `case` to its applicant, with its reasons (the returned documents'
    keys; none: `lainnya`). `marker` names the return (the worker task's effect key)."""
    keys = sorted(set(reasons)) or [NO_REASON]
    counters: dict[str, float] = {"case|ret": 1}
    counters.update({field("ret", k): 1 for k in keys})
    return _add(f"return:{marker}", case.office, case.service, at or now(), counters)


def standard_seconds(office: str, service: str) -> float:
    """The whole case's standard, seconds: the sum of the SOP's process steps' standard times,
    scaled as the running machines are (settings.time_scale seconds per standard minute)."""
    entry = find_service(office, service)
    if entry is None:
        return 0.0
    return float(entry.sop.process_minutes) * get_settings().time_scale


def office_seconds(case: Case, at: datetime) -> float:
    """The seconds the office held `case` up to `at`: from its submission (`submitted_at`; a case
    written before that attribute existed, or the demo's history, counts from `created_at`) less
    the time it was back with the applicant (`data.clock_paused_seconds`, written at each
    resubmission: services/service_clock.py `resumed`), never below 0."""
    started = parse(case.submitted_at or case.created_at)
    paused = float((case.data or {}).get("clock_paused_seconds") or 0)
    return max(0.0, (at - started).total_seconds() - paused)


def closed(case: Case, outcome: str, at: datetime | None = None) -> bool:
    """Count a case closed as `outcome` (completed | rejected | expired). A completed case adds
    the time the office held it (`office_seconds`: submission to now, less the time it was with
    the applicant) against the published service time: on time when it closed by its `due_at`,
    whose distance from submission (less the same pause) is its standard; a case without `due_at`
    is held against its steps' standard times (`standard_seconds`)."""
    when = at or now()
    name = {"completed": "case|done", "rejected": "case|rej", "expired": "case|exp"}.get(outcome)
    if name is None:
        return False
    counters: dict[str, float] = {name: 1}
    if case.service == COMPLAINTS and any((r or {}).get("nomor_lapor") for r in case.records.values()):
        counters["cp|lapor"] = 1  # the complaint came through SP4N-LAPOR! (its ticket number recorded)
    if outcome == "completed":
        seconds = office_seconds(case, when)
        if case.due_at:
            # Against the published service time as the case's own clock counts it (office hours,
            # holidays, the time with the applicant left out: services/service_clock.py).
            due = parse(case.due_at)
            standard = office_seconds(case, due)
            ok = when <= due
        else:  # a case from before the service clock: its steps' standard times
            standard = standard_seconds(case.office, case.service)
            ok = bool(standard) and seconds <= standard
        counters.update(
            {
                "case|n": 1,
                "case|s": seconds,
                "case|std": standard,
                "case|ok": 1 if ok else 0,
                field("case", "h", bucket(seconds)): 1,
            }
        )
    return _add(f"{case.case_id}:closed", case.office, case.service, when, counters)
