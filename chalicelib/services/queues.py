"""The officer's workbench: how many files wait in each queue, and which one comes next.

A *queue* here is what the inbox counts and "Simpan & berikutnya" walks: the open work items of
one role of one office for one service (GSI1 `QUEUE#<office>#<role>`, filtered on the service),
in the inbox's order: overdue first, then the longest waiting. Reads only; deciding stays in
`services/work.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import WorkItem
from chalicelib.errors import LoketError
from chalicelib.services import work

READ_LIMIT = 2000
"""Items read from one role's queue per page load, at most. A job fair brings 800-1,000 files a
day to an office, each waiting at one step at a time, so a queue that long is a day's work: the
count then reads "2000+" (`QueueCount.more`) rather than paying for an unbounded read."""

COUNTED = ["PK", "SK", "kind", "service", "overdue"]


@dataclass(frozen=True)
class QueueCount:
    """The open items of one role and service of an office: `total`, of which `overdue` are past
    the step's standard time; `more` when the role's queue held more than READ_LIMIT items."""

    role: str
    service: str
    total: int
    overdue: int
    more: bool = False


def counts(principal: Principal, office: str) -> list[QueueCount]:
    """One QueueCount per (role, service) with open items, for every role `principal` may act
    as in `office` (their own and delegated ones), sorted by role then service. Raises Forbidden
    (from `work.acting_roles` being empty) like `work.queue`."""
    roles = sorted(work.acting_roles(principal, office))
    found: list[QueueCount] = []
    for role in roles:
        tally: dict[str, list[int]] = {}
        read = 0
        for item in WorkItem.role_queue.query(
            WorkItem.queue(office, role), limit=READ_LIMIT, attributes_to_get=COUNTED
        ):
            read += 1
            if isinstance(item, WorkItem):
                totals = tally.setdefault(item.service, [0, 0])
                totals[0] += 1
                totals[1] += 1 if item.overdue else 0
        full = read >= READ_LIMIT
        found.extend(QueueCount(role, s, t, o, full) for s, (t, o) in sorted(tally.items()))
    return found


def in_order(items: list[WorkItem]) -> list[WorkItem]:
    """`items` as the inbox lists them: overdue first, then the longest waiting."""
    return sorted(items, key=lambda i: (-int(i.overdue or 0), i.entered_at, i.case_id))


def _may_act(principal: Principal, item: WorkItem) -> bool:
    """Whether the principal may decide `item`: a co-actor (ADR 0021) walking the queue of the
    step's first role is offered only the steps the SOP gives them too."""
    try:
        work.authority(principal, item, work.sop_step(item))
    except LoketError:
        return False
    return True


def next_item(principal: Principal, decided: WorkItem) -> WorkItem | None:
    """The file to open after deciding `decided`: the first open item (inbox order) of the same
    office, role and service that is not the decided case's, not being worked on by a
    colleague (`work.claimed_by_other`) and that the principal may decide (`work.authority`);
    None when the queue holds no other file."""
    candidates = [
        item
        for item in WorkItem.role_queue.query(WorkItem.queue(decided.office, decided.role), limit=READ_LIMIT)
        if isinstance(item, WorkItem)
        and item.status == "open"
        and item.service == decided.service
        and item.case_id != decided.case_id
        and not work.claimed_by_other(item, principal.username)
        and _may_act(principal, item)
    ]
    ordered = in_order(candidates)
    return ordered[0] if ordered else None
