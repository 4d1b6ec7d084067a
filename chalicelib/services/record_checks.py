"""Checks on what staff record that need more than the value itself: used once, a national quota,
or a reference number read in a national system.

A receipt number may pay for one validation only; an SPR gives a placement company a fixed number
of recruits; an ID CPMI or Berita Acara number from SISKOTKLN is kept by the national adapter so
the number finds its case again. All are claimed as writes of the decision's one transaction
(`services/work.py`), so a refused decision claims nothing, and given back if the decision,
once written, does not reach Step Functions.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.adapters import national
from chalicelib.adapters.models import Case, UniqueValue
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso, office_today
from chalicelib.domain.records import StepRecords
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.sop.schema import Step

Undo = Callable[[], None]


def held(case: Case, step: Step) -> StepRecords:
    """What the case recorded on this step before (a step done again after a return)."""
    return dict(case.records.get(f"{step.number:02d}") or {})


def _same(spec: Any, a: Any, b: Any) -> bool:
    """Two recorded values that claim the same thing (as the claims normalise them)."""
    if a is None or b is None:
        return a is b
    if spec.check == "spr":
        return national.normalise_spr(str(a)) == national.normalise_spr(str(b))
    return " ".join(str(a).upper().split()) == " ".join(str(b).upper().split())


@dataclass(frozen=True)
class Claims:
    """What a decision's records claim: `writes` for the decision's one transaction (each write's
    `refusal` is the Conflict or InvalidInput to raise when its condition fails), and `undo`,
    which gives exactly those claims back if the decision, once written, does not reach Step
    Functions."""

    writes: list[Write] = field(default_factory=list)
    undos: list[Undo] = field(default_factory=list)

    def undo(self) -> None:
        for action in reversed(self.undos):
            action()


def claims(case: Case, step: Step, records: StepRecords) -> Claims:
    """The claims of every unique value, SPR place and national reference the step's records name
    that the case does not hold already (a value held since the step was first done is neither
    claimed again nor freed by `undo`). Raises InvalidInput (a number that cannot be a national
    reference) or Conflict (an SPR that is unknown, expired, another company's or used up)."""
    before = held(case, step)
    result = Claims()
    for spec in step.records:
        value = records.get(spec.key)
        if value in (None, "") or _same(spec, before.get(spec.key), value):
            continue
        text = str(value)
        if spec.unique:
            result.writes.append(_unique_write(case, spec.key, spec.label, text))
            result.undos.append(functools.partial(_release_unique, case, spec.key, text))
        if spec.check == "spr":
            result.writes.extend(_spr_writes(case, text))
            result.undos.append(functools.partial(national.release_spr, case.office, text, case.case_id))
        if spec.system:
            entry = _reference(case, spec.system, spec.key, spec.label, text)
            result.writes.append(Write("save", entry))
            forget = functools.partial(
                national.forget_reference, case.office, spec.system, text, case.case_id, spec.key
            )
            result.undos.append(forget)
    return result


def _unique_write(case: Case, field: str, label: str, value: str) -> Write:
    """The value's owner item, written only if nobody (but this case) holds it."""
    normalised = " ".join(value.upper().split())
    pk, sk = UniqueValue.key(case.office, case.service, field, normalised)
    return Write(
        "save",
        UniqueValue(pk, sk, case_id=case.case_id, at=iso()),
        condition=UniqueValue.PK.does_not_exist() | (UniqueValue.case_id == case.case_id),
        refusal=Conflict(f"{label} {value} sudah dipakai untuk berkas lain. Periksa kembali."),
    )


def _release_unique(case: Case, field: str, value: str) -> None:
    pk, sk = UniqueValue.key(case.office, case.service, field, " ".join(value.upper().split()))
    with contextlib.suppress(Refused):  # held by another case since: not ours to free
        write_one(Write("delete", UniqueValue(pk, sk), condition=UniqueValue.case_id == case.case_id))


def release_replaced(case: Case, step: Step, records: StepRecords) -> None:
    """After a step done again recorded other values, free what the old ones held: a corrected
    receipt or reference number no longer blocks another case, a changed SPR gives its place back."""
    before = held(case, step)
    for spec in step.records:
        old = before.get(spec.key)
        if old in (None, "") or _same(spec, records.get(spec.key), old):
            continue
        if spec.unique:
            _release_unique(case, spec.key, str(old))
        if spec.check == "spr":
            national.release_spr(case.office, str(old), case.case_id)
        if spec.system:
            national.forget_reference(case.office, spec.system, str(old), case.case_id, spec.key)


def _reference(case: Case, system: str, field: str, label: str, value: str) -> Any:
    try:
        return national.reference_entry(case.office, system, label, value, case.case_id, case.service, field)
    except national.ReferenceProblem as exc:
        raise InvalidInput(exc.message) from None


ADVICE = "Bila memang begitu, pilih tombol tolak dan tuliskan alasannya untuk pemohon."


def _spr_writes(case: Case, number: str) -> list[Write]:
    company = str((case.data or {}).get("organisation") or "")
    try:
        writes = national.spr_use_writes(case.office, number, company, case.case_id, office_today())
    except national.SprProblem as exc:
        raise Conflict(f"{exc.message} {ADVICE}") from None
    return [
        replace(w, refusal=Conflict(f"{w.refusal.message} {ADVICE}"))
        if isinstance(w.refusal, national.SprProblem)
        else w
        for w in writes
    ]
