"""The contract of the audit trail port (`audit_log.AuditLog`), and of services/audit.py on it."""

from __future__ import annotations

import pytest

from chalicelib.adapters.audit_log import AuditLog
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.models import AuditEvent
from chalicelib.services import audit
from tests.contract.case_store import new_case


def event(case_id: str, at: str, action: str, event_id: str = "0001", **values: object) -> AuditEvent:
    return AuditEvent(
        *AuditEvent.key(case_id, at, event_id),
        case_id=case_id,
        at=at,
        actor=str(values.pop("actor", "sistem")),
        role="sistem",
        step="03",
        action=action,
        **values,
    )


class AuditLogContract:
    """Subclasses give `subject`: the trail under test, installed as `audit_log.events()`."""

    @pytest.fixture
    def subject(self) -> AuditLog:
        raise NotImplementedError

    def test_a_trail_is_oldest_first_whatever_the_order_of_adding(self, subject: AuditLog) -> None:
        subject.add(event("c1", "2026-11-23T03:00:00.000Z", "approve"))
        subject.add(event("c1", "2026-11-23T01:00:00.000Z", "submitted"))
        subject.add(event("c1", "2026-11-23T02:00:00.000Z", "email"))
        subject.add(event("c1", "2026-11-23T02:00:00.000Z", "overdue", event_id="0002"))
        subject.add(event("c2", "2026-11-23T00:00:00.000Z", "submitted"))
        assert [e.action for e in subject.trail("c1")] == ["submitted", "email", "overdue", "approve"]
        assert [e.action for e in subject.trail("c2")] == ["submitted"]
        assert subject.trail("c3") == []

    def test_an_event_keeps_what_it_says(self, subject: AuditLog) -> None:
        subject.add(
            event(
                "c1",
                "2026-11-23T01:00:00.000Z",
                "return",
                actor="kab-pasuruan.petugas1",
                note="KTP buram",
                details={"items": ["ktp"]},
                duration_seconds=12.5,
                standard_seconds=600,
                overdue=1,
            )
        )
        [kept] = subject.trail("c1")
        assert (kept.actor, kept.action, kept.note, kept.details) == (
            "kab-pasuruan.petugas1",
            "return",
            "KTP buram",
            {"items": ["ktp"]},
        )
        assert (kept.duration_seconds, kept.standard_seconds, kept.overdue) == (12.5, 600, 1)

    def test_a_trail_holds_only_the_cases_events(self, subject: AuditLog) -> None:
        """The case itself shares the trail's partition in the table (PK `CASE#<id>`)."""
        cases().add(new_case("c1"))
        subject.add(event("c1", "2026-11-23T01:00:00.000Z", "submitted"))
        assert [type(e).__name__ for e in subject.trail("c1")] == ["AuditEvent"]

    def test_record_adds_a_system_event_to_the_trail(self, subject: AuditLog) -> None:
        audit.record("c1", "05", "email", template="step_notice")
        audit.record("c1", "06", "returned", "Lengkapi berkas Anda.")
        # Both may carry the same millisecond (then their random ids order them): compared by step.
        trail = sorted(audit.trail("c1"), key=lambda e: e.step)
        assert [(e.actor, e.role, e.step, e.action) for e in trail] == [
            ("sistem", "sistem", "05", "email"),
            ("sistem", "sistem", "06", "returned"),
        ]
        assert trail[0].details == {"template": "step_notice"} and trail[1].note == "Lengkapi berkas Anda."

    def test_an_event_given_its_time_and_id_is_kept_once_however_often_it_is_added(
        self, subject: AuditLog
    ) -> None:
        """A press repeated after a failure writes its event again (services/cases.py `_start_trail`)."""
        at = "2026-11-23T01:00:00.000Z"
        for _press in range(3):
            subject.add(audit.event("c1", "pemohon", "pemohon", "-", "submitted", at=at, event_id="diajukan"))
        subject.add(audit.event("c1", "pemohon", "pemohon", "-", "submitted"))  # no id given: a new event
        trail = subject.trail("c1")
        assert len(trail) == 2 and trail[0].at == at and trail[0].SK.endswith("#diajukan")

    def test_an_event_added_once_under_a_marker_is_kept_once(self, subject: AuditLog) -> None:
        first = event("c1", "2026-11-23T01:00:00.000Z", "number_letter", event_id="0001")
        again = event("c1", "2026-11-23T01:00:05.000Z", "number_letter", event_id="0002")  # a later run
        assert subject.add_once(first, "k#c1#05#number_letter#1") is True
        assert subject.add_once(again, "k#c1#05#number_letter#1") is False
        assert subject.add_once(again, "k#c1#05#number_letter#2") is True  # another mark: another event
        assert [e.at for e in subject.trail("c1")] == ["2026-11-23T01:00:00.000Z", "2026-11-23T01:00:05.000Z"]

    def test_a_worker_run_repeated_after_a_failure_records_its_events_once(self, subject: AuditLog) -> None:
        """A task recorded its line, then failed (the render after a letter's number: S3 busy) and
        ran again: the trail held the line twice. `audit.record` inside `effects.once` is once per
        effect, case, step and action (and its nth such line in the run)."""
        from chalicelib.adapters import effects
        from chalicelib.errors import Unavailable

        runs: list[int] = []

        def task() -> dict[str, object]:
            runs.append(1)
            audit.record("c1", "05", "number_letter", numbers={"surat": "1/2026"})
            audit.record("c1", "05", "email", template="a")
            audit.record("c1", "05", "email", template="b")  # a second line of a kind: kept too
            if len(runs) == 1:
                raise Unavailable()
            return {}

        with pytest.raises(Unavailable):
            effects.once("c1#05#number_letter#1", task)
        assert effects.once("c1#05#number_letter#1", task)[0] is True
        assert effects.once("c1#05#number_letter#1", task)[0] is False  # done: not run again
        audit.record("c1", "05", "email", template="c")  # outside a worker run: always a new line
        trail = subject.trail("c1")
        assert len(runs) == 2
        assert sorted(e.action for e in trail) == ["email", "email", "email", "number_letter"]
        assert sorted((e.details or {}).get("template", "") for e in trail) == ["", "a", "b", "c"]
