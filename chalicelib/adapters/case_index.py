"""The table's items that find a case from something other than its id: the short case code's
owner (`CaseCode`) and the staff search's keys (`SearchKey`), see models.py for their keys.

What goes in them, and how text is normalised, is decided by the callers (domain/case_code.py,
domain/search_terms.py, services/reference_search.py); this module only reads and writes.
`CaseIndex` is the port (adapters/ports.py), `DynamoCaseIndex` it on the table, `index()` the
one in use; the module's functions call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from chalicelib.adapters.models import CaseCode, SearchKey, key_text_ok
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso

SEARCH_LIMIT = 50  # items read per query: a name prefix at a job fair matches many


@dataclass(frozen=True)
class Key:
    """One search key of a case: `field` (nik | phone | number | name) and its normalised value."""

    field: str
    value: str


@dataclass(frozen=True)
class Hit:
    """A search key found: the case and the field it was kept for."""

    case_id: str
    field: str


class CaseIndex(Protocol):
    """Case codes and search keys, each office's keys apart from every other's."""

    def claim_code(self, code: str, case_id: str, office: str) -> bool:
        """Make `case_id` the owner of `code` (True), or find it already is (True: a retried
        request), or find another case owns it (False, nothing written): two cases never hold
        the same code."""
        ...

    def code_owner(self, code: str) -> str | None:
        """The case id that owns `code`, or None."""
        ...

    def put_keys(self, office: str, case_id: str, keys: list[Key]) -> None:
        """Keep the case's search keys (a repeat keeps the same keys: no duplicates). A value that
        cannot be a key (empty, over 200 characters) is left out."""
        ...

    def find_exact(self, office: str, value: str) -> list[Hit]:
        """The office's keys holding exactly `value` (normalised), at most SEARCH_LIMIT."""
        ...

    def find_names(self, office: str, prefix: str) -> list[Hit]:
        """The office's name keys starting with `prefix` (normalised, at least 3 characters), at
        most SEARCH_LIMIT."""
        ...


class DynamoCaseIndex:
    """`CaseCode` and `SearchKey` items of the table (keys in models.py)."""

    def claim_code(self, code: str, case_id: str, office: str) -> bool:
        item = CaseCode(*CaseCode.key(code), case_id=case_id, office=office, at=iso())
        condition = CaseCode.PK.does_not_exist() | (CaseCode.case_id == case_id)
        try:
            write_one(Write("save", item, condition=condition))
        except Refused:
            return False
        return True

    def code_owner(self, code: str) -> str | None:
        try:
            return str(CaseCode.get(*CaseCode.key(code), consistent_read=True).case_id)
        except CaseCode.DoesNotExist:
            return None

    def put_keys(self, office: str, case_id: str, keys: list[Key]) -> None:
        at = iso()
        with SearchKey.batch_write() as batch:
            for key in keys:
                if not key_text_ok(key.value):
                    continue
                if key.field == "name":
                    pk, sk = SearchKey.name_key(office, key.value, case_id)
                else:
                    pk, sk = SearchKey.key(office, key.value, case_id, key.field)
                batch.save(SearchKey(pk, sk, case_id=case_id, office=office, field=key.field, at=at))

    def find_exact(self, office: str, value: str) -> list[Hit]:
        if not key_text_ok(value):
            return []
        items = SearchKey.query(SearchKey.exact(office, value), limit=SEARCH_LIMIT)
        return [Hit(k.case_id, k.field) for k in items]

    def find_names(self, office: str, prefix: str) -> list[Hit]:
        if len(prefix) < 3 or not key_text_ok(prefix):
            return []
        items = SearchKey.query(
            SearchKey.names(office, prefix), SearchKey.SK.startswith(prefix), limit=SEARCH_LIMIT
        )
        return [Hit(k.case_id, "name") for k in items]


index: Port[CaseIndex] = Port("case_index", DynamoCaseIndex)


def claim_code(code: str, case_id: str, office: str) -> bool:
    """`CaseIndex.claim_code` on the index in use."""
    return index().claim_code(code, case_id, office)


def code_owner(code: str) -> str | None:
    """`CaseIndex.code_owner` on the index in use."""
    return index().code_owner(code)


def put_keys(office: str, case_id: str, keys: list[Key]) -> None:
    """`CaseIndex.put_keys` on the index in use."""
    index().put_keys(office, case_id, keys)


def find_exact(office: str, value: str) -> list[Hit]:
    """`CaseIndex.find_exact` on the index in use."""
    return index().find_exact(office, value)


def find_names(office: str, prefix: str) -> list[Hit]:
    """`CaseIndex.find_names` on the index in use."""
    return index().find_names(office, prefix)
