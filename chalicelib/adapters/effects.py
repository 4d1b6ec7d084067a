"""Exactly-once side effects: claim a key with a conditional write before doing the effect.

A redelivered SQS message or a retried task finds the claim and does not repeat the effect (a
second email, a second number). If the effect itself fails, the claim is released so a retry
can do it; a crash between the effect and the release leaves the claim, which is the safe side
for email (never twice) and is visible in the table for an operator.

`EffectLedger` is the port (adapters/ports.py), `DynamoEffectLedger` it on DynamoDB (an `Effect`
item per key), `once` the rule above on whichever ledger is in use. Letter numbers claim their
effect inside their own transaction instead (`services/numbering.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.adapters.models import Effect
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso


class EffectLedger(Protocol):
    """Claims of effects by key: each key is claimed once until released."""

    def claim(self, effect_key: str) -> bool:
        """Claim the key: True if this call claimed it, False if it is claimed (or done) already."""
        ...

    def release(self, effect_key: str) -> None:
        """Give up the claim (its effect failed), so that the next `claim` of the key succeeds."""
        ...

    def finish(self, effect_key: str, result: dict[str, Any]) -> None:
        """Mark the claimed effect done, keeping its (JSON) result; it stays claimed."""
        ...

    def result(self, effect_key: str) -> dict[str, Any]:
        """What `finish` kept for the key; {} while the effect is not done (or not claimed)."""
        ...


class DynamoEffectLedger:
    """Effect items (PK `EFFECT#<key>`): claimed by a put only if absent, released by a delete."""

    def claim(self, effect_key: str) -> bool:
        effect = Effect(*Effect.key(effect_key), status="claimed", at=iso())
        try:
            write_one(Write("save", effect, condition=Effect.PK.does_not_exist()))
        except Refused:
            return False
        return True

    def release(self, effect_key: str) -> None:
        Effect(*Effect.key(effect_key)).delete()

    def finish(self, effect_key: str, result: dict[str, Any]) -> None:
        Effect(*Effect.key(effect_key)).update(
            actions=[Effect.status.set("done"), Effect.result.set(result), Effect.at.set(iso())]
        )

    def result(self, effect_key: str) -> dict[str, Any]:
        try:
            effect = Effect.get(*Effect.key(effect_key), consistent_read=True)
        except Effect.DoesNotExist:
            return {}
        return dict(effect.result or {})


ledger: Port[EffectLedger] = Port("effects", DynamoEffectLedger)


def once(effect_key: str, action: Callable[[], dict[str, Any]]) -> tuple[bool, dict[str, Any]]:
    """Run `action` once for `effect_key`. Returns (ran_now, result of the first run).

    A repeat while the first run is still going (or after a crash in it) gets {}: the effect is
    not done again. When `action` raises, the claim is released and the error goes on."""
    book = ledger()
    if not book.claim(effect_key):
        return False, book.result(effect_key)
    try:
        result = action()
    except Exception:
        book.release(effect_key)
        raise
    book.finish(effect_key, result)
    return True, result
