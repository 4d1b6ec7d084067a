"""Applicant accounts in the Cognito applicant pool: sign-up, email confirmation, sign-in, reset.

The API proxies these public Cognito calls so the static site needs no AWS SDK and every
answer is one Indonesian sentence. Cognito sends the confirmation and reset codes by email
itself; nothing here stores a password or a code. The kinds of account and the rules of an
organisation's name are `chalicelib/domain/accounts.py`.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import jwt
from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.adapters.aws import client
from chalicelib.domain import email_address
from chalicelib.domain.accounts import JOB_SEEKER, account_kind, organisation_name
from chalicelib.errors import Conflict, Forbidden, InvalidInput, LoketError, NotSignedIn, TooManyAttempts
from chalicelib.settings import get_settings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")


# Cognito's error codes, as the person should read them.
_COGNITO_ERRORS: dict[str, tuple[str, type[LoketError], str | None, str | None]] = {
    "UsernameExistsException": ("User ID ini sudah dipakai. Pilih User ID lain.", Conflict, "username", None),
    "InvalidPasswordException": (
        "Kata sandi paling sedikit 8 karakter dan memuat angka.",
        InvalidInput,
        "password",
        None,
    ),
    "CodeMismatchException": ("Kode konfirmasi salah. Periksa email Anda.", InvalidInput, "code", None),
    "ExpiredCodeException": (
        "Kode konfirmasi sudah kedaluwarsa. Minta kode baru.",
        InvalidInput,
        "code",
        None,
    ),
    # An unknown user and a wrong password are one answer (message, field, status): no account
    # discovery. Real Cognito says NotAuthorized for both (PreventUserExistenceErrors); moto does not.
    "NotAuthorizedException": ("User ID atau kata sandi salah.", NotSignedIn, "password", None),
    "UserNotFoundException": ("User ID atau kata sandi salah.", NotSignedIn, "password", None),
    "UserNotConfirmedException": (
        "Akun belum dikonfirmasi. Masukkan kode yang dikirim ke email Anda.",
        Forbidden,
        "code",
        "unconfirmed",
    ),
    "AliasExistsException": ("Email ini sudah dipakai akun lain.", Conflict, "email", None),
    "LimitExceededException": (
        "Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi.",
        TooManyAttempts,
        None,
        None,
    ),
    "TooManyRequestsException": (
        "Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi.",
        TooManyAttempts,
        None,
        None,
    ),
    "TooManyFailedAttemptsException": (
        "Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi.",
        TooManyAttempts,
        None,
        None,
    ),
}


def _call(operation: str, **kwargs: Any) -> dict[str, Any]:
    cognito = client("cognito-idp")
    try:
        return dict(getattr(cognito, operation)(**kwargs))
    except ParamValidationError:  # botocore's own check (lengths, patterns) before anything is sent
        raise InvalidInput("Data akun tidak sah. Periksa User ID, email dan kata sandi.") from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _COGNITO_ERRORS:
            message, kind, field, reason = _COGNITO_ERRORS[code]
            raise kind(message, field=field, code=reason) from None
        if code == "InvalidParameterException":
            raise InvalidInput("Data akun tidak sah. Periksa User ID, email dan kata sandi.") from None
        raise


def _username(raw: str) -> str:
    username = (raw or "").strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "User ID 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.",
            field="username",
        )
    return username


def _password(raw: str) -> str:
    if len(raw or "") < 8 or not re.search(r"\d", raw) or not re.search(r"[^\d\s]", raw):
        raise InvalidInput(
            "Kata sandi paling sedikit 8 karakter dan memuat huruf serta angka.", field="password"
        )
    return raw


def _code(raw: str) -> str:
    code = (raw or "").strip()
    if not re.fullmatch(r"\d{4,8}", code):
        raise InvalidInput("Kode konfirmasi berupa angka dari email Anda.", field="code")
    return code


def _client_id() -> str:
    return get_settings().applicant_client_id


def _destination(result: dict[str, Any]) -> str | None:
    details = result.get("CodeDeliveryDetails") or {}
    return details.get("Destination")


def sign_up(
    username: str, password: str, email: str, kind: str = JOB_SEEKER, organisation: str = ""
) -> dict[str, Any]:
    """A new applicant account of `kind` (domain/accounts.KINDS); an organisation's account keeps its
    name. Cognito emails the confirmation code. Raises InvalidInput by field, Conflict for a taken id."""
    name = _username(username)
    address = email_address.deliverable(email)
    kind = account_kind(kind)
    kept_name = organisation_name(kind, organisation)
    attributes = [{"Name": "email", "Value": address}, {"Name": "custom:kind", "Value": kind}]
    if kept_name is not None:
        attributes.append({"Name": "custom:organisation", "Value": kept_name})
    result = _call(
        "sign_up",
        ClientId=_client_id(),
        Username=name,
        Password=_password(password),
        UserAttributes=attributes,
    )
    return {"username": name, "destination": _destination(result) or _mask_email(address)}


def confirm(username: str, code: str) -> dict[str, Any]:
    _call(
        "confirm_sign_up", ClientId=_client_id(), Username=_username(username), ConfirmationCode=_code(code)
    )
    return {"confirmed": True}


def resend(username: str) -> dict[str, Any]:
    result = _call("resend_confirmation_code", ClientId=_client_id(), Username=_username(username))
    return {"destination": _destination(result)}


def sign_in(username: str, password: str) -> dict[str, Any]:
    if not password:
        raise InvalidInput("Kata sandi wajib diisi.", field="password")
    result = _call(
        "initiate_auth",
        ClientId=_client_id(),
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": _username(username), "PASSWORD": password},
    )
    auth = result.get("AuthenticationResult")
    if not auth:
        raise Forbidden("Akun ini perlu diatur ulang. Gunakan 'Lupa kata sandi'.", code="challenge")
    # The token comes straight from Cognito over TLS: its claims are read here only to greet the
    # person; every later call verifies the signature (identity.verify_token).
    claims = jwt.decode(auth["IdToken"], options={"verify_signature": False})
    return {
        "id_token": auth["IdToken"],
        "refresh_token": auth.get("RefreshToken"),
        "expires_in": int(auth.get("ExpiresIn", 3600)),
        "username": claims.get("cognito:username", username),
        "email": claims.get("email"),
        "kind": claims.get("custom:kind") or JOB_SEEKER,
        "organisation": claims.get("custom:organisation"),
    }


def refresh(refresh_token: str) -> dict[str, Any]:
    """A new id token for a refresh token; NotSignedIn ("Silakan masuk kembali.") for one that is
    revoked (signed out) or unknown."""
    if not refresh_token:
        raise NotSignedIn("Silakan masuk kembali.")
    try:
        result = _call(
            "initiate_auth",
            ClientId=_client_id(),
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except (NotSignedIn, InvalidInput):
        raise NotSignedIn("Silakan masuk kembali.") from None
    auth = result.get("AuthenticationResult") or {}
    if "IdToken" not in auth:
        raise NotSignedIn("Silakan masuk kembali.")
    return {"id_token": auth["IdToken"], "expires_in": int(auth.get("ExpiresIn", 3600))}


def forgot(username: str) -> dict[str, Any]:
    """Send a reset code. Every well-formed user id gets the same answer, `{"destination": None}`:
    where the code went would tell a known account from an unknown one (no account discovery;
    the client's PreventUserExistenceErrors makes Cognito answer an unknown one as if it had
    sent a code, and moto says UserNotFound, kept quiet here). The site says "if this user id is
    registered, the code went to its email"."""
    with contextlib.suppress(NotSignedIn):
        _call("forgot_password", ClientId=_client_id(), Username=_username(username))
    return {"destination": None}


def reset(username: str, code: str, password: str) -> dict[str, Any]:
    """Set a new password with the emailed reset code.

    An unknown user id is answered as a wrong code (400, field `code`), as Cognito itself answers
    with PreventUserExistenceErrors: no account discovery. moto (and so the local stack) raises
    ResourceNotFoundException for an unknown user here, which was a bare 500.
    """
    name, number, new = _username(username), _code(code), _password(password)
    try:
        _call(
            "confirm_forgot_password",
            ClientId=_client_id(),
            Username=name,
            ConfirmationCode=number,
            Password=new,
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        message, kind, field, reason = _COGNITO_ERRORS["CodeMismatchException"]
        raise kind(message, field=field, code=reason) from None
    return {"reset": True}


def _mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
