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
from tests.contract.registers import LetterRegisterContract
from tests.contract.storage import ObjectStoreContract
from tests.fakes import (
    FakeAuditLog,
    FakeCaseStore,
    FakeEffectLedger,
    FakeLetterRegister,
    FakeObjectStore,
    FakeOutbox,
    Fakes,
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
