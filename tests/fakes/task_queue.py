"""The worker queue in memory: `chalicelib.adapters.task_queue.TaskQueue` without SQS.

Proven by tests/contract/task_queue.py, which runs against this and against SqsTaskQueue on moto.
A test plays Lambda's event source with `take` (the messages due, oldest first) and looks at what
was sent, with its delay, in `sent`.
"""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

from chalicelib.adapters.task_queue import checked_delay


class FakeTaskQueue:
    """Messages kept as SQS keeps them (their JSON), each with the delay it was sent with."""

    def __init__(self) -> None:
        self._queued: list[tuple[str, int]] = []
        self.sent: list[tuple[dict[str, Any], int]] = []
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any], delay_seconds: int = 0) -> None:
        body = json.dumps(message)  # what SQS would hold: a message that is not JSON fails here
        delay = checked_delay(delay_seconds)
        with self._lock:
            self._queued.append((body, delay))
            self.sent.append((copy.deepcopy(message), delay))

    def due(self) -> list[dict[str, Any]]:
        """The messages sent without a delay, oldest first, taken off the queue (what SQS would
        hand the worker now)."""
        with self._lock:
            now = [(b, d) for b, d in self._queued if d == 0]
            self._queued = [q for q in self._queued if q not in now]
        return [json.loads(b) for b, _d in now]

    def take(self, task: str | None = None) -> list[dict[str, Any]]:
        """Every queued message (of `task`, when named), oldest first, taken off the queue
        whatever its delay (a test does not wait for SQS's clock)."""
        with self._lock:
            taken = [(b, d) for b, d in self._queued if task is None or json.loads(b).get("task") == task]
            self._queued = [q for q in self._queued if q not in taken]
        return [json.loads(b) for b, _d in taken]
