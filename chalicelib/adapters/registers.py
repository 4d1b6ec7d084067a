"""An office's registers of numbers: one per classification code and year, gap-free (a port).

A register is a counter (the last number given) and one entry per number given, each for a claim
(a case's document). `LetterRegister` is the port (adapters/ports.py); `DynamoLetterRegister`
takes a number in one transaction: the counter moved from the value read to the next (only if
it still holds that value), the register's entry for the number, and the claim (an `Effect`
item, only if the case's document has none), all or nothing. How numbers are printed, and
trying again with the next one, is `services/numbering.py`'s.
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.adapters.models import Counter, Effect, LetterNumber
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import iso
from chalicelib.errors import Conflict


def claim_key(case_id: str, document: str) -> str:
    """The effect key under which a case's document holds its number."""
    return f"number:{case_id}:{document}"


class LetterRegister(Protocol):
    """Registers by office, classification code and year."""

    def claimed(self, case_id: str, document: str) -> str | None:
        """The number the case's document was given (in any register), or None."""
        ...

    def last(self, office: str, code: str, year: int) -> int:
        """The last number given in the register; 0 when none was."""
        ...

    def take(
        self, office: str, code: str, year: int, seq: int, number: str, case_id: str, document: str
    ) -> bool:
        """Give the document number `seq` (printed as `number`), all in one step, only while the
        register's last number is `seq - 1` and the document has no number; True when given,
        False (nothing written) when either changed meanwhile."""
        ...

    def entries(self, office: str, code: str, year: int) -> list[LetterNumber]:
        """The register's entries in number order."""
        ...

    def void(self, case_id: str, document: str, reason: str, at: str) -> str | None:
        """Mark the number the case's document holds void with `reason` at `at` (ISO time) and
        release the claim, in one step; the number, or None when there is none to void (never
        taken, voided already, or a claim from before claims named their register)."""
        ...


class DynamoLetterRegister:
    """Counter `COUNTER#<office>#<code>#<year>` / `#COUNTER`, entries `SEQ#<seq:06>` under it,
    claims `EFFECT#number:<case>:<document>` (models.py)."""

    def claimed(self, case_id: str, document: str) -> str | None:
        try:
            effect = Effect.get(*Effect.key(claim_key(case_id, document)), consistent_read=True)
        except Effect.DoesNotExist:
            return None
        return str((effect.result or {})["number"])

    def last(self, office: str, code: str, year: int) -> int:
        try:
            return int(Counter.get(*Counter.key(office, code, year), consistent_read=True).value)
        except Counter.DoesNotExist:
            return 0

    def take(
        self, office: str, code: str, year: int, seq: int, number: str, case_id: str, document: str
    ) -> bool:
        register, counter_sk = Counter.key(office, code, year)
        before = seq - 1
        moved = Counter.value == before if before else Counter.PK.does_not_exist()
        entry = LetterNumber(
            *LetterNumber.key(office, code, year, seq),
            number=number,
            seq=seq,
            case_id=case_id,
            document=document,
            at=iso(),
        )
        claim = Effect(
            *Effect.key(claim_key(case_id, document)),
            status="done",
            at=iso(),
            result={"number": number, "seq": seq, "office": office, "code": code, "year": year},
        )
        try:
            write_all(
                [
                    Write("save", Counter(register, counter_sk, value=seq), condition=moved),
                    Write("save", entry, condition=LetterNumber.PK.does_not_exist()),
                    Write("save", claim, condition=Effect.PK.does_not_exist()),
                ]
            )
        except (Refused, Conflict):  # a condition failed, or a concurrent transaction won
            return False
        return True

    def entries(self, office: str, code: str, year: int) -> list[LetterNumber]:
        found = LetterNumber.query(
            Counter.key(office, code, year)[0], LetterNumber.SK.startswith(LetterNumber.PREFIX)
        )
        return [e for e in found if isinstance(e, LetterNumber)]

    def void(self, case_id: str, document: str, reason: str, at: str) -> str | None:
        try:
            taken = Effect.get(*Effect.key(claim_key(case_id, document)), consistent_read=True)
        except Effect.DoesNotExist:
            return None
        result = dict(taken.result or {})
        if not {"office", "code", "year", "seq"} <= result.keys():
            return None
        entry = LetterNumber(
            *LetterNumber.key(result["office"], result["code"], int(result["year"]), int(result["seq"]))
        )
        try:
            write_all(
                [
                    Write(
                        "update",
                        entry,
                        condition=LetterNumber.PK.exists() & LetterNumber.void_reason.does_not_exist(),
                        actions=[LetterNumber.void_reason.set(reason), LetterNumber.voided_at.set(at)],
                    ),
                    Write("delete", taken, condition=Effect.status == "done"),
                ]
            )
        except Refused:
            return None
        return str(result["number"])


registers: Port[LetterRegister] = Port("registers", DynamoLetterRegister)
