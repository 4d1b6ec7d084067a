"""The cases in memory: `chalicelib.adapters.case_store.CaseStore` without DynamoDB.

Proven by tests/contract/case_store.py, which runs against this and against DynamoCaseStore on moto.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from typing import Any

from chalicelib.adapters.case_store import MISSING, CaseExists, StaleCase
from chalicelib.adapters.models import Case
from chalicelib.errors import NotFound
from tests.fakes.items import Item, apply, number

VERSION = Case.version.attr_name


class FakeCaseStore:
    """Each case kept as its DynamoDB item, by its key; the version rules of PynamoDB's
    VersionAttribute (a put only while absent at version 1, an update only at the version read,
    each update one version on) and GSI2's order (`GSI2SK` = `<created_at>#<id>`, newest first)."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Item] = {}
        self._lock = threading.Lock()

    def get(self, case_id: str) -> Case:
        with self._lock:
            item = self._items.get(Case.key(case_id))
        if item is None:
            raise NotFound(MISSING)
        return Case.from_raw_data(copy.deepcopy(item))

    def many(self, case_ids: Iterable[str]) -> list[Case]:
        with self._lock:
            found = [self._items.get(Case.key(case_id)) for case_id in set(case_ids)]
        return [Case.from_raw_data(copy.deepcopy(item)) for item in found if item is not None]

    def add(self, case: Case) -> Case:
        key = (case.PK, case.SK)
        with self._lock:
            # PK does not exist, and the version condition PynamoDB adds (absent when unset).
            if key in self._items or case.version is not None:
                raise CaseExists("Berkas ini sudah ada.")
            case.version = 1
            self._items[key] = case.serialize()
        return case

    def update(self, case: Case, actions: list[Any]) -> Case:
        key = (case.PK, case.SK)
        with self._lock:
            stored = self._items.get(key)
            if number(stored, VERSION) != case.version:  # no item: only a case never stored passes
                raise StaleCase("Berkas sedang diubah di tempat lain; coba lagi.")
            version = Case.version.add(1) if case.version is not None else Case.version.set(1)
            new = apply(stored or {"PK": {"S": case.PK}, "SK": {"S": case.SK}}, [*actions, version])
            self._items[key] = new
        case.deserialize(copy.deepcopy(new))  # as PynamoDB does with the item DynamoDB returns
        return case

    def of_applicant(self, applicant_sub: str, limit: int = 50) -> list[Case]:
        owner = Case.owner(applicant_sub)
        with self._lock:
            # An item is in an index only when it holds both of the index's key attributes.
            mine = [i for i in self._items.values() if i.get("GSI2PK") == {"S": owner} and "GSI2SK" in i]
        mine.sort(key=lambda item: str(item["GSI2SK"]["S"]), reverse=True)
        return [Case.from_raw_data(copy.deepcopy(item)) for item in mine[:limit]]
