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
        self, queue_url: str, stopping: threading.Event, retry_seconds: int = RETRY_AFTER_SECONDS
    ) -> None:
        super().__init__(name="worker-pump", daemon=True)
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
