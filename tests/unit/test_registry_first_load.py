"""The document registry's first load is whole for every thread (chalicelib/documents/registry.py).

`make load` found it: chalice local serves requests on threads, and the first requests at once
saw an empty registry while one of them was still importing the product modules, so the SOP
check refused AK-1's `kartu_ak1` ("belum punya renderer dokumen") and the staff inbox answered 500."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from chalicelib.documents.registry import Registry
from tests.deadlines import SLACK_SECONDS

SLOW_PRODUCT = """
import racing_products as shared

shared.IMPORTING.set()
shared.RELEASE.wait(shared.TIMEOUT)  # the other thread reads the registry now
shared.REGISTRY.register("kartu_contoh")(lambda facts: b"")
"""


def test_a_thread_reading_during_the_first_load_waits_for_every_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "racing_products"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "kartu.py").write_text(SLOW_PRODUCT)
    monkeypatch.syspath_prepend(str(tmp_path))
    import racing_products as shared  # type: ignore[import-not-found]

    registry = Registry("racing_products")
    shared.IMPORTING, shared.RELEASE, shared.TIMEOUT = threading.Event(), threading.Event(), SLACK_SECONDS
    shared.REGISTRY = registry
    monkeypatch.setitem(sys.modules, "racing_products", shared)
    first = threading.Thread(target=registry.ids)
    first.start()
    assert shared.IMPORTING.wait(SLACK_SECONDS)
    seen: list[list[str]] = []
    asking = threading.Event()  # the second thread has reached the registry's lock
    lock = registry._lock

    class Watched:
        def __enter__(self) -> object:
            if threading.current_thread() is second:
                asking.set()
            return lock.__enter__()

        def __exit__(self, *exc: object) -> None:
            lock.__exit__(*exc)

    registry._lock = Watched()  # type: ignore[assignment]
    second = threading.Thread(target=lambda: seen.append(registry.ids()))
    second.start()
    assert asking.wait(SLACK_SECONDS)
    assert seen == []  # waiting for the first load, not answering from a half-filled registry
    shared.RELEASE.set()
    first.join(SLACK_SECONDS)
    second.join(SLACK_SECONDS)
    assert seen == [["kartu_contoh"]]
    monkeypatch.delitem(sys.modules, "racing_products.kartu", raising=False)
