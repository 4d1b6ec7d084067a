"""Changing a case safely: update actions computed from the case as it is now, at its version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.models import Case
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso
from chalicelib.errors import Conflict

ATTEMPTS = 8


def change_case(case_id: str, actions_for: Callable[[Case], list[Any]]) -> Case:
    """Apply update actions computed from the current case, retrying if it changed meanwhile.

    The Case model's version attribute makes each update conditional, so two writers (the
    applicant and the worker) never overwrite each other's change.
    """
    for _attempt in range(ATTEMPTS):
        case = Case.get(*Case.key(case_id), consistent_read=True)
        actions = actions_for(case)
        if not actions:
            return case
        try:
            write_one(Write("update", case, actions=[*actions, Case.updated_at.set(iso())]))
        except Refused:
            continue
        return case
    raise Conflict("Berkas sedang diubah di tempat lain; coba lagi.")
