"""Effect claims in memory: `chalicelib.adapters.effects.EffectLedger` without DynamoDB.

Proven by tests/contract/effects.py, which runs against this and against DynamoEffectLedger on moto.
"""

from __future__ import annotations

import json
import threading
from typing import Any

CLAIMED = object()  # claimed, not done yet


class FakeEffectLedger:
    """A claim per key; a result kept as JSON keeps it (the Effect item's JSONAttribute)."""

    def __init__(self) -> None:
        self._effects: dict[str, Any] = {}
        self._lock = threading.Lock()

    def claim(self, effect_key: str) -> bool:
        with self._lock:
            if effect_key in self._effects:
                return False
            self._effects[effect_key] = CLAIMED
            return True

    def release(self, effect_key: str) -> None:
        with self._lock:
            self._effects.pop(effect_key, None)

    def finish(self, effect_key: str, result: dict[str, Any]) -> None:
        with self._lock:  # an UpdateItem: it makes the item when there is none
            self._effects[effect_key] = json.loads(json.dumps(result))

    def result(self, effect_key: str) -> dict[str, Any]:
        with self._lock:
            kept = self._effects.get(effect_key)
        return dict(kept) if isinstance(kept, dict) else {}

    def claimed(self, effect_key: str) -> bool:
        """Whether the key is claimed (done or not): what a test reads instead of the table."""
        with self._lock:
            return effect_key in self._effects
