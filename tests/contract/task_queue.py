"""The contract of the task-queue port (`task_queue.TaskQueue`): a message reaches the worker."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.task_queue import TaskQueue

MESSAGE = {
    "task": "check_upload",
    "case_id": "c1",
    "document": "ktp",
    "key": "cases/c1/ktp/a.pdf",
    "attempt": 0,
}


class TaskQueueContract:
    """Subclasses give `subject` (the queue under test) and `due()`: the messages the worker
    would be handed now (delayed ones not yet), taking them off the queue."""

    @pytest.fixture
    def subject(self) -> TaskQueue:
        raise NotImplementedError

    def due(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def test_a_message_reaches_the_worker_as_it_was_sent(self, subject: TaskQueue) -> None:
        subject.send(dict(MESSAGE))
        assert self.due() == [MESSAGE]
        assert self.due() == []  # taken once

    def test_a_delayed_message_waits(self, subject: TaskQueue) -> None:
        subject.send(dict(MESSAGE, attempt=1), delay_seconds=300)
        assert self.due() == []

    def test_a_delay_sqs_cannot_give_is_refused(self, subject: TaskQueue) -> None:
        for delay in (-1, 901):
            with pytest.raises(ValueError):
                subject.send(dict(MESSAGE), delay_seconds=delay)
        assert self.due() == []
