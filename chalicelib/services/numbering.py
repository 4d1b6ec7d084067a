"""Letter numbers: atomic, gap-free per office, classification code and year, never repeated.

A number is taken in one transaction that (1) moves the counter from the value just read to the
next one, (2) writes the register entry for that number and (3) claims the number for this case
and document. Two requests at once cannot both move the counter from the same value, so one
retries with the next number; a repeated request (a redelivered task) finds its claim and gets
the same number back. Nothing is taken that is not written in the register: no gaps.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.adapters.models import Counter, Effect, LetterNumber
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import WIB, iso
from chalicelib.errors import Conflict
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
    register, counter_sk = Counter.key(office_id, code, year)
    claim, claim_sk = Effect.key(claim_key(case_id, document))
    for _attempt in range(ATTEMPTS):
        try:
            claimed = Effect.get(claim, claim_sk, consistent_read=True)
            return str((claimed.result or {})["number"])
        except Effect.DoesNotExist:
            pass
        try:
            current = int(Counter.get(register, counter_sk, consistent_read=True).value)
        except Counter.DoesNotExist:
            current = 0
        seq = current + 1
        number = format_number(rule, seq, code, when, region)
        counter = Counter(register, counter_sk, value=seq)
        entry = LetterNumber(
            *LetterNumber.key(office_id, code, year, seq),
            number=number,
            seq=seq,
            case_id=case_id,
            document=document,
            at=iso(),
        )
        effect = Effect(
            claim,
            claim_sk,
            status="done",
            at=iso(),
            result={"number": number, "seq": seq, "office": office_id, "code": code, "year": year},
        )
        moved = Counter.value == current if current else Counter.PK.does_not_exist()
        try:
            write_all(
                [
                    Write("save", counter, condition=moved),
                    Write("save", entry, condition=LetterNumber.PK.does_not_exist()),
                    Write("save", effect, condition=Effect.PK.does_not_exist()),
                ]
            )
        except (Refused, Conflict):
            continue  # someone took this number, or this claim exists: look again
        return number
    raise NumberingError(f"register {register} busy")


def claim_key(case_id: str, document: str) -> str:
    """The effect key that holds `document`'s number for the case (`document` may be a product
    key or a renderer's own claim such as `ak1#pendaftaran`)."""
    return f"number:{case_id}:{document}"


def void(case_id: str, document: str, reason: str) -> str | None:
    """Mark the number taken for `document` of the case void (*nomor batal*), with `reason`.

    The register keeps the entry, so every number is accounted for; the claim is released in the
    same transaction, so if the document is ever issued after all it gets a new number. Returns
    the voided number, or None when no number was taken (or it was voided already). Raises
    Conflict when the register changed meanwhile (the caller retries)."""
    claim, claim_sk = Effect.key(claim_key(case_id, document))
    try:
        taken = Effect.get(claim, claim_sk, consistent_read=True)
    except Effect.DoesNotExist:
        return None
    result = dict(taken.result or {})
    if not {"office", "code", "year", "seq"} <= result.keys():
        return None  # a claim older than this rule: its register entry cannot be found
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
                    actions=[LetterNumber.void_reason.set(reason), LetterNumber.voided_at.set(iso())],
                ),
                Write("delete", taken, condition=Effect.status == "done"),
            ]
        )
    except Refused:
        return None
    return str(result["number"])


def register(office_id: str, code: str, year: int) -> list[LetterNumber]:
    """The office's register of one code and year, in order."""
    entries = LetterNumber.query(
        Counter.key(office_id, code, year)[0], LetterNumber.SK.startswith(LetterNumber.PREFIX)
    )
    return [e for e in entries if isinstance(e, LetterNumber)]
