"""A month of demo history for the board and the evaluation (`make demo` runs it; alone:
`python -m infra.local.history --days 30`, against the stack `make run` started).

Per office, public service and day: a few cases filed in office hours (more on Monday, fewer on
Friday, none at the weekend), each walked through the SOP's staff steps by the demo accounts
(`<office>.<role>`) with times drawn around each step's standard (a log-normal, about one step in
six past it), some returned to the applicant for a document of the service's requirements
(most then resubmitted, some left to expire), a few rejected, the rest completed. It writes what
the running app writes: the audit events (`AuditEvent`, at their historical times) and the
aggregates through the same functions (services/tallies.py), so the figures are the ones the app
would have counted. Nothing else (no Case items, no Step Functions executions): the cases of the
history are figures, not files staff can open.

A step returns or rejects only where its SOP lets it (its outcomes). Complaints (each office's
`pengaduan` SOP) arrive about once a week per office, some through SP4N-LAPOR! (a ticket number
recorded), a few closed without an answer; the evaluation counts them apart.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from chalicelib.adapters.models import AuditEvent, Case, WorkItem
from chalicelib.domain.clock import WIB, iso, now, parse
from chalicelib.services import service_clock, tallies
from chalicelib.services.catalog import ServiceEntry, find_service
from chalicelib.services.evaluation import COMPLAINTS
from chalicelib.settings import get_settings
from chalicelib.sop.loader import list_offices, list_services

DAILY_MEAN = 3.0  # cases per service and working day
RETURN_SHARE = 0.18
EXPIRE_SHARE = 0.25  # of the returned: never resubmitted
REJECT_SHARE = 0.05
COMPLAINT_SHARE = 0.2  # a complaint on this share of days, per office
LAPOR_SHARE = 0.3  # of complaints: filed through SP4N-LAPOR!


@dataclass
class Written:
    cases: int = 0
    events: int = 0
    counted: int = 0


def _office_time(day: datetime, rng: random.Random) -> datetime:
    """A moment of office hours (08:00-15:00 WIB) on `day`."""
    start = datetime.combine(day.date(), time(8), WIB)
    return start + timedelta(seconds=rng.uniform(0, 7 * 3600))


def _duration(standard: float, rng: random.Random) -> float:
    """A step's time: log-normal around 55 % of its standard (about 1 in 6 past it)."""
    base = max(standard, 300.0)
    return max(30.0, base * math.exp(rng.gauss(math.log(0.55), 0.6)))


def _event(
    case_id: str, at: datetime, actor: str, role: str, step: str, action: str, **extra: Any
) -> AuditEvent:
    return AuditEvent(
        *AuditEvent.key(
            case_id, iso(at), hashlib.sha256(f"{case_id}:{iso(at)}:{action}".encode()).hexdigest()[:8]
        ),
        case_id=case_id,
        at=iso(at),
        actor=actor,
        role=role,
        step=step,
        action=action,
        **extra,
    )


def complaints(day: datetime, rng: random.Random, share: float = COMPLAINT_SHARE) -> list[datetime]:
    """When complaints arrive on `day`: one with probability `share` (about one a week per office
    by default, weekends included: the public site is always open)."""
    return [_office_time(day, rng)] if rng.random() < share else []


def walk_case(
    entry: ServiceEntry, case_id: str, filed: datetime, rng: random.Random, out: Written, events: bool = True
) -> None:
    """One case of the history: submitted, its staff steps decided, maybe returned, closed. Its
    audit events are written unless `events` is False (the benchmark counts, keeps no trail)."""
    office, service = entry.office, entry.service
    case = Case(
        *Case.key(case_id),
        case_id=case_id,
        office=office,
        service=service,
        applicant_sub="demo-history",
        status="submitted",
        created_at=iso(filed),
        updated_at=iso(filed),
        submitted_at=iso(filed),
    )
    scale = get_settings().time_scale
    # the published service time, as the app sets it at submission (services/service_clock.py)
    case.due_at = iso(service_clock.due_at(entry.sop, entry.office_sop, filed, {}, scale))
    if service == COMPLAINTS and rng.random() < LAPOR_SHARE:
        case.records = {"02": {"nomor_lapor": f"LAPOR-{rng.randrange(10**7, 10**8)}"}}
    trail = [_event(case_id, filed, "pemohon", "pemohon", "-", "submitted")]
    out.counted += tallies.submitted(case, filed)
    at = filed
    steps = [s for s in entry.sop.process_steps if s.is_human and s.responsible_role]
    returned_once = False
    outcome = "completed"
    for step in steps:
        role = step.responsible_role or "staf"
        number = f"{step.number:02d}"
        standard = step.standard_minutes * scale
        seconds = _duration(standard, rng)
        at = at + timedelta(seconds=seconds)
        if at > now():
            return  # still open today: not part of the history
        late = 1 if standard and seconds > standard else 0
        decision = "setuju"
        allowed = {o.decision for o in step.outcomes}
        if "return" in allowed and not returned_once and rng.random() < RETURN_SHARE:
            decision = "kembalikan"
        elif "reject" in allowed and rng.random() < REJECT_SHARE:
            decision = "tolak"
        actor = f"{office}.{role}"
        event = _event(
            case_id,
            at,
            actor,
            role,
            number,
            decision,
            duration_seconds=round(seconds, 3),
            standard_seconds=standard,
            overdue=late,
        )
        trail.append(event)
        item = WorkItem(
            *Case.key(case_id), case_id=case_id, office=office, service=service, step=number, role=role,
            task_token="-", entered_at=iso(at - timedelta(seconds=seconds)), standard_seconds=standard,
            status="answered", overdue=late,
        )  # fmt: skip
        out.counted += tallies.decided(item, event)
        if decision == "kembalikan":
            documents = [d.key for d in entry.documents] or ["lainnya"]
            reasons = rng.sample(documents, k=min(len(documents), rng.choice((1, 1, 2))))
            trail.append(_event(case_id, at, "sistem", "sistem", number, "returned"))
            out.counted += tallies.returned(f"{case_id}:{number}", case, reasons, at)
            returned_once = True
            if rng.random() < EXPIRE_SHARE:
                outcome, at = "expired", at + timedelta(days=14)
                break
            away = timedelta(hours=rng.uniform(2, 72))  # the applicant uploads again
            case.data = {"clock_paused_seconds": round(away.total_seconds())}  # the clock stops meanwhile
            case.due_at = iso(
                service_clock.resumed(parse(case.due_at), entry.office_sop, at, at + away, {}, scale)
            )
            at = at + away
        if decision == "tolak":
            outcome = "rejected"
            break
    if at > now():
        return
    trail.append(_event(case_id, at, "sistem", "sistem", "-", outcome))
    out.counted += tallies.closed(case, outcome, at)
    if events:
        with AuditEvent.batch_write() as batch:
            for e in trail:
                batch.save(e)
        out.events += len(trail)
    out.cases += 1


