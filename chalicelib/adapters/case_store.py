"""The cases: read, add and change a case at its version, and an applicant's cases (a port).

`CaseStore` is what the use cases need of the table for cases; `DynamoCaseStore` is it on
DynamoDB, `cases()` the one in use (adapters/ports.py). `change_case` is the rule every change
follows: update actions computed from the case as it is now, written only at the version read.
A decision's change of the case is part of its transaction instead (`services/work._commit`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from chalicelib.adapters.models import Case
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso
from chalicelib.errors import Conflict, NotFound

ATTEMPTS = 8
MISSING = "Berkas tidak ditemukan."
BUSY = "Berkas sedang diubah di tempat lain; coba lagi."


class CaseExists(Conflict):
    """`add` found a case with this id already (a second click of the same form)."""


class StaleCase(Conflict):
    """`update` found the case at another version than the one read (it changed meanwhile, or is
    gone): read it again and compute the change again."""


class CaseStore(Protocol):
    """Cases as the use cases keep them: one item per case, changed only at the version read."""

    def get(self, case_id: str) -> Case:
        """The case as stored now (a consistent read). Raises NotFound when there is none."""
        ...

    def many(self, case_ids: Iterable[str]) -> list[Case]:
        """The cases of these ids that exist, each once (an id may be given twice), in no order."""
        ...

    def add(self, case: Case) -> Case:
        """Store a new case at version 1 and return it. Raises CaseExists when its id is taken
        (the stored case is left as it was)."""
        ...

    def update(self, case: Case, actions: list[Any]) -> Case:
        """Apply PynamoDB update actions (`Case.<attribute>.set(value)`, `.remove()`) to the case,
        only while it is stored at `case.version`; returns the case as stored now, at the next
        version. Raises StaleCase (nothing written) when the stored version is another or the case
        is gone."""
        ...

    def of_applicant(self, applicant_sub: str, limit: int = 50) -> list[Case]:
        """The applicant's cases, newest first (by `created_at`, then id), at most `limit`."""
        ...


class DynamoCaseStore:
    """The cases in the table (PK `CASE#<id>`; an applicant's cases by GSI2, see models.py)."""

    def get(self, case_id: str) -> Case:
        try:
            return Case.get(*Case.key(case_id), consistent_read=True)
        except Case.DoesNotExist:
            raise NotFound(MISSING) from None

    def many(self, case_ids: Iterable[str]) -> list[Case]:
        # BatchGetItem refuses a key given twice (moto does not check it); PynamoDB asks 100 at a time.
        keys = sorted({Case.key(case_id) for case_id in case_ids})
        return list(Case.batch_get(keys)) if keys else []

    def add(self, case: Case) -> Case:
        try:
            write_one(Write("save", case, condition=Case.PK.does_not_exist()))
        except Refused:
            raise CaseExists("Berkas ini sudah ada.") from None
        return case

    def update(self, case: Case, actions: list[Any]) -> Case:
        try:
            # The Case model's version attribute makes the update conditional on case.version.
            write_one(Write("update", case, actions=list(actions)))
        except Refused:
            raise StaleCase(BUSY) from None
        return case

    def of_applicant(self, applicant_sub: str, limit: int = 50) -> list[Case]:
        items = Case.owner_index.query(Case.owner(applicant_sub), scan_index_forward=False, limit=limit)
        return [c for c in items if isinstance(c, Case)]


cases: Port[CaseStore] = Port("cases", DynamoCaseStore)


def change_case(case_id: str, actions_for: Callable[[Case], list[Any]], read: Case | None = None) -> Case:
    """Apply update actions computed from the current case, retrying if it changed meanwhile.

    Each update is written only at the version read, so two writers (the applicant and the
    worker) never overwrite each other's change. `read` is the case as the caller just read it:
    the first attempt starts from it instead of reading again (one GetItem fewer per request; if
    it is stale, the version refuses the update and the next attempt reads). Returns the case as
    changed (as read, when `actions_for` asks for nothing). Raises NotFound for no such case,
    Conflict when it kept changing under us; whatever `actions_for` raises goes to the caller.
    """
    store = cases()
    given = read if read is not None and read.case_id == case_id else None
    for _attempt in range(ATTEMPTS):
        case, given = (given, None) if given is not None else (store.get(case_id), None)
        from_caller = case is read
        actions = actions_for(case)
        if not actions:
            if from_caller:  # nothing to do by the caller's copy: make sure by the stored one
                continue
            return case
        try:
            return store.update(case, [*actions, Case.updated_at.set(iso())])
        except StaleCase:
            continue
    raise Conflict(BUSY)


def touch(case_id: str) -> Case:
    """Mark the case changed now (`updated_at`) when what changed lives beside it (a work item
    answered, an audit event), at the version read, retrying as `change_case` does. Raises
    NotFound for no such case, Conflict when it kept changing under us."""
    store = cases()
    for _attempt in range(ATTEMPTS):
        case = store.get(case_id)
        try:
            return store.update(case, [Case.updated_at.set(iso())])
        except StaleCase:
            continue
    raise Conflict(BUSY)
