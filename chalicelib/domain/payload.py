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
from urllib.parse import parse_qs

from chalicelib.errors import InvalidInput, TooLarge

MAX_BYTES = 256 * 1024  # far above any form of a service standard (text fields are <= 600 characters)
MAX_DEPTH = 32  # DynamoDB's own limit for a nested attribute; a form needs 4
# A staff page's form post (application/x-www-form-urlencoded): the largest, an office's staff
# account or a decision with its checklist, holds under 100 fields and a few KB.
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 500


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


def parse_form(raw: bytes | str | None) -> dict[str, list[str]]:
    """A form post's fields (name -> values in order, blank values kept); an empty body is `{}`.

    Parsed once per request and bounded before the work: a 2 MB body of 500,000 fields took
    Python's `parse_qs` about 40 ms each time a page read it. Bytes that are not UTF-8 become
    U+FFFD, as a browser would show them.

    Raises PayloadTooLarge (413) when the body is over MAX_FORM_BYTES or has more than
    MAX_FORM_FIELDS fields; the message is Indonesian.
    """
    if not raw:
        return {}
    too_large = PayloadTooLarge(
        f"Formulir yang dikirim terlalu besar (paling banyak {MAX_FORM_BYTES // 1024} KB dan "
        f"{MAX_FORM_FIELDS} isian). Muat ulang halaman dan coba lagi."
    )
    if len(raw) > MAX_FORM_BYTES:
        raise too_large
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:  # "Max number of fields exceeded"
        raise too_large from None
