"""One translation of domain errors into HTTP responses, at the boundary."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError
from chalice import Response

from chalicelib.adapters.accounts import AccountError
from chalicelib.adapters.identity import AuthError, IdentityUnavailable
from chalicelib.services.cases import CaseError
from chalicelib.services.forms import FormError
from chalicelib.services.work import WorkError
from chalicelib.settings import ConfigError

log = logging.getLogger("loket.api")

# An AWS service that is busy or failing answers these: the request may simply be tried again.
BUSY = {
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "ServiceUnavailable",
    "InternalErrorException",
    "InternalServerError",
}
RETRY_SECONDS = 5


def error_response(message: str, status: int, field: str | None = None) -> Response:
    body: dict[str, Any] = {"error": {"message": message}}
    if field:
        body["error"]["field"] = field
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


def translate(exc: Exception) -> Response | None:
    """A response for a known error, or None to let it propagate."""
    if isinstance(exc, CaseError):
        return error_response(exc.message, exc.status, exc.field)
    if isinstance(exc, FormError):
        response = error_response(exc.message, 422, exc.first_field)
        response.body["errors"] = exc.errors
        response.body["warnings"] = exc.warnings
        return response
    if isinstance(exc, AccountError):
        response = error_response(exc.message, exc.status, exc.field)
        if exc.code:
            response.body["error"]["code"] = exc.code
        return response
    if isinstance(exc, WorkError):
        return error_response(exc.message, exc.status)
    if isinstance(exc, AuthError):
        return error_response(f"Silakan masuk kembali: {exc}", 401)
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError | IdentityUnavailable):
        log.error("AWS endpoint unreachable: %s", exc.__class__.__name__)
        return error_response("Layanan sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi.", 503)
    if isinstance(exc, ClientError) and _busy(exc):
        log.error("AWS service busy or failing: %s", exc.response.get("Error", {}).get("Code"))
        response = error_response(
            "Layanan sedang sibuk. Coba lagi beberapa detik lagi; isian Anda tidak hilang.", 503
        )
        response.headers["Retry-After"] = str(RETRY_SECONDS)
        return response
    if isinstance(exc, ConfigError):
        log.error("configuration error: %s", exc)
        return error_response("Layanan belum dikonfigurasi dengan benar. Hubungi admin.", 503)
    return None


def _busy(exc: ClientError) -> bool:
    error = exc.response.get("Error", {})
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return error.get("Code") in BUSY or status >= 500


F = TypeVar("F", bound=Callable[..., Any])


def translated(view: F) -> F:
    """Route decorator: known errors become clear responses. (Chalice turns any exception a view
    raises into a bare 500 before middleware sees it, so translation must sit on the view.)"""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except Exception as exc:
            response = translate(exc)
            if response is None:
                raise
            return response

    return wrapper  # type: ignore[return-value]
