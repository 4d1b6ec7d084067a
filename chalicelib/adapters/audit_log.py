"""A case's audit trail: events added one by one, read back oldest first (a port).

`AuditLog` is the port (adapters/ports.py), `DynamoAuditLog` it on DynamoDB: `AuditEvent` items
in the case's partition (SK `AUDIT#<at>#<id>`, so the sort key orders them by time). What the
events say is `services/audit.py`'s; a decision writes its event inside its own transaction
(`services/work.py`), which this trail reads as well.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from chalicelib.adapters.models import AuditEvent, AuditMark
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import now

MARK_DAYS = 30
"""How long an `add_once` mark is kept (the table's TTL): a task runs again within the worker
queue's retention and its dead-letter queue's (14 days, infra/base.yaml), when an operator
redrives it."""


class AuditLog(Protocol):
    """The audit events of each case."""

    def add(self, event: AuditEvent) -> None:
        """Keep the event (a put: an event of the same key is replaced; `services/audit.event` gives
        a random id unless the caller fixes one for an event it may write again)."""
        ...

    def add_once(self, event: AuditEvent, marker: str) -> bool:
        """Keep the event unless an event was kept under `marker` before (then nothing is
        written). True when kept now. For a run that may be repeated after a failure (a worker
        task: adapters/effects.py), whose event's time and id differ each run."""
        ...

    def trail(self, case_id: str) -> list[AuditEvent]:
        """The case's events in the order of their sort key: by time, oldest first."""
        ...


class DynamoAuditLog:
    def add(self, event: AuditEvent) -> None:
        event.save()

    def add_once(self, event: AuditEvent, marker: str) -> bool:
        expires = int((now() + timedelta(days=MARK_DAYS)).timestamp())
        mark = AuditMark(*AuditMark.key(marker), at=event.at, case_id=event.case_id, expires_at=expires)
        try:  # the mark (only if absent) and the event: both, or neither
            write_all([Write("save", mark, condition=AuditMark.PK.does_not_exist()), Write("save", event)])
        except Refused:
            return False
        return True

    def trail(self, case_id: str) -> list[AuditEvent]:
        events = AuditEvent.query(
            AuditEvent.key(case_id, "", "")[0],
            AuditEvent.SK.startswith(AuditEvent.PREFIX),
            consistent_read=True,
        )
        return [e for e in events if isinstance(e, AuditEvent)]


events: Port[AuditLog] = Port("audit trail", DynamoAuditLog)
