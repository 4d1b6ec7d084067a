"""The audit trail of a case: every transition, who did it as which role, and how long it took."""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.adapters import audit_log, effects
from chalicelib.adapters.models import AuditEvent
from chalicelib.domain.clock import iso

SYSTEM = "sistem"


def event(
    case_id: str,
    actor: str,
    role: str,
    step: str,
    action: str,
    note: str | None = None,
    details: dict[str, Any] | None = None,
    duration_seconds: float | None = None,
    standard_seconds: float | None = None,
    overdue: int = 0,
    at: str | None = None,
    event_id: str | None = None,
) -> AuditEvent:
    """An (unsaved) audit event; callers save it alone or inside their transaction. `at` (ISO UTC)
    defaults to now and `event_id` to a random one; an event that may be written again (a press
    repeated after a failure) gives both, so its key and content are the same each time and the
    second put replaces the first with itself."""
    at = at or iso()
    return AuditEvent(
        *AuditEvent.key(case_id, at, event_id or secrets.token_hex(4)),
        case_id=case_id,
        at=at,
        actor=actor,
        role=role,
        step=step,
        action=action,
        note=note or None,
        details=details or None,
        duration_seconds=duration_seconds,
        standard_seconds=standard_seconds,
        overdue=overdue,
    )


def record(case_id: str, step: str, action: str, note: str | None = None, **details: Any) -> None:
    """A transition done by Loket itself (worker tasks). Inside an effect's run (a worker task
    under adapters/effects.once) it is written once for that effect, step and action however
    often the run is repeated after a failure (a render failing after the number's audit line:
    the task runs again), by a mark written with it (audit_log `add_once`)."""
    written = event(case_id, SYSTEM, SYSTEM, step, action, note, details or None)
    run = effects.running()
    if run is None:
        audit_log.events().add(written)
    else:
        audit_log.events().add_once(written, run.marker(f"{case_id}#{step}#{action}"))


def trail(case_id: str) -> list[AuditEvent]:
    """Every transition of a case, oldest first, with its real and standard time."""
    return audit_log.events().trail(case_id)
