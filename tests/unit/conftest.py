"""Unit tests touch no AWS, not even moto, so that `make unit` runs in seconds: here the stack
fixture behind `aws` fails at once. A test that needs it belongs in tests/integration/."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def moto_stack() -> None:
    pytest.fail("a unit test asked for moto (the aws fixture): move it to tests/integration/")
