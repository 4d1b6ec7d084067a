"""The contract suites of tests/contract/ against the AWS adapters, on moto.

The same suites run against the in-memory fakes in `make unit` (tests/unit/test_contracts.py):
what passes in both is what the fakes may be trusted with.
"""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any, TypeVar

import pytest
import requests

from chalicelib.adapters import audit_log, case_store, effects, mail, malware, registers, storage, task_queue
from chalicelib.adapters.aws import client
from chalicelib.adapters.ports import Port
from chalicelib.settings import get_settings
from tests.contract.audit_log import AuditLogContract
from tests.contract.case_store import CaseStoreContract
from tests.contract.effects import EffectLedgerContract
from tests.contract.mail import OutboxContract
from tests.contract.malware import MalwareScannerContract
from tests.contract.registers import LetterRegisterContract
from tests.contract.storage import ObjectStoreContract
from tests.contract.task_queue import TaskQueueContract
from tests.deadlines import REQUEST_SECONDS

T = TypeVar("T")


def on(port: Port[T], adapter: T) -> Iterator[T]:
    """The adapter in use on its port for one test (as it is when nothing is installed)."""
    before = port.install(adapter)
    try:
        yield adapter
    finally:
        port.install(before)


class TestDynamoCaseStore(CaseStoreContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[case_store.CaseStore]:
        yield from on(case_store.cases, case_store.DynamoCaseStore())


class TestDynamoEffectLedger(EffectLedgerContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[effects.EffectLedger]:
        yield from on(effects.ledger, effects.DynamoEffectLedger())


class TestDynamoAuditLog(AuditLogContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[audit_log.AuditLog]:
        yield from on(audit_log.events, audit_log.DynamoAuditLog())


class TestSesOutbox(OutboxContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[mail.Outbox]:
        yield from on(mail.outbox, mail.SesOutbox())

    def sent(self) -> list[EmailMessage]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        raw = [m.raw_data for m in ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages]
        return [email.message_from_string(r, _class=EmailMessage, policy=email.policy.default) for r in raw]


class TestS3ObjectStore(ObjectStoreContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[storage.ObjectStore]:
        yield from on(storage.objects, storage.S3ObjectStore())

    def post(self, policy: dict[str, Any], data: bytes) -> None:
        sent = requests.post(
            policy["url"], data=policy["fields"], files={"file": ("berkas", data)}, timeout=REQUEST_SECONDS
        )
        assert sent.status_code in (200, 204), sent.text

    def follow(self, url: str) -> tuple[bytes, dict[str, str]]:
        got = requests.get(url, timeout=REQUEST_SECONDS)
        assert got.status_code == 200, got.text
        return got.content, {name.lower(): value for name, value in got.headers.items()}


class TestDynamoLetterRegister(LetterRegisterContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[registers.LetterRegister]:
        # moto runs a transaction in unlocked steps; DynamoDB runs it at once: the `aws` stack
        # serialises moto's item operations (tests/isolation.serialise_dynamodb)
        yield from on(registers.registers, registers.DynamoLetterRegister())


class TestGuardDutyScanner(MalwareScannerContract):
    """The scanner of a deployed stage: it reads the tag GuardDuty writes, which the test writes
    here as GuardDuty would (moto has no GuardDuty)."""

    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[malware.MalwareScanner]:
        yield from on(
            malware.scanner, malware.GuardDutyScanner()
        )  # on S3ObjectStore: nothing else is installed

    def finish(self, key: str) -> None:
        tag_as_guardduty(
            key, "THREATS_FOUND" if malware.EICAR in storage.objects().get_upload(key) else "NO_THREATS_FOUND"
        )

    def unfinished(self, key: str) -> bool:
        return True  # GuardDuty has not tagged it yet

    def test_what_guardduty_could_not_scan_is_unscannable(self, subject: malware.MalwareScanner) -> None:
        for status in ("UNSUPPORTED", "ACCESS_DENIED", "FAILED"):
            storage.objects().put_upload("cases/c1/ktp/a.pdf", b"%PDF-", "application/pdf")
            tag_as_guardduty("cases/c1/ktp/a.pdf", status)
            assert subject.verdict("cases/c1/ktp/a.pdf") == malware.UNSCANNABLE


class TestStandInScanner(MalwareScannerContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[malware.MalwareScanner]:
        yield from on(
            malware.scanner, malware.StandInScanner()
        )  # on S3ObjectStore: nothing else is installed


class TestSqsTaskQueue(TaskQueueContract):
    @pytest.fixture
    def subject(self, aws: dict[str, str]) -> Iterator[task_queue.TaskQueue]:
        yield from on(task_queue.tasks, task_queue.SqsTaskQueue())

    def due(self) -> list[dict[str, Any]]:
        sqs = client("sqs")
        url = get_settings().worker_queue_url
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(m["Body"]) for m in got]


def tag_as_guardduty(key: str, status: str) -> None:
    """What GuardDuty Malware Protection for S3 writes on an object it scanned."""
    client("s3").put_object_tagging(
        Bucket=get_settings().uploads_bucket,
        Key=key,
        Tagging={"TagSet": [{"Key": malware.SCAN_TAG, "Value": status}]},
    )
