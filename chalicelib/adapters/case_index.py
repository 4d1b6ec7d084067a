"""The table's items that find a case from something other than its id: the short case code's
owner (`CaseCode`) and the staff search's keys (`SearchKey`), see models.py for their keys.

What goes in them, and how text is normalised, is decided by the callers (domain/case_code.py,
domain/search_terms.py, services/reference_search.py); this module only reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.adapters.models import CaseCode, SearchKey, key_text_ok
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso

SEARCH_LIMIT = 50  # items read per query: a name prefix at a job fair matches many


def claim_code(code: str, case_id: str, office: str) -> bool:
    """Make `case_id` the owner of `code` (True), or find it already is (True: a retried
    request), or find another case owns it (False). One conditional put: two cases never hold
    the same code."""
    item = CaseCode(*CaseCode.key(code), case_id=case_id, office=office, at=iso())
    try:
        write_one(Write("save", item, condition=CaseCode.PK.does_not_exist() | (CaseCode.case_id == case_id)))
    except Refused:
        return False
    return True


def code_owner(code: str) -> str | None:
    """The case id that owns `code`, or None."""
    try:
        return str(CaseCode.get(*CaseCode.key(code), consistent_read=True).case_id)
    except CaseCode.DoesNotExist:
        return None


@dataclass(frozen=True)
class Key:
    """One search key of a case: `field` (nik | phone | number | name) and its normalised value."""

    field: str
    value: str


def put_keys(office: str, case_id: str, keys: list[Key]) -> None:
    """Write the case's search keys (a repeat writes the same items again: no duplicates).
    A value that cannot be a key (empty, over 200 characters) is left out."""
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


def find_exact(office: str, value: str) -> list[SearchKey]:
    """The office's keys holding exactly `value` (normalised), at most SEARCH_LIMIT."""
    if not key_text_ok(value):
        return []
    return list(SearchKey.query(SearchKey.exact(office, value), limit=SEARCH_LIMIT))


def find_names(office: str, prefix: str) -> list[SearchKey]:
    """The office's name keys starting with `prefix` (normalised, at least 3 characters), in
    alphabetical order, at most SEARCH_LIMIT."""
    if len(prefix) < 3 or not key_text_ok(prefix):
        return []
    return list(
        SearchKey.query(SearchKey.names(office, prefix), SearchKey.SK.startswith(prefix), limit=SEARCH_LIMIT)
    )
