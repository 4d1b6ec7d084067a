"""Exactly-once side effects: claim a key with a conditional write before doing the effect.

A redelivered SQS message or a retried task finds the claim and does not repeat the effect (a
second email, a second number). If the effect itself fails, the claim is released so a retry
can do it; a crash between the effect and the release leaves the claim, which is the safe side
for email (never twice) and is visible in the table for an operator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.adapters.models import Effect
from chalicelib.domain.clock import iso


def _conditional_failed(exc: PutError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


def once(effect_key: str, action: Callable[[], dict[str, Any]]) -> tuple[bool, dict[str, Any]]:
    """Run `action` once for `effect_key`. Returns (ran_now, result of the first run)."""
    effect = Effect(*Effect.key(effect_key), status="claimed", at=iso())
    try:
        effect.save(condition=Effect.PK.does_not_exist())
    except PutError as exc:
        if not _conditional_failed(exc):
            raise
        existing = Effect.get(*Effect.key(effect_key), consistent_read=True)
        return False, dict(existing.result or {})
    try:
        result = action()
    except Exception:
        effect.delete()
        raise
    effect.update(actions=[Effect.status.set("done"), Effect.result.set(result), Effect.at.set(iso())])
    return True, result
