"""Case codes and search keys in memory: `chalicelib.adapters.case_index.CaseIndex` without
DynamoDB (the DynamoDB adapter is exercised on moto by tests/integration/test_case_search.py)."""

from __future__ import annotations

import threading

from chalicelib.adapters.case_index import SEARCH_LIMIT, Hit, Key
from chalicelib.adapters.models import key_text_ok


class FakeCaseIndex:
    def __init__(self) -> None:
        self.codes: dict[str, str] = {}
        self.keys: set[tuple[str, str, str, str]] = set()  # (office, field, value, case id)
        self._lock = threading.Lock()

    def claim_code(self, code: str, case_id: str, office: str) -> bool:
        with self._lock:
            return self.codes.setdefault(code, case_id) == case_id

    def code_owner(self, code: str) -> str | None:
        return self.codes.get(code)

    def put_keys(self, office: str, case_id: str, keys: list[Key]) -> None:
        with self._lock:
            self.keys |= {(office, k.field, k.value, case_id) for k in keys if key_text_ok(k.value)}

    def find_exact(self, office: str, value: str) -> list[Hit]:
        found = sorted((c, f) for o, f, v, c in self.keys if o == office and f != "name" and v == value)
        return [Hit(c, f) for c, f in found][:SEARCH_LIMIT]

    def find_names(self, office: str, prefix: str) -> list[Hit]:
        if len(prefix) < 3:
            return []
        found = sorted(
            (v, c) for o, f, v, c in self.keys if o == office and f == "name" and v.startswith(prefix)
        )
        return [Hit(c, "name") for _v, c in found][:SEARCH_LIMIT]
