"""Exactly-once side effects: a lease on the effect's key, taken by a conditional write.

`once(key, action)` writes a claim `EFFECT#<key>` with a lease (`lease_until`) a little beyond
the worker Lambda's timeout, runs the action, then marks the claim done with the action's
result. Who finds:

- a **done** claim gets the stored result back and does nothing (a redelivered message);
- a **claimed** one whose lease still runs gets `EffectInProgress` (503): another delivery is
  at work, or was when it died; SQS delivers the message again after its visibility timeout
  (360 s, longer than any lease), when
- a claim whose **lease ran out** is taken over: its worker died between claiming and finishing
  (Lambda timeout, out of memory, a lost host), so the work is done again rather than skipped.

If the action raises, the claim is released so that a retry does the work. The one window left
is a crash after the effect and before it is marked done: the effect is then repeated after the
lease. That is chosen on purpose (at-least-once): an email twice is better than a card never;
effects whose repetition would be wrong (a letter number) carry their own claim (see
`services/numbering.py`). docs/reliability.md lists each task's guarantee; docs/adr/0008 says
why this is ours and not Powertools' idempotency utility.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NoReturn

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.adapters.aws_errors import condition_failed, translate
from chalicelib.adapters.models import Effect
from chalicelib.domain.clock import iso, now
from chalicelib.errors import Unavailable
from chalicelib.settings import WORKER_TIMEOUT_SECONDS

# A claim outlives the worker that took it by this much: a live worker never loses its lease.
LEASE_SECONDS = WORKER_TIMEOUT_SECONDS + 30
# Lambda retries the visibility timeout after a failure; a delivery finding a live lease is
# told to come back after the lease, at the latest.
RETRY_AFTER_SECONDS = LEASE_SECONDS


class EffectInProgress(Unavailable):
    """Another delivery holds the lease on this effect (503; SQS delivers the message again)."""

    def __init__(self, key: str, lease_until: str) -> None:
        super().__init__(
            "Pekerjaan ini sedang dikerjakan; dicoba lagi setelah waktunya habis.",
            retry_after=RETRY_AFTER_SECONDS,
        )
        self.key = key
        self.lease_until = lease_until


def _raise(exc: BaseException) -> NoReturn:
    """Raise Loket's error for a DynamoDB failure, or the failure itself when it is a bug."""
    loket = translate(exc)
    if loket is None:
        raise exc
    raise loket from exc


def _refused(exc: PutError | UpdateError | DeleteError) -> bool:
    return condition_failed(exc)


def _claim(effect_key: str, lease_seconds: float) -> tuple[Effect | None, Effect | None]:
    """Take the lease. Returns (our claim, None), or (None, the done claim someone else made).

    Raises EffectInProgress while another delivery's lease runs."""
    started = now()
    effect = Effect(
        *Effect.key(effect_key),
        status="claimed",
        at=iso(started),
        lease_until=iso(started + timedelta(seconds=lease_seconds)),
        holder=secrets.token_hex(8),
    )
    expired = (Effect.status == "claimed") & (Effect.lease_until < iso(started))
    try:
        effect.save(condition=Effect.PK.does_not_exist() | expired)
        return effect, None
    except PutError as exc:
        if not _refused(exc):
            _raise(exc)
    existing = Effect.get(*Effect.key(effect_key), consistent_read=True)
    if existing.status == "done":
        return None, existing
    raise EffectInProgress(effect_key, existing.lease_until or "")


def once(
    effect_key: str, action: Callable[[], dict[str, Any]], lease_seconds: float | None = None
) -> tuple[bool, dict[str, Any]]:
    """Run `action` once for `effect_key`; returns (ran now, the result of the run that counts).

    The lease is `lease_seconds`, else LEASE_SECONDS as it is when called (`make chaos` scales
    it down with the queue's visibility timeout, in the deployed proportion).

    `action` returns a small JSON-able dict (stored with the claim). Raises EffectInProgress
    (503) while another delivery's lease on the key runs, whatever `action` raised (after
    releasing the claim), and Loket's translated errors when DynamoDB fails."""
    mine, done = _claim(effect_key, LEASE_SECONDS if lease_seconds is None else lease_seconds)
    if mine is None:
        assert done is not None
        return False, dict(done.result or {})
    held = Effect.holder == mine.holder
    try:
        result = action()
    except BaseException:
        try:
            mine.delete(condition=held)
        except DeleteError as exc:
            if not _refused(exc):  # a lease lost meanwhile is the new holder's to release
                _raise(exc)
        raise
    try:
        mine.update(
            actions=[Effect.status.set("done"), Effect.result.set(result), Effect.at.set(iso())],
            condition=held,
        )
    except UpdateError as exc:
        if not _refused(exc):
            _raise(exc)
        # Our lease ran out and another delivery took it over: it does the effect again and
        # marks it done. Ours happened too (at-least-once, see above); nothing more to do.
    return True, result
