"""Every error Loket raises on purpose, in one tree; each entry point maps it to its answer once.

```
LoketError                    a request Loket will not carry out; `message` is Indonesian
├── InvalidInput        400   the person can fix what they sent (`field` names it)
│   ├── Unprocessable   422   well-formed, but the content is not acceptable (a file's kind,
│   │   │                     a required document or the form still missing)
│   │   └── FormInvalid 422   a whole form: every error by field, and warnings to confirm
│   ├── TooLarge        413   a file or body over its limit
│   └── UnsupportedMedia 415  a body sent as a kind the address does not take (Content-Type)
├── NotAllowedMethod    405   a method the address does not answer (Chalice's own 405)
├── NotSignedIn         401   no session, or the token is invalid or expired
├── Forbidden           403   signed in, but not allowed (another role, another kind of account)
├── NotFound            404   does not exist, or is not the caller's to see (another office)
├── Conflict            409   already done, taken, changed meanwhile: reload and look again
├── TooManyAttempts     429   slow down: sign-in attempts over their limit (`retry_after`)
└── Unavailable         503   a dependency is busy, down or misconfigured; try again later
```

Foreign errors (botocore, PynamoDB, PyJWT's key fetch) are translated into `Unavailable` once, by
`chalicelib.adapters.aws_errors.translate`, at the edge of each entry point: the JSON API
(`chalicelib.api.errors`), the staff pages (`chalicelib.staff.errors`) and the worker. Nothing
else catches them. Modelled on httpx's `_exceptions.py` (one base, the hierarchy in the docstring)
and FormSG's `core.errors.ts` (one mapping to HTTP per entry point).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "Conflict",
    "Forbidden",
    "FormInvalid",
    "InvalidInput",
    "LoketError",
    "NotAllowedMethod",
    "NotFound",
    "NotSignedIn",
    "TooLarge",
    "TooManyAttempts",
    "Unavailable",
    "Unprocessable",
    "UnsupportedMedia",
]


class LoketError(Exception):
    """A request Loket refuses or cannot carry out now.

    `message` is one Indonesian sentence for the person who asked; `field` names the form field
    it is about (or None); `code` is a stable machine-readable word the site may act on (e.g.
    "unconfirmed"). `status` is the HTTP status every entry point answers with.
    """

    status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class InvalidInput(LoketError):
    """What was sent cannot be accepted as it is; the person can correct it."""

    status = 400


class Unprocessable(InvalidInput):
    """The request is well-formed, but what it holds cannot be accepted (an upload that is not
    the kind it claims, a submission with a required document or the form missing)."""

    status = 422


class FormInvalid(Unprocessable):
    """A form with errors (`errors`: field path -> message) or warnings to confirm
    (`warnings`: [{"field", "message"}]); the answer carries them all at once. A check may fill
    `errors` and `warnings` after making it, then raise it when either holds anything."""

    status = 422

    def __init__(self, errors: dict[str, str] | None = None, warnings: list[dict[str, str]] | None = None):
        Exception.__init__(self, "form invalid")
        self.errors = dict(errors or {})
        self.warnings = list(warnings or [])
        self.code = None

    @property
    def message(self) -> str:  # type: ignore[override]
        if self.errors:
            return "Periksa isian yang ditandai."
        return "Periksa peringatan yang ditandai; centang konfirmasi bila data Anda memang benar."

    @property
    def field(self) -> str | None:  # type: ignore[override]
        if self.errors:
            return next(iter(self.errors))
        return self.warnings[0]["field"] if self.warnings else None


class TooLarge(InvalidInput):
    """A file or a request body over the size it may have."""

    status = 413


class UnsupportedMedia(InvalidInput):
    """The body was sent as a kind (its Content-Type) the address does not take: Chalice's own
    415, said in Loket's words (`chalicelib/api/chalice_errors.py`)."""

    status = 415


class NotAllowedMethod(LoketError):
    """A method the address does not answer (Chalice's own 405, with its `Allow` header)."""

    status = 405


class NotSignedIn(LoketError):
    """No valid session: the person must sign in (again)."""

    status = 401


class Forbidden(LoketError):
    """Signed in, but this person may not do this."""

    status = 403


class NotFound(LoketError):
    """Nothing of that name exists for this person (another office's file is 'not found' too)."""

    status = 404


class Conflict(LoketError):
    """The thing was decided, taken or changed meanwhile; reloading shows where it stands."""

    status = 409


class TooManyAttempts(LoketError):
    """Too many tries in a short time; wait before trying again.

    `retry_after` is in seconds (the `Retry-After` header), or None when the wait is not known
    (Cognito's own limits do not say)."""

    status = 429

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, field=field, code=code)
        self.retry_after = retry_after


class Unavailable(LoketError):
    """A dependency (an AWS service, Cognito's key set, a setting) cannot serve now.

    `retry_after` is in seconds (the `Retry-After` header), or None when waiting will not help
    (a missing setting)."""

    status = 503

    def __init__(self, message: str | None = None, *, retry_after: int | None = 5) -> None:
        super().__init__(
            message or "Layanan sedang sibuk. Coba lagi beberapa detik lagi; isian Anda tidak hilang."
        )
        self.retry_after = retry_after
