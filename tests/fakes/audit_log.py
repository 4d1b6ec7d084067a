"""The audit trail in memory: `chalicelib.adapters.audit_log.AuditLog` without DynamoDB.

Proven by tests/contract/audit_log.py, which runs against this and against DynamoAuditLog on moto.
"""

from __future__ import annotations

import copy
import threading

from chalicelib.adapters.models import AuditEvent
from tests.fakes.items import Item


class FakeAuditLog:
    """Each event kept as its DynamoDB item by its key (a put replaces an item of the same key);
    a trail in sort-key order, as the query of the case's partition gives it."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Item] = {}
        self._marks: set[str] = set()
        self._lock = threading.Lock()

    def add(self, event: AuditEvent) -> None:
        with self._lock:
            self._items[(event.PK, event.SK)] = event.serialize()

    def add_once(self, event: AuditEvent, marker: str) -> bool:
        with self._lock:
            if marker in self._marks:
                return False
            self._marks.add(marker)
            self._items[(event.PK, event.SK)] = event.serialize()
        return True

    def trail(self, case_id: str) -> list[AuditEvent]:
        partition = AuditEvent.key(case_id, "", "")[0]
        with self._lock:
            mine = sorted(
                (key, item)
                for key, item in self._items.items()
                if key[0] == partition and key[1].startswith(AuditEvent.PREFIX)
            )
        return [AuditEvent.from_raw_data(copy.deepcopy(item)) for _key, item in mine]
