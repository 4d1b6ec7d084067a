"""AWS's errors, as Loket's: the one place botocore, PynamoDB and PyJWT failures are translated.

Each entry point (JSON API, staff pages, worker) calls `translate` on an exception it did not
expect; a busy, failing or unreachable AWS service becomes `Unavailable` (HTTP 503 with
`Retry-After`), Loket's own errors pass through unchanged, and anything else is a bug (None).
botocore's own retries (adapters/aws.py: standard mode, 5 attempts) have already run by then.
"""

from __future__ import annotations

import logging

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from pynamodb.exceptions import PynamoDBException, TransactWriteError

from chalicelib.errors import Conflict, LoketError, Unavailable

log = logging.getLogger("loket.aws")

# What an AWS service answers when it is busy or failing on its side: the request may be tried again.
BUSY = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "ThrottlingError",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalErrorException",
        "InternalServerError",
        "InternalError",
        "InternalFailure",
        "RequestTimeout",
        "RequestTimeoutException",
        "TransactionInProgressException",
    }
)
RETRY_SECONDS = 5
UNREACHABLE = "Layanan sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi; isian Anda tidak hilang."
CONTENDED = "Berkas ini sedang diubah oleh orang lain pada saat yang sama; muat ulang halaman lalu coba lagi."


def translate(exc: BaseException) -> LoketError | None:
    """Loket's error for `exc`: itself if it is one; `Unavailable` for an AWS service that is busy,
    failing (HTTP 5xx) or unreachable; `Conflict` for a DynamoDB transaction that lost a race
    (TransactionConflict); None for anything else (a bug: let the entry point log it)."""
    if isinstance(exc, LoketError):
        return exc
    if isinstance(
        exc, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError | ConnectionClosedError
    ):
        log.error("AWS endpoint unreachable: %s", exc.__class__.__name__)
        return Unavailable(UNREACHABLE, retry_after=RETRY_SECONDS)
    if isinstance(exc, TransactWriteError):
        codes = {r.code for r in (exc.cancellation_reasons or []) if r is not None}
        if codes & {"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"}:
            log.error("DynamoDB transaction throttled: %s", sorted(c for c in codes if c))
            return Unavailable(retry_after=RETRY_SECONDS)
        if "TransactionConflict" in codes:
            return Conflict(CONTENDED)
    if isinstance(exc, PynamoDBException) and exc.cause is not None:
        return translate(exc.cause)
    if isinstance(exc, ClientError) and busy(exc):
        log.error("AWS service busy or failing: %s", exc.response.get("Error", {}).get("Code"))
        return Unavailable(retry_after=RETRY_SECONDS)
    return None


def condition_failed(exc: PynamoDBException) -> bool:
    """Whether DynamoDB refused a write because its condition did not hold.

    Not PynamoDB's `cause_response_code`: it raises AttributeError when the write ended in a read
    timeout (botocore's ReadTimeoutError has `response = None`), which turned a DynamoDB that
    stopped answering into a 500 instead of a 503 (found by `make chaos`)."""
    response = getattr(exc.cause, "response", None)
    if not isinstance(response, dict):
        return False
    return response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def busy(exc: ClientError) -> bool:
    """Whether the service answered 'busy' or failed on its side (HTTP 5xx)."""
    error = exc.response.get("Error", {})
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return error.get("Code") in BUSY or status >= 500
