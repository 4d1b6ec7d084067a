"""AWS's errors as Loket's (adapters/aws_errors.py): a write that timed out is not a refused condition."""

from __future__ import annotations

from botocore.exceptions import ClientError, ReadTimeoutError
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.aws_errors import condition_failed, translate
from chalicelib.errors import Unavailable


def test_a_write_ending_in_a_read_timeout_is_unavailable_not_a_crash() -> None:
    """PynamoDB's `cause_response_code` raised AttributeError here (the timeout's `response` is
    None): a DynamoDB that stopped answering was a 500 (found by `make chaos`)."""
    timed_out = UpdateError("Failed to update item", ReadTimeoutError(endpoint_url="https://dynamodb.x/"))
    assert not condition_failed(timed_out)
    assert isinstance(translate(timed_out), Unavailable)


def test_a_refused_condition_is_told_from_a_busy_table() -> None:
    def put_error(code: str) -> PutError:
        return PutError("x", ClientError({"Error": {"Code": code}}, "PutItem"))

    refused = put_error("ConditionalCheckFailedException")
    busy = put_error("ProvisionedThroughputExceededException")
    assert condition_failed(refused) and not condition_failed(busy)
    assert not condition_failed(PutError("no cause"))
    assert isinstance(translate(busy), Unavailable)
