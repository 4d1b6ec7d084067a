"""Unit tests touch no AWS, not even moto, so that `make unit` runs in seconds: here the stack
fixture behind `aws` fails at once, and so does any request botocore (boto3, PynamoDB) would send.
A test that needs AWS belongs in tests/integration/; a use case that needs only what a port
holds runs on the in-memory fakes (the `fakes` fixture, tests/fakes/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest


@pytest.fixture(scope="session")
def moto_stack() -> None:
    pytest.fail("a unit test asked for moto (the aws fixture): move it to tests/integration/")


@pytest.fixture(scope="session", autouse=True)
def no_aws() -> Iterator[None]:
    """Every request botocore would send fails the test before it leaves the process."""
    from botocore.endpoint import Endpoint

    def refused(self: Endpoint, operation_model: Any, request_dict: Any) -> Any:
        name = f"{operation_model.service_model.service_name}.{operation_model.name}"
        raise AssertionError(
            f"a unit test called AWS ({name}): run it on the fakes (tests/fakes/) or move it to "
            "tests/integration/"
        )

    with mock.patch.object(Endpoint, "make_request", refused):
        yield
