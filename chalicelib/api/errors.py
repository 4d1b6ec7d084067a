"""The JSON API's one mapping of errors to HTTP answers (`chalicelib.errors` holds the tree).

`{"error": {"message": "<Indonesian>", "field"?: ..., "code"?: ...}}` with the error's status;
a form's 422 also carries `errors` and `warnings`; a 503 and a 429 carry `Retry-After`. An exception
that is neither Loket's nor a translatable AWS failure is a bug: it is logged with its traceback
(no request data) and answered with a plain Indonesian 500, never Chalice's bare one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Response

from chalicelib import log_context
from chalicelib.adapters import aws_errors
from chalicelib.errors import FormInvalid, LoketError, TooManyAttempts, Unavailable

log = logging.getLogger("loket.api")

BROKEN = "Terjadi kesalahan pada layanan kami. Isian Anda tidak hilang; coba lagi nanti."


def error_response(message: str, status: int, field: str | None = None) -> Response:
    body: dict[str, Any] = {"error": {"message": message}}
    if field:
        body["error"]["field"] = field
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


def to_response(exc: LoketError) -> Response:
    """The HTTP answer for one of Loket's errors."""
    response = error_response(exc.message, exc.status, exc.field)
    if exc.code:
        response.body["error"]["code"] = exc.code
    if isinstance(exc, FormInvalid):
        response.body["errors"] = exc.errors
        response.body["warnings"] = exc.warnings
    if isinstance(exc, Unavailable | TooManyAttempts) and exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def translate(exc: Exception) -> Response | None:
    """A response for a known error (Loket's, or AWS failing), or None for a bug."""
    known = aws_errors.translate(exc)
    return to_response(known) if known is not None else None


F = TypeVar("F", bound=Callable[..., Any])


def translated(view: F) -> F:
    """Route decorator: every error becomes a JSON answer. (Chalice turns any exception a view
    raises into a bare 500 before middleware sees it, so translation must sit on the view.)"""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with log_context.about(kwargs.get("case_id")):
                return view(*args, **kwargs)
        except Exception as exc:
            response = translate(exc)
            if response is None:
                log.exception("unexpected error in %s", view.__name__)
                return error_response(BROKEN, 500)
            return response

    return wrapper  # type: ignore[return-value]
