"""A request's JSON body, read within bounds: the one parse every JSON route of the API uses.

Python's JSON parser recurses once per nesting level, so a body nested 100,000 levels deep raised
RecursionError (a bare 500) before any route could look at it; a huge body costs memory and time
before anything is checked. Here the size is bounded before parsing, the depth after (DynamoDB
itself stores at most 32 levels), and a failure is a PayloadError with an Indonesian sentence and
the HTTP status to answer. No I/O.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.errors import InvalidInput, TooLarge

MAX_BYTES = 256 * 1024  # far above any form of a service standard (text fields are <= 600 characters)
MAX_DEPTH = 32  # DynamoDB's own limit for a nested attribute; a form needs 4


class PayloadError(InvalidInput):
    """A body that is not a JSON object within the bounds (400); `TooLarge` (413) when over
    MAX_BYTES. The message is Indonesian."""


class PayloadTooLarge(PayloadError, TooLarge):
    """A body over MAX_BYTES."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python accepts them, JSON (RFC 8259) does not


def parse_object(raw: bytes | str | None) -> dict[str, Any]:
    """The body as a dict; an empty body is `{}`.

    Raises PayloadError: 413 when over MAX_BYTES; 400 when it is not JSON (or not UTF-8), not an
    object, nested deeper than MAX_DEPTH, or holds text that is not valid Unicode (a lone surrogate
    such as "\\ud800", which no AWS service would store).
    """
    if not raw:
        return {}
    if len(raw) > MAX_BYTES:
        raise PayloadTooLarge(f"Data yang dikirim terlalu besar (paling banyak {MAX_BYTES // 1024} KB).")
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise PayloadError(_too_deep()) from None
    except ValueError:  # includes UnicodeDecodeError: bytes that are not UTF-8
        raise PayloadError("Data yang dikirim bukan JSON yang sah.") from None
    if not isinstance(body, dict):
        raise PayloadError("Data yang dikirim harus berupa objek JSON.")
    _check_shape(body)
    return body


def _too_deep() -> str:
    return f"Data yang dikirim terlalu bersarang (paling banyak {MAX_DEPTH} tingkat)."


def _check_shape(body: dict[str, Any]) -> None:
    """Depth and text of every value, walked without recursion."""
    pending: list[tuple[Any, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise PayloadError(_too_deep())
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise PayloadError("Data yang dikirim memuat teks yang tidak sah.") from None
