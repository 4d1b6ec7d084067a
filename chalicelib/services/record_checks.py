"""Checks on what staff record that need more than the value itself: used once, a national quota,
or a reference number read in a national system.

A receipt number may pay for one validation only; an SPR gives a placement company a fixed number
of recruits; an ID CPMI or Berita Acara number from SISKOTKLN is kept by the national adapter so
the number finds its case again. All are claimed when the decision is taken and given back if the
decision does not reach Step Functions, so a refused or failed decision never uses them up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import DeleteError, PutError

from chalicelib.adapters import national
from chalicelib.adapters.models import Case, UniqueValue
from chalicelib.domain.clock import iso, office_today
from chalicelib.sop.schema import Step


class RecordRefused(Exception):
    """The recorded value cannot be accepted; the message is Indonesian and says what to do."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # 409: taken or used up elsewhere; 400: not a possible value


Undo = Callable[[], None]


def held(case: Case, step: Step) -> dict[str, Any]:
    """What the case recorded on this step before (a step done again after a return)."""
    return dict((case.records or {}).get(f"{step.number:02d}") or {})


def _same(spec: Any, a: Any, b: Any) -> bool:
    """Two recorded values that claim the same thing (as the claims normalise them)."""
    if a is None or b is None:
        return a is b
    if spec.check == "spr":
        return national.normalise_spr(str(a)) == national.normalise_spr(str(b))
    return " ".join(str(a).upper().split()) == " ".join(str(b).upper().split())


def claim(case: Case, step: Step, records: dict[str, Any]) -> Undo:
    """Claim every unique value, SPR place and national reference the step's records name that
    the case does not hold already; returns how to undo exactly those claims."""
    before = held(case, step)
    undo: list[Undo] = []
    try:
        for spec in step.records:
            value = records.get(spec.key)
            if value in (None, "") or _same(spec, before.get(spec.key), value):
                continue  # nothing, or held since the step was first done: the undo must not free it
            if spec.unique:
                undo.append(_claim_unique(case, spec.key, spec.label, str(value)))
            if spec.check == "spr":
                undo.append(_claim_spr(case, str(value)))
            if spec.system:
                undo.append(_record_reference(case, spec.system, spec.key, spec.label, str(value)))
    except Exception:
        for action in reversed(undo):
            action()
        raise

    def release() -> None:
        for action in reversed(undo):
            action()

    return release


def _claim_unique(case: Case, field: str, label: str, value: str) -> Undo:
    normalised = " ".join(value.upper().split())
    pk, sk = UniqueValue.key(case.office, case.service, field, normalised)
    try:
        UniqueValue(pk, sk, case_id=case.case_id, at=iso()).save(
            condition=UniqueValue.PK.does_not_exist() | (UniqueValue.case_id == case.case_id)
        )
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        raise RecordRefused(f"{label} {value} sudah dipakai untuk berkas lain. Periksa kembali.") from None

    return lambda: _release_unique(case, field, value)


def _release_unique(case: Case, field: str, value: str) -> None:
    pk, sk = UniqueValue.key(case.office, case.service, field, " ".join(value.upper().split()))
    try:
        UniqueValue(pk, sk).delete(condition=UniqueValue.case_id == case.case_id)
    except DeleteError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise  # held by another case since: not ours to free


def release_replaced(case: Case, step: Step, records: dict[str, Any]) -> None:
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


def _record_reference(case: Case, system: str, field: str, label: str, value: str) -> Undo:
    try:
        national.record_reference(case.office, system, label, value, case.case_id, case.service, field)
    except national.ReferenceProblem as exc:
        raise RecordRefused(exc.message, 400) from None
    return lambda: national.forget_reference(case.office, system, value, case.case_id, field)


def _claim_spr(case: Case, number: str) -> Undo:
    company = str((case.data or {}).get("organisation") or "")
    try:
        national.use_spr(case.office, number, company, case.case_id, office_today())
    except national.SprProblem as exc:
        raise RecordRefused(
            f"{exc.message} Bila memang begitu, pilih tombol tolak dan tuliskan alasannya untuk pemohon."
        ) from None
    return lambda: national.release_spr(case.office, number, case.case_id)
