"""Letter registers in memory: `chalicelib.adapters.registers.LetterRegister` without DynamoDB.

Proven by tests/contract/registers.py, which runs against this and against DynamoLetterRegister
on moto.
"""

from __future__ import annotations

import copy
import threading

from chalicelib.adapters.models import LetterNumber
from chalicelib.domain.clock import iso
from tests.fakes.items import Item

Register = tuple[str, str, int]


class FakeLetterRegister:
    """Counters, entries and claims under one lock: `take` checks and writes all three at once,
    as the transaction does."""

    def __init__(self) -> None:
        self._last: dict[Register, int] = {}
        self._entries: dict[Register, dict[int, Item]] = {}
        self._claims: dict[tuple[str, str], tuple[str, Register, int]] = {}  # number, register, seq
        self._lock = threading.Lock()

    def claimed(self, case_id: str, document: str) -> str | None:
        with self._lock:
            held = self._claims.get((case_id, document))
        return held[0] if held else None

    def last(self, office: str, code: str, year: int) -> int:
        with self._lock:
            return self._last.get((office, code, year), 0)

    def take(
        self, office: str, code: str, year: int, seq: int, number: str, case_id: str, document: str
    ) -> bool:
        register = (office, code, year)
        with self._lock:
            entries = self._entries.setdefault(register, {})
            if (
                self._last.get(register, 0) != seq - 1
                or seq in entries
                or (case_id, document) in self._claims
            ):
                return False
            self._last[register] = seq
            entries[seq] = LetterNumber(
                *LetterNumber.key(office, code, year, seq),
                number=number,
                seq=seq,
                case_id=case_id,
                document=document,
                at=iso(),
            ).serialize()
            self._claims[(case_id, document)] = (number, register, seq)
            return True

    def entries(self, office: str, code: str, year: int) -> list[LetterNumber]:
        with self._lock:
            items = sorted(self._entries.get((office, code, year), {}).items())
        return [LetterNumber.from_raw_data(copy.deepcopy(item)) for _seq, item in items]

    def void(self, case_id: str, document: str, reason: str, at: str) -> str | None:
        with self._lock:
            held = self._claims.get((case_id, document))
            if held is None:
                return None
            number, register, seq = held
            entry = LetterNumber.from_raw_data(copy.deepcopy(self._entries[register][seq]))
            if entry.void_reason is not None:
                return None
            entry.void_reason, entry.voided_at = reason, at
            self._entries[register][seq] = entry.serialize()
            del self._claims[(case_id, document)]
            return number
