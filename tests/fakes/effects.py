"""Effect leases in memory: `chalicelib.adapters.effects.EffectLedger` without DynamoDB.

Proven by tests/contract/effects.py, which runs against this and against DynamoEffectLedger on moto.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from chalicelib.adapters.effects import Claim


class FakeEffectLedger:
    """A claim per key (status, holder, lease, result); a result kept as JSON keeps it (the Effect
    item's JSONAttribute)."""

    def __init__(self) -> None:
        self._effects: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def claim(self, effect_key: str, holder: str, now: str, lease_until: str) -> Claim:
        with self._lock:
            existing = self._effects.get(effect_key)
            if existing is None or (existing["status"] == "claimed" and existing["lease_until"] < now):
                self._effects[effect_key] = {
                    "status": "claimed",
                    "holder": holder,
                    "lease_until": lease_until,
                }
                return Claim(mine=True)
            return Claim(
                mine=False,
                done=existing["status"] == "done",
                result=dict(existing.get("result") or {}),
                lease_until=existing.get("lease_until", ""),
            )

    def release(self, effect_key: str, holder: str) -> None:
        with self._lock:
            if self._effects.get(effect_key, {}).get("holder") == holder:
                del self._effects[effect_key]

    def finish(self, effect_key: str, holder: str, result: dict[str, Any]) -> bool:
        with self._lock:
            existing = self._effects.get(effect_key)
            if existing is None or existing.get("holder") != holder:
                return False
            existing.update(status="done", result=json.loads(json.dumps(result)))
            return True

    def result(self, effect_key: str) -> dict[str, Any]:
        with self._lock:
            kept = self._effects.get(effect_key)
        return dict(kept.get("result") or {}) if kept and kept["status"] == "done" else {}

    def claimed(self, effect_key: str) -> bool:
        """Whether the key is claimed (done or not): what a test reads instead of the table."""
        with self._lock:
            return effect_key in self._effects
