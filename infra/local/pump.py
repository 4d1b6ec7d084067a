"""The local stand-in for Lambda's SQS event source: feeds the worker queue to the worker handler.

It calls the very handler Lambda would (app.py's `worker`), with the same event shape, one
message at a time. A message whose handling fails is left on the queue and becomes visible again
after a short delay; after the queue's maxReceiveCount it moves to the dead-letter queue, as in AWS.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import boto3

log = logging.getLogger("loket.pump")

RETRY_AFTER_SECONDS = 5  # make run's default; `--retry-seconds` sets another


def sqs_event(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """The Lambda SQS event for one received message."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        ]
    }


class WorkerPump(threading.Thread):
    def __init__(
        self,
        queue_url: str,
        stopping: threading.Event,
        retry_seconds: int = RETRY_AFTER_SECONDS,
        name: str = "worker-pump",
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.queue_url = queue_url
        self.stopping = stopping
        self.retry_seconds = retry_seconds
        self.handled = 0

    def run(self) -> None:
        from app import app

        handler = app.handler_map["worker"]
        sqs = boto3.client("sqs")
        arn = sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        region = sqs.meta.region_name
        while not self.stopping.is_set():
            try:
                got = sqs.receive_message(
                    QueueUrl=self.queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=1, AttributeNames=["All"]
                )
            except Exception as exc:  # the stack is shutting down or moto is gone
                if not self.stopping.is_set():
                    log.warning("worker queue unreachable: %s", exc.__class__.__name__)
                    self.stopping.wait(1)
                continue
            for message in got.get("Messages", []):
                try:
                    handler(sqs_event(message, arn, region), None)
                except Exception as exc:
                    # Only the exception type: messages carry personal data, never logged.
                    log.warning("worker task failed (%s); it will be retried", exc.__class__.__name__)
                    sqs.change_message_visibility(
                        QueueUrl=self.queue_url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=self.retry_seconds,
                    )
                    continue
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
                self.handled += 1


# The message EventBridge Scheduler puts on the worker queue (infra/base.yaml
# HolderRemindersSchedule), with the scheduled time in place of <aws.scheduler.scheduled-time>.
REMINDER_SECONDS = 3600  # make run's period: hourly, so a reminder due today goes out the same day


def reminder_message(scheduled: str) -> dict[str, Any]:
    """The `holder_reminders` task of one scheduled run (ISO time, UTC)."""
    return {"task": "holder_reminders", "case_id": "-", "entered": scheduled}


class ReminderTimer(threading.Thread):
    """The local stand-in for EventBridge Scheduler: puts the `holder_reminders` task on the notice
    queue when the stack starts and every `period` seconds, for the pump to hand to the worker
    handler like any other task (each reminder email is sent once per card and date)."""

    def __init__(self, queue_url: str, stopping: threading.Event, period: float = REMINDER_SECONDS) -> None:
        super().__init__(name="reminder-timer", daemon=True)
        self.queue_url = queue_url
        self.stopping = stopping
        self.period = period
        self.sent = 0

    def run(self) -> None:
        import json
        import time
        from datetime import UTC, datetime

        sqs = boto3.client("sqs")
        while not self.stopping.is_set():
            slot = int(time.time() // self.period * self.period)  # the run's scheduled time
            scheduled = datetime.fromtimestamp(slot, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            try:
                sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(reminder_message(scheduled)))
                self.sent += 1
            except Exception as exc:  # the stack is shutting down or moto is gone
                if not self.stopping.is_set():
                    log.warning("reminder run not queued: %s", exc.__class__.__name__)
            self.stopping.wait(self.period)
