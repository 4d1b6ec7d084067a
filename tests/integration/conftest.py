"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture
def serializable_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB runs each TransactWriteItems atomically; moto checks and writes in separate
    Python steps, so two threads can interleave. A lock restores the service's guarantee. moto
    also copies the whole table for a transaction while a GetItem of a new key adds to it (a
    defaultdict), so reads take the same lock: on DynamoDB neither disturbs the other."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in ("transact_write_items", "get_item"):
        original = getattr(DynamoDBBackend, name)

        def atomic(self, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, atomic)
