"""moto's DynamoDB item answers written as JSON directly: for the local stack, `make chaos` and
the tests, never the deployed application (idempotent).

moto 5.2 answers every request through a generic serializer that walks the operation's output
shape and, for every attribute of every item, tries each alias a Python attribute could have
(`XFormedAttributePicker`). For DynamoDB's item operations the result moto holds is already the
wire form (`{"S": ...}`, `{"M": {...}}`; `dynamo_to_dict`), so that walk only copies it: it was
27 % of the CPU of the SOP walks (py-spy, 2026-11-30), more than all of Loket's own code. Here
those operations' results are dumped as JSON as DynamoDB sends them; every other operation, and
every error, still goes through moto's serializer.

`tests/integration/test_isolation.py` checks that both give botocore the same answer for an
item holding every attribute type.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

# The operations whose results are items, keys and counts only (no timestamps, no nested
# descriptions a shape would rename).
ITEM_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)
CONTENT_TYPE = "application/x-amz-json-1.0"  # DynamoDB's JSON protocol version

_installed = False
_moto_serializer: Any = None  # DynamoResult.execute_result as moto defines it


def _wire(value: Any) -> Any:
    """What json.dumps cannot write: binary as base64 (B, BS), sets as lists, times as epoch."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"not JSON: {type(value).__name__}")


def answer(operation: str, result: Any) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a successful item operation, as moto's serializer gives them."""
    return 200, {"Content-Type": CONTENT_TYPE}, json.dumps(result, default=_wire, separators=(",", ":"))


def install() -> None:
    """Answer ITEM_OPERATIONS directly from now on, in this process."""
    global _installed, _moto_serializer
    if _installed:
        return
    from moto.dynamodb.responses import DynamoResult

    _moto_serializer = DynamoResult.execute_result

    def execute_result(self: Any, context: Any) -> Any:
        if context.operation_model.name in ITEM_OPERATIONS and not isinstance(self.result, Exception):
            return answer(context.operation_model.name, self.result)
        return _moto_serializer(self, context)

    DynamoResult.execute_result = execute_result  # type: ignore[method-assign]
    _installed = True


@contextmanager
def moto_serializer() -> Iterator[None]:
    """moto's own serializer for every operation within the `with` (the check of this module)."""
    from moto.dynamodb.responses import DynamoResult

    assert _installed, "moto_json.install() first"
    fast = DynamoResult.execute_result
    DynamoResult.execute_result = _moto_serializer  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoResult.execute_result = fast  # type: ignore[method-assign]
