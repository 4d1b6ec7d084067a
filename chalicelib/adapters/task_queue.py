"""The worker queue, as the API reaches it: a task message for the worker, now or after a delay.

`TaskQueue` is the port (adapters/ports.py), `SqsTaskQueue` it on SQS (the worker queue of the
template, `LOKET_WORKER_QUEUE_URL`), `tasks()` the one in use. Step Functions sends the SOP's
system steps to the same queue itself; this port carries the tasks Loket starts on its own (the
check of an upload after its malware scan, services/uploads.py). A message here has no task
token: nobody waits for its answer (worker/tasks.py `handle`).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from chalicelib.adapters.aws import client
from chalicelib.adapters.ports import Port
from chalicelib.settings import get_settings

MAX_DELAY_SECONDS = 900  # SQS's limit on DelaySeconds


class TaskQueue(Protocol):
    """Task messages for the worker (JSON objects, as worker/tasks.py `handle` reads them)."""

    def send(self, message: dict[str, Any], delay_seconds: int = 0) -> None:
        """Queue `message` for the worker, delivered after `delay_seconds` (0 to 900; ValueError
        beyond). Raises Loket's translated errors when SQS fails."""
        ...


def checked_delay(delay_seconds: int) -> int:
    """`delay_seconds` if SQS can delay a message that long (0 to MAX_DELAY_SECONDS)."""
    if not 0 <= delay_seconds <= MAX_DELAY_SECONDS:
        raise ValueError(f"an SQS message is delayed 0 to {MAX_DELAY_SECONDS} s, not {delay_seconds}")
    return delay_seconds


class SqsTaskQueue:
    """The worker queue (`LOKET_WORKER_QUEUE_URL`), or with `notices` the notice queue
    (`LOKET_NOTICE_QUEUE_URL`): escalations, overdue digests and reminders, which the same worker
    handler runs from a queue of their own so they never wait in front of card issuing."""

    def __init__(self, notices: bool = False) -> None:
        self.notices = notices

    def send(self, message: dict[str, Any], delay_seconds: int = 0) -> None:
        settings = get_settings()
        client("sqs").send_message(
            QueueUrl=settings.notice_queue_url if self.notices else settings.worker_queue_url,
            MessageBody=json.dumps(message),
            DelaySeconds=checked_delay(delay_seconds),
        )


tasks: Port[TaskQueue] = Port("tasks", SqsTaskQueue)
notices: Port[TaskQueue] = Port("notices", lambda: SqsTaskQueue(notices=True))
