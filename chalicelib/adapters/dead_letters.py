"""The worker's dead-letter queue (`loket-worker-dlq`): read it without losing a message, and
send messages back to the worker queue.

SQS has no "peek": a message is read by receiving it, which hides it for the visibility timeout.
`peek` receives with a short visibility timeout (PEEK_SECONDS) and makes every message it
received visible again at once, so nothing is lost and nothing stays hidden for long; if the
Lambda dies in between, the messages reappear after PEEK_SECONDS by themselves. While a page
reads the queue, another reader (a second administrator) may miss those messages for that
moment: the desk says how many it read.

`move_back` receives the same way, sends each chosen message's body unchanged to the worker queue
and only then deletes it from the dead-letter queue (a crash between the two leaves it in both:
the worker's effects are claimed once, so a double delivery does nothing twice); the messages
not chosen are made visible again.

SQS's own `StartMessageMoveTask` moves every message of the queue at once. The queue holds the
messages of every office, and an office administrator may move only their own office's, so the
desk moves message by message; IT may still use the move task for a whole-queue redrive.

The queue is found from the worker queue's redrive policy (the template's
`WorkerQueue.RedrivePolicy`), so it needs no setting of its own.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.settings import get_settings

log = logging.getLogger("loket.dead_letters")

# How long a message read for a page stays hidden if it is not made visible again.
PEEK_SECONDS = 30
BATCH = 10  # SQS's most messages per receive
MAX_MESSAGES = 300  # the most a page reads; the desk says when there may be more

_lock = threading.Lock()
_urls: dict[str, str] = {}


@dataclass(frozen=True)
class DeadLetter:
    """One message of the dead-letter queue.

    `body` is the message as the state machine sent it (a dict), or None when the body is not a
    JSON object; `raw` is the body exactly as received; `sent_at` is when it was first sent to the
    worker queue (ISO, UTC); `receive_count` how often SQS has handed it out so far."""

    message_id: str
    body: dict[str, Any] | None
    raw: str
    sent_at: str | None
    receive_count: int


@dataclass(frozen=True)
class Received:
    """What one read of the queue gave: the messages and whether the read stopped at its limit."""

    messages: list[DeadLetter]
    more: bool


def queue_url() -> str:
    """The URL of the worker queue's dead-letter queue, from the worker queue's redrive policy.

    Raises KeyError when the worker queue has no redrive policy (a template without the
    dead-letter queue); botocore's errors otherwise (the entry point translates them)."""
    worker = get_settings().worker_queue_url
    with _lock:
        if worker in _urls:
            return _urls[worker]
    sqs = client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=worker, AttributeNames=["RedrivePolicy"])["Attributes"]
    target = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]
    _, _, _, _, account, name = target.split(":", 5)
    url = str(sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"])
    with _lock:
        _urls[worker] = url
    return url


def _dead_letter(message: dict[str, Any]) -> DeadLetter:
    raw = str(message.get("Body", ""))
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    attributes = message.get("Attributes") or {}
    sent = str(attributes.get("SentTimestamp") or "")
    sent_at = (
        datetime.fromtimestamp(int(sent) / 1000, UTC).isoformat().replace("+00:00", "Z")
        if sent.isdigit()
        else None
    )
    return DeadLetter(
        message_id=str(message["MessageId"]),
        body=parsed if isinstance(parsed, dict) else None,
        raw=raw,
        sent_at=sent_at,
        receive_count=int(attributes.get("ApproximateReceiveCount") or 0),
    )


def _receive(url: str, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Receive up to `limit` messages (hidden for PEEK_SECONDS); (messages, stopped at the limit).

    Short polls until one returns nothing; when fewer messages came than SQS's estimate, long
    polls of a second (a short poll may miss messages of a busy queue)."""
    sqs = client("sqs")
    estimate = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    expected = int(estimate["Attributes"]["ApproximateNumberOfMessages"])
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    wait = 0
    while len(found) < limit:
        got = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(BATCH, limit - len(found)),
            VisibilityTimeout=PEEK_SECONDS,
            WaitTimeSeconds=wait,
            AttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
        ).get("Messages", [])
        for message in got:
            if message["MessageId"] not in seen:
                seen.add(message["MessageId"])
                found.append(message)
        if got:
            continue
        if wait or len(found) >= expected:
            break
        wait = 1
    return found, len(found) >= limit


def _show_again(url: str, messages: list[dict[str, Any]]) -> None:
    """Make received messages visible again now (their receipt handles from this read)."""
    sqs = client("sqs")
    for start in range(0, len(messages), BATCH):
        batch = messages[start : start + BATCH]
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(batch)
        ]
        answer = sqs.change_message_visibility_batch(QueueUrl=url, Entries=entries)
        for failed in answer.get("Failed", []):
            # It shows again after PEEK_SECONDS by itself; nothing is lost.
            log.warning("dead letter not shown again at once: %s", failed.get("Code"))


def peek(limit: int = MAX_MESSAGES) -> Received:
    """The messages of the dead-letter queue, left in it (visible again when this returns).

    Raises botocore's errors (the entry point translates them)."""
    url = queue_url()
    messages, more = _receive(url, limit)
    try:
        return Received([_dead_letter(m) for m in messages], more)
    finally:
        _show_again(url, messages)


def move_back(chosen: Callable[[DeadLetter], bool], limit: int = MAX_MESSAGES) -> Received:
    """Send every message `chosen` accepts back to the worker queue, unchanged, and delete it from
    the dead-letter queue; the others stay. Returns the messages moved (`more`: the read stopped
    at `limit`, so some may be left unread).

    `chosen` is called once per message; a message is deleted only after it was sent."""
    url = queue_url()
    worker = get_settings().worker_queue_url
    sqs = client("sqs")
    messages, more = _receive(url, limit)
    moved: list[DeadLetter] = []
    keep: list[dict[str, Any]] = []
    try:
        for index, message in enumerate(messages):
            letter = _dead_letter(message)
            if not chosen(letter):
                keep.append(message)
                continue
            try:
                sqs.send_message(QueueUrl=worker, MessageBody=letter.raw)
            except Exception:
                keep.extend(messages[index:])
                raise
            moved.append(letter)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    finally:
        _show_again(url, keep)
    return Received(moved, more)
