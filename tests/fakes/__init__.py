"""In-memory fakes of Loket's ports (chalicelib/adapters/ports.py), for tests only.

Each fake implements its port's Protocol and is proven by that port's contract suite
(tests/contract/), which runs against the fake (tests/unit/test_contracts.py, in `make unit`)
and against the AWS adapter on moto (tests/integration/test_contracts.py). A use case run on
the fakes touches no AWS: what is not behind a port (a DynamoDB transaction, Step Functions,
Cognito) is not faked, and tests/unit/conftest.py fails any call that would reach AWS.

`install()` puts a new fake on every port and the app's settings in the environment (names only:
nothing is made); the `fakes` fixture (tests/conftest.py) does it for one test.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from unittest import mock

from chalicelib.adapters.audit_log import events as audit_port
from chalicelib.adapters.case_index import index as case_index_port
from chalicelib.adapters.case_store import cases as cases_port
from chalicelib.adapters.effects import ledger as effects_port
from chalicelib.adapters.mail import outbox as mail_port
from chalicelib.adapters.malware import scanner as malware_port
from chalicelib.adapters.registers import registers as registers_port
from chalicelib.adapters.storage import objects as objects_port
from chalicelib.adapters.task_queue import notices as notices_port
from chalicelib.adapters.task_queue import tasks as tasks_port
from chalicelib.settings import reset_settings
from tests.deadlines import SITE_URL
from tests.fakes.audit_log import FakeAuditLog
from tests.fakes.case_index import FakeCaseIndex
from tests.fakes.case_store import FakeCaseStore
from tests.fakes.effects import FakeEffectLedger
from tests.fakes.mail import FakeOutbox
from tests.fakes.malware import FakeScanner
from tests.fakes.registers import FakeLetterRegister
from tests.fakes.storage import FakeObjectStore
from tests.fakes.task_queue import FakeTaskQueue

__all__ = [
    "ENV",
    "FakeAuditLog",
    "FakeCaseIndex",
    "FakeCaseStore",
    "FakeEffectLedger",
    "FakeLetterRegister",
    "FakeObjectStore",
    "FakeOutbox",
    "FakeScanner",
    "FakeTaskQueue",
    "Fakes",
    "install",
]

# The app's settings for a run on the fakes: names only, nothing is made (the buckets are the
# fake store's names for its two maps).
ENV = {
    "LOKET_TABLE": "loket-fake",
    "LOKET_UPLOADS_BUCKET": "loket-fake-uploads",
    "LOKET_DOCUMENTS_BUCKET": "loket-fake-documents",
    "LOKET_WORKER_QUEUE_URL": "https://sqs.ap-southeast-3.amazonaws.com/000000000000/loket-worker",
    "LOKET_NOTICE_QUEUE_URL": "https://sqs.ap-southeast-3.amazonaws.com/000000000000/loket-notices",
    "LOKET_STATE_MACHINE_PREFIX": "arn:aws:states:ap-southeast-3:000000000000:stateMachine:loket-fake-",
    "LOKET_STAFF_POOL_ID": "ap-southeast-3_fakestaff",
    "LOKET_STAFF_CLIENT_ID": "fakestaffclient",
    "LOKET_APPLICANT_POOL_ID": "ap-southeast-3_fakeapplicant",
    "LOKET_APPLICANT_CLIENT_ID": "fakeapplicantclient",
    "LOKET_MAIL_SENDER": "no-reply@disnaker.test",
    "LOKET_PUBLIC_SITE_URL": SITE_URL,
    "LOKET_MALWARE_SCANNER": "stand-in",
}


@dataclass(frozen=True)
class Fakes:
    """The fakes in use, one per port, for a test to look into."""

    cases: FakeCaseStore
    effects: FakeEffectLedger
    audit: FakeAuditLog
    outbox: FakeOutbox
    objects: FakeObjectStore
    registers: FakeLetterRegister
    scanner: FakeScanner
    tasks: FakeTaskQueue
    case_index: FakeCaseIndex
    notices: FakeTaskQueue


@contextlib.contextmanager
def install() -> Iterator[Fakes]:
    """New fakes on every port and the settings of ENV, until the block ends."""
    fakes = Fakes(
        FakeCaseStore(),
        FakeEffectLedger(),
        FakeAuditLog(),
        FakeOutbox(),
        FakeObjectStore(),
        FakeLetterRegister(),
        FakeScanner(),
        FakeTaskQueue(),
        FakeCaseIndex(),
        FakeTaskQueue(),
    )
    ports = (
        (cases_port, fakes.cases),
        (effects_port, fakes.effects),
        (audit_port, fakes.audit),
        (mail_port, fakes.outbox),
        (objects_port, fakes.objects),
        (registers_port, fakes.registers),
        (malware_port, fakes.scanner),
        (tasks_port, fakes.tasks),
        (case_index_port, fakes.case_index),
        (notices_port, fakes.notices),
    )
    with mock.patch.dict(os.environ, ENV):
        # Only ENV's settings: one another test or a stack left behind (LOKET_TIME_SCALE of the
        # moto stack's 0.01 made an hour's digest slot 0.6 s) is not this test's; restored after.
        for stray in [k for k in os.environ if k.startswith("LOKET_") and k not in ENV]:
            del os.environ[stray]
        reset_settings()
        before = [port.install(fake) for port, fake in ports]
        try:
            yield fakes
        finally:
            for (port, _fake), was in zip(ports, before, strict=True):
                port.install(was)
            reset_settings()
