"""`change_case` from the caller's copy (adapters/case_store.py): one read fewer per request, and
never a change lost or skipped because that copy was stale."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.case_store import change_case
from chalicelib.adapters.models import Case
from tests.fakes import Fakes


def _stored(fakes: Fakes) -> Case:
    return fakes.cases.add(
        Case(
            *Case.key("c1"),
            case_id="c1",
            office="kab-pasuruan",
            service="ak1",
            applicant_sub="s",
            status="draft",
            created_at="2026-12-01T00:00:00.000Z",
            updated_at="2026-12-01T00:00:00.000Z",
            data={},
        )
    )


def _counting_reads(fakes: Fakes, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = fakes.cases.get

    def get(case_id: str) -> Case:
        reads.append(case_id)
        return real(case_id)

    monkeypatch.setattr(fakes.cases, "get", get)
    return reads


def test_the_callers_fresh_copy_is_changed_without_a_second_read(fakes: Fakes, monkeypatch) -> None:
    read = fakes.cases.get(_stored(fakes).case_id)
    reads = _counting_reads(fakes, monkeypatch)
    changed = change_case("c1", lambda c: [Case.status.set("submitted")], read=read)
    assert changed.status == "submitted" and reads == []


def test_a_stale_copy_is_refused_by_its_version_and_the_change_made_on_the_stored_case(
    fakes: Fakes, monkeypatch
) -> None:
    stale = fakes.cases.get(_stored(fakes).case_id)
    change_case("c1", lambda c: [Case.data.set({"form": {"a": 1}})])  # someone else, meanwhile
    reads = _counting_reads(fakes, monkeypatch)
    seen: list[Any] = []

    def submit(current: Case) -> list[Any]:
        seen.append(dict(current.data or {}))
        return [Case.status.set("submitted")]

    changed = change_case("c1", submit, read=stale)
    assert changed.status == "submitted" and changed.data == {"form": {"a": 1}}  # nothing lost
    assert seen == [{}, {"form": {"a": 1}}] and reads == ["c1"]


def test_nothing_to_do_by_a_stale_copy_is_checked_on_the_stored_case(fakes: Fakes) -> None:
    """The caller's copy says the work is done (submitted); the stored case says it is not: the
    change is made, never silently skipped."""
    stale = fakes.cases.get(_stored(fakes).case_id)
    stale.status = "submitted"  # what the copy says, not what is stored
    changed = change_case(
        "c1", lambda c: [] if c.status == "submitted" else [Case.status.set("submitted")], read=stale
    )
    assert changed.status == "submitted" and fakes.cases.get("c1").status == "submitted"
