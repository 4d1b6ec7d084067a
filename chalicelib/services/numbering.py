"""Letter numbers: atomic, gap-free per office, classification code and year, never repeated.

A number is taken in one transaction that (1) moves the counter from the value just read to the
next one, (2) writes the register entry for that number and (3) claims the number for this case
and document. Two requests at once cannot both move the counter from the same value, so one
retries with the next number; a repeated request (a redelivered task) finds its claim and gets
the same number back. Nothing is taken that is not written in the register: no gaps.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.models import Counter, Effect, LetterNumber, transaction_connection
from chalicelib.domain.clock import WIB, iso
from chalicelib.sop.schema import LetterNumbering

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ATTEMPTS = 50


class NumberingError(RuntimeError):
    """The register was too busy to give a number after many tries (retried by the worker)."""


def format_number(rule: LetterNumbering, seq: int, code: str, at: datetime, region: str = "") -> str:
    local = at.astimezone(WIB)
    return rule.format.format(
        seq=seq,
        code=code,
        unit=rule.unit,
        month=f"{local.month:02d}",
        roman_month=ROMAN[local.month - 1],
        year=local.year,
        region=region,
        ddmmyy=local.strftime("%d%m%y"),
    )


def assign(
    office_id: str,
    rule: LetterNumbering,
    case_id: str,
    document: str,
    code: str | None = None,
    at: datetime | None = None,
    region: str = "",
) -> str:
    """The letter number of `document` of the case: the existing one, or the next of the register."""
    when = at or datetime.now(WIB)
    code = code or rule.default_code
    year = when.astimezone(WIB).year
    register = f"COUNTER#{office_id}#{code}#{year}"
    claim_key = f"EFFECT#number:{case_id}:{document}"
    for _attempt in range(ATTEMPTS):
        try:
            claimed = Effect.get(claim_key, "#EFFECT", consistent_read=True)
            return str((claimed.result or {})["number"])
        except Effect.DoesNotExist:
            pass
        try:
            current = int(Counter.get(register, "#COUNTER", consistent_read=True).value)
        except Counter.DoesNotExist:
            current = 0
        seq = current + 1
        number = format_number(rule, seq, code, when, region)
        counter = Counter(register, "#COUNTER", value=seq)
        entry = LetterNumber(
            register, f"SEQ#{seq:06d}", number=number, seq=seq, case_id=case_id, document=document, at=iso()
        )
        effect = Effect(claim_key, "#EFFECT", status="done", at=iso(), result={"number": number, "seq": seq})
        moved = Counter.value == current if current else Counter.PK.does_not_exist()
        try:
            with TransactWrite(connection=transaction_connection()) as tx:
                tx.save(counter, condition=moved)
                tx.save(entry, condition=LetterNumber.PK.does_not_exist())
                tx.save(effect, condition=Effect.PK.does_not_exist())
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            continue  # someone took this number, or this claim exists: look again
        return number
    raise NumberingError(f"register {register} busy")


def register(office_id: str, code: str, year: int) -> list[LetterNumber]:
    """The office's register of one code and year, in order."""
    entries = LetterNumber.query(f"COUNTER#{office_id}#{code}#{year}", LetterNumber.SK.startswith("SEQ#"))
    return [e for e in entries if isinstance(e, LetterNumber)]
