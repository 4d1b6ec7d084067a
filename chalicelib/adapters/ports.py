"""The ports: the outside world the use cases reach through one small interface each.

A port is a `typing.Protocol` in its adapter's module, the AWS adapter that implements it there,
and a `Port` the use cases call to get the implementation in use: AWS's, unless a test installed
an in-memory fake of `tests/fakes/` (never shipped). One contract suite per port
(`tests/contract/`) runs against the fake and against the AWS adapter on moto, so a fake behaves
as the adapter does, failures included (docs/adr/0010).

| port | protocol | AWS adapter | the use cases call |
| --- | --- | --- | --- |
| cases | `case_store.CaseStore` | `DynamoCaseStore` | `case_store.cases()`, `change_case` |
| effects | `effects.EffectLedger` | `DynamoEffectLedger` | `effects.once` |
| audit trail | `audit_log.AuditLog` | `DynamoAuditLog` | `audit_log.events()` (`services/audit.py`) |
| mail | `mail.Outbox` | `SesOutbox` | `mail.outbox()` |
| objects | `storage.ObjectStore` | `S3ObjectStore` | `storage.objects()`, `check_upload` |
| letter registers | `registers.LetterRegister` | `DynamoLetterRegister` | `numbering.assign` |
| malware scan | `malware.MalwareScanner` | `GuardDutyScanner` (locally the stand-in) | `uploads.check` |
| task queue | `task_queue.TaskQueue` | `SqsTaskQueue` | `services/uploads` (the upload checks) |
| case index | `case_index.CaseIndex` | `DynamoCaseIndex` | `cases.code_for`, `reference_search` |

What stays outside them: the use cases' own DynamoDB transactions (`transact.write_all`: a staff
decision, record claims, SOP files kept, decrees) with the items they condition on, Step
Functions (`workflow`), Cognito (`identity`, `accounts`, `staff_directory`), the national
registers (`national`) and the QR register (`services/verification`); their tests run on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Port(Generic[T]):
    """The implementation of one port in use: `port()`.

    AWS's adapter is made on first use (it holds no state of its own: clients are per thread);
    `install(fake)` puts another implementation in its place and `install(None)` takes it out."""

    def __init__(self, name: str, adapter: Callable[[], T]) -> None:
        self.name = name
        self._adapter = adapter
        self._made: T | None = None
        self._installed: T | None = None

    def __call__(self) -> T:
        if self._installed is not None:
            return self._installed
        if self._made is None:
            self._made = self._adapter()
        return self._made

    def install(self, implementation: T | None) -> T | None:
        """Use `implementation` from now on (None: AWS's adapter again); returns what it replaces."""
        before, self._installed = self._installed, implementation
        return before

    def __repr__(self) -> str:
        using = type(self._installed).__name__ if self._installed is not None else "AWS"
        return f"<port {self.name}: {using}>"
