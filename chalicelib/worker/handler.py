"""The worker Lambda: one SQS event source on the worker queue."""

from __future__ import annotations

import json

from chalice import Blueprint
from chalice.app import SQSEvent

from chalicelib import log_context
from chalicelib.settings import WORKER_QUEUE_NAME
from chalicelib.worker import tasks

worker_bp = Blueprint(__name__)


@worker_bp.on_sqs_message(queue=WORKER_QUEUE_NAME, batch_size=1, name="worker")
def worker(event: SQSEvent) -> None:
    for record in event:
        message = json.loads(record.body)
        with log_context.about(message.get("case_id") if isinstance(message, dict) else None):
            tasks.handle(message)
