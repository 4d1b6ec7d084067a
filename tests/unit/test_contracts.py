"""The contract suites of tests/contract/ against the in-memory fakes of tests/fakes/.

The same suites run against the AWS adapters on moto (tests/integration/test_contracts.py): a fake
that passes here does what its adapter does, so a use case tested on the fakes is tested on the
behaviour it will meet on AWS.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest

from tests.contract.audit_log import AuditLogContract
from tests.contract.case_store import CaseStoreContract
from tests.contract.effects import EffectLedgerContract
from tests.contract.mail import OutboxContract
from tests.contract.malware import MalwareScannerContract
from tests.contract.registers import LetterRegisterContract
from tests.contract.storage import ObjectStoreContract
from tests.contract.task_queue import TaskQueueContract
from tests.fakes import (
    FakeAuditLog,
    FakeCaseStore,
    FakeEffectLedger,
    FakeLetterRegister,
    FakeObjectStore,
    FakeOutbox,
    Fakes,
    FakeScanner,
    FakeTaskQueue,
)


class TestFakeCaseStore(CaseStoreContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeCaseStore:
        return fakes.cases


class TestFakeEffectLedger(EffectLedgerContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeEffectLedger:
        return fakes.effects


class TestFakeAuditLog(AuditLogContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeAuditLog:
        return fakes.audit


class TestFakeOutbox(OutboxContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeOutbox:
        self.outbox = fakes.outbox
        return fakes.outbox

    def sent(self) -> list[EmailMessage]:
        return self.outbox.sent


class TestFakeObjectStore(ObjectStoreContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeObjectStore:
        self.store = fakes.objects
        return fakes.objects

    def post(self, policy: dict[str, Any], data: bytes) -> None:
        self.store.post(policy, data)

    def follow(self, url: str) -> tuple[bytes, dict[str, str]]:
        return self.store.follow(url)


class TestFakeLetterRegister(LetterRegisterContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeLetterRegister:
        return fakes.registers


class TestFakeScanner(MalwareScannerContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeScanner:
        self.scanner = fakes.scanner
        return fakes.scanner

    def finish(self, key: str) -> None:
        self.scanner.release(key)

    def unfinished(self, key: str) -> bool:
        self.scanner.hold(key)
        return True


class TestFakeTaskQueue(TaskQueueContract):
    @pytest.fixture
    def subject(self, fakes: Fakes) -> FakeTaskQueue:
        self.queue = fakes.tasks
        return fakes.tasks

    def due(self) -> list[dict[str, Any]]:
        return self.queue.due()