def generate(
    days: int = 30,
    seed: int = 15,
    end: datetime | None = None,
    per_day: float = DAILY_MEAN,
    offices: list[str] | None = None,
    events: bool = True,
    complaint_share: float = COMPLAINT_SHARE,
) -> Written:
    """Write `days` days of history ending the day before `end` (now; WIB) for every public
    service of `offices` (every office), about `per_day` cases per service and working day, and a
    complaint on `complaint_share` of the days.
    Returns what was written. The same seed gives the same history; running it twice counts
    nothing twice (each case's id comes from the seed, and every count carries its marker)."""
    last = (end or now()).astimezone(WIB)
    written = Written()
    lock = threading.Lock()

    def office_history(office: str) -> None:
        rng = random.Random(f"{seed}:{office}")  # noqa: S311 - demo figures, not secrets
        mine = Written()
        for service in list_services(office):
            entry = find_service(office, service)
            if entry is None or not entry.sop.public:
                continue
            for back in range(days, 0, -1):
                day = last - timedelta(days=back)
                if day.weekday() >= 5:
                    continue
                mean = per_day * (1.5 if day.weekday() == 0 else 0.7 if day.weekday() == 4 else 1.0)
                count = max(0, round(rng.gauss(mean, 1.2))) if mean > 0 else 0
                for n in range(count):
                    walk_case(
                        entry,
                        f"riwayat-{service}-{day:%Y%m%d}-{n}",
                        _office_time(day, rng),
                        rng,
                        mine,
                        events,
                    )
        complaint = find_service(office, COMPLAINTS)
        if complaint is not None:
            for back in range(days, 0, -1):
                day = last - timedelta(days=back)
                for n, at in enumerate(complaints(day, rng, complaint_share)):
                    walk_case(complaint, f"riwayat-{COMPLAINTS}-{day:%Y%m%d}-{n}", at, rng, mine, events)
        with lock:
            written.cases += mine.cases
            written.events += mine.events
            written.counted += mine.counted

    threads = [threading.Thread(target=office_history, args=(o,)) for o in offices or list_offices()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return written


def local_environment(moto: str) -> None:
    """Point this process at the local stack's moto (loopback only): its credentials, region and
    table (the one `make run` provisioned); the other settings are not used here."""
    import boto3

    from chalicelib.settings import reset_settings

    if not moto.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("the demo history is only written to the local moto on loopback")
    os.environ.update(
        AWS_ENDPOINT_URL=moto,
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION="ap-southeast-3",
        AWS_REGION="ap-southeast-3",
    )
    tables = boto3.client("dynamodb").list_tables()["TableNames"]
    table = next((t for t in tables if t.endswith("-table")), None)
    if table is None:
        raise SystemExit(f"no Loket table in the moto at {moto}: is make run running?")
    unused = "demo-history"
    os.environ.update({
        "LOKET_TABLE": table, "LOKET_UPLOADS_BUCKET": unused, "LOKET_DOCUMENTS_BUCKET": unused,
        "LOKET_WORKER_QUEUE_URL": unused, "LOKET_NOTICE_QUEUE_URL": unused,
        "LOKET_STATE_MACHINE_PREFIX": unused,
        "LOKET_STAFF_POOL_ID": unused, "LOKET_STAFF_CLIENT_ID": unused,
        "LOKET_APPLICANT_POOL_ID": unused, "LOKET_APPLICANT_CLIENT_ID": unused,
        "LOKET_MAIL_SENDER": unused, "LOKET_PUBLIC_SITE_URL": unused,
    })  # fmt: skip
    reset_settings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A month of demo history for the board and the evaluation.")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    if not os.environ.get("LOKET_TABLE"):
        local_environment(
            os.environ.get("MOTO_URL", f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}")
        )
    got = generate(args.days, args.seed)
    print(f"Riwayat demo: {got.cases} berkas, {got.events} kejadian, {got.counted} hitungan baru.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
