"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture
def serializable_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB runs each TransactWriteItems atomically; moto checks and writes in separate
    Python steps, so two threads can interleave. A lock restores the service's guarantee."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    original = DynamoDBBackend.transact_write_items

    def atomic(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", atomic)
