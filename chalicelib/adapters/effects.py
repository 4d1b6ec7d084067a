"""Exactly-once side effects: a lease on the effect's key, taken by a conditional write.

`once(key, action)` claims `key` with a lease (`lease_until`) a little beyond the worker
Lambda's timeout, runs the action, then marks the claim done with the action's result. Who finds:

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

`EffectLedger` is the port (adapters/ports.py), `DynamoEffectLedger` it on DynamoDB (an `Effect`
item per key), `once` the rule above on whichever ledger is in use.
"""

from __future__ import annotations

import contextlib
import secrets
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from chalicelib.adapters.models import Effect
from chalicelib.adapters.ports import Port
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.clock import iso, now
from chalicelib.errors import Unavailable
from chalicelib.settings import WORKER_TIMEOUT_SECONDS

# A claim outlives the worker that took it by this much: a live worker never loses its lease.
LEASE_SECONDS = WORKER_TIMEOUT_SECONDS + 30
# A delivery finding a live lease is told to come back after the lease, at the latest.
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


@dataclass(frozen=True)
class Claim:
    """What claiming a key found: `mine` (the lease is ours now), else the claim that stands:
    `done` with its `result`, or held by another delivery until `lease_until` (ISO time, UTC)."""

    mine: bool
    done: bool = False
    result: dict[str, Any] = field(default_factory=dict)
    lease_until: str = ""


class EffectLedger(Protocol):
    """Leases on effects by key (ISO times in UTC compare as text)."""

    def claim(self, effect_key: str, holder: str, now: str, lease_until: str) -> Claim:
        """Take the key for `holder` until `lease_until` if it is free or its lease ran out
        before `now`; else say what holds it (done, or another holder's live lease)."""
        ...

    def release(self, effect_key: str, holder: str) -> None:
        """Give up `holder`'s claim (its effect failed); nothing if another holds the key now."""
        ...

    def finish(self, effect_key: str, holder: str, result: dict[str, Any]) -> bool:
        """Mark `holder`'s claim done, keeping its (JSON) result; False if the lease was taken over."""
        ...

    def result(self, effect_key: str) -> dict[str, Any]:
        """What `finish` kept for the key; {} while the effect is not done (or not claimed)."""
        ...


class DynamoEffectLedger:
    """Effect items (PK `EFFECT#<key>`): taken by a conditional put, given up by a conditional delete."""

    def claim(self, effect_key: str, holder: str, now: str, lease_until: str) -> Claim:
        effect = Effect(
            *Effect.key(effect_key), status="claimed", at=now, lease_until=lease_until, holder=holder
        )
        expired = (Effect.status == "claimed") & (Effect.lease_until < now)
        try:
            write_one(Write("save", effect, condition=Effect.PK.does_not_exist() | expired))
        except Refused:
            try:
                existing = Effect.get(*Effect.key(effect_key), consistent_read=True)
            except Effect.DoesNotExist:  # released between the put and this read: try again
                return self.claim(effect_key, holder, now, lease_until)
            return Claim(
                mine=False,
                done=existing.status == "done",
                result=dict(existing.result or {}),
                lease_until=existing.lease_until or "",
            )
        return Claim(mine=True)

    def release(self, effect_key: str, holder: str) -> None:
        # A lease lost meanwhile is the new holder's to release: a refusal leaves it alone.
        with contextlib.suppress(Refused):
            write_one(Write("delete", Effect(*Effect.key(effect_key)), condition=Effect.holder == holder))

    def finish(self, effect_key: str, holder: str, result: dict[str, Any]) -> bool:
        done = [Effect.status.set("done"), Effect.result.set(result), Effect.at.set(iso())]
        try:
            write_one(
                Write(
                    "update", Effect(*Effect.key(effect_key)), condition=Effect.holder == holder, actions=done
                )
            )
        except Refused:
            return False
        return True

    def result(self, effect_key: str) -> dict[str, Any]:
        try:
            effect = Effect.get(*Effect.key(effect_key), consistent_read=True)
        except Effect.DoesNotExist:
            return {}
        return dict(effect.result or {}) if effect.status == "done" else {}


ledger: Port[EffectLedger] = Port("effects", DynamoEffectLedger)


class Run:
    """The effect whose action is running in this context (`once`), for what the action writes
    that a repeated run must not write again: `marker` names its nth write of a kind."""

    def __init__(self, effect_key: str) -> None:
        self.effect_key = effect_key
        self._seen: Counter[str] = Counter()

    def marker(self, kind: str) -> str:
        """`<effect key>#<kind>#<n>` for the nth call with `kind` in this run (from 1): the same
        in every run of the action that takes the same path."""
        self._seen[kind] += 1
        return f"{self.effect_key}#{kind}#{self._seen[kind]}"


_RUNNING: ContextVar[Run | None] = ContextVar("effect_run", default=None)


def running() -> Run | None:
    """The innermost effect whose action is running here (None outside `once`)."""
    return _RUNNING.get()


def once(
    effect_key: str, action: Callable[[], dict[str, Any]], lease_seconds: float | None = None
) -> tuple[bool, dict[str, Any]]:
    """Run `action` once for `effect_key`; returns (ran now, the result of the run that counts).

    `action` returns a small JSON-able dict (kept with the claim). Raises EffectInProgress (503)
    while another delivery's lease on the key runs, whatever `action` raised (after releasing
    the claim), and Loket's translated errors when DynamoDB fails. The lease is `lease_seconds`,
    else LEASE_SECONDS as it is when called (`make chaos` scales it down with the queue's
    visibility timeout, in the deployed proportion)."""
    lease = LEASE_SECONDS if lease_seconds is None else lease_seconds
    book = ledger()
    started = now()
    holder = secrets.token_hex(8)
    got = book.claim(effect_key, holder, iso(started), iso(started + timedelta(seconds=lease)))
    if not got.mine:
        if got.done:
            return False, dict(got.result)
        raise EffectInProgress(effect_key, got.lease_until)
    run = _RUNNING.set(Run(effect_key))
    try:
        result = action()
    except BaseException:
        book.release(effect_key, holder)
        raise
    finally:
        _RUNNING.reset(run)
    # False: our lease ran out and another delivery took it over; it does the effect again and
    # marks it done. Ours happened too (at-least-once, see above): nothing more to do.
    book.finish(effect_key, holder, result)
    return True, result
