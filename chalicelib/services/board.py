"""The office's live board (Papan kinerja): open files per service, step and role with their age
against the standard, the overdue files, and today's and this week's intake, completions and
returns. Who may see it: the office's Kasi (`kasi*`), Kabid, Kadis and administrator, for their
own office only (the seed's "Evaluasi Kinerja" and internal supervision).

Reads: each role's queue of the office (GSI1 `QUEUE#<office>#<role>`, at most
queues.READ_LIMIT items each) and the week's aggregates (services/tallies.py, one query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.adapters import tallies
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import WorkItem
from chalicelib.domain.clock import now, office_today, parse
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services.administration.offices import ADMIN_ROLE
from chalicelib.services.queues import READ_LIMIT
from chalicelib.sop.loader import list_offices, load_office

LEADERS = ("kabid", "kadis", ADMIN_ROLE)
OVERDUE_LISTED = 50
SHOWN = [
    "PK",
    "SK",
    "kind",
    "case_id",
    "service",
    "step",
    "role",
    "entered_at",
    "standard_seconds",
    "overdue",
    "status",
]


def may_see(role: str) -> bool:
    """Whether a role sees its office's board: a Kasi (`kasi*`), the Kabid, the Kadis, the admin."""
    return role.startswith("kasi") or role in LEADERS


def board_offices(who: Principal) -> list[str]:
    """The packaged offices whose board `who` may see, sorted."""
    return sorted(o for o in who.offices if o in list_offices() and any(may_see(r) for r in who.roles_in(o)))


def office_for(who: Principal, wanted: str | None) -> str:
    """The office whose board (or evaluation) `who` opens: `wanted`, or their first. Raises
    Forbidden for staff without such a role anywhere, NotFound for an office not theirs (the
    same answer as an office that does not exist: staff of one office never see another's)."""
    offices = board_offices(who)
    if not offices:
        raise Forbidden("Papan kinerja hanya untuk Kasi, Kabid, Kadis dan admin kantor.")
    if wanted and wanted not in offices:
        raise NotFound("Kantor tidak ditemukan.")
    return wanted or offices[0]


@dataclass(frozen=True)
class OpenGroup:
    """Open files of one service, step and role: how many, how many overdue, the oldest's age
    (seconds) and the step's standard (seconds)."""

    service: str
    step: str
    role: str
    open: int
    overdue: int
    oldest_seconds: float
    standard_seconds: float


@dataclass(frozen=True)
class LateFile:
    """One overdue file: its case, where it waits and for how long (seconds)."""

    case_id: str
    service: str
    step: str
    role: str
    age_seconds: float
    standard_seconds: float


@dataclass(frozen=True)
class Counts:
    intake: int
    completed: int
    returned: int


@dataclass(frozen=True)
class Board:
    """What the board shows: `groups` (open files), `late` (the oldest overdue files, at most
    OVERDUE_LISTED), `late_total`, `today` and `week` (Monday to today, WIB), `more` when a
    queue held more than READ_LIMIT items, `at` the time it was read."""

    office: str
    groups: list[OpenGroup]
    late: list[LateFile]
    late_total: int
    today: Counts
    week: Counts
    more: bool
    at: datetime


def _counts(items: list[dict[str, object]], first: date) -> Counts:
    got = [0, 0, 0]
    for item in items:
        if str(item["day"]) < first.isoformat():
            continue
        counters = item["counters"]
        assert isinstance(counters, dict)
        got[0] += int(counters.get("case|in", 0))
        got[1] += int(counters.get("case|done", 0))
        got[2] += int(counters.get("case|ret", 0))
    return Counts(*got)


def board(office: str, at: datetime | None = None) -> Board:
    """The live board of `office` (check `office_for` first)."""
    moment = at or now()
    roles = [r for r in load_office(office).roles]
    groups: dict[tuple[str, str, str], list[float]] = {}
    late: list[LateFile] = []
    more = False
    for role in roles:
        read = 0
        for item in WorkItem.role_queue.query(
            WorkItem.queue(office, role), limit=READ_LIMIT, attributes_to_get=SHOWN
        ):
            read += 1
            if not isinstance(item, WorkItem) or item.status != "open":
                continue
            age = max(0.0, (moment - parse(item.entered_at)).total_seconds())
            standard = float(item.standard_seconds or 0)
            g = groups.setdefault((item.service, item.step, role), [0, 0, 0.0, standard])
            g[0] += 1
            g[1] += 1 if item.overdue else 0
            g[2] = max(g[2], age)
            if item.overdue:
                late.append(LateFile(item.case_id, item.service, item.step, role, age, standard))
        more = more or read >= READ_LIMIT
    today = office_today(moment)
    monday = today - timedelta(days=today.weekday())
    week_items = tallies.days(office, monday.isoformat(), today.isoformat())
    late.sort(key=lambda f: -f.age_seconds)
    return Board(
        office=office,
        groups=[
            OpenGroup(s, st, r, int(v[0]), int(v[1]), v[2], v[3]) for (s, st, r), v in sorted(groups.items())
        ],
        late=late[:OVERDUE_LISTED],
        late_total=len(late),
        today=_counts(week_items, today),
        week=_counts(week_items, monday),
        more=more,
        at=moment,
    )
