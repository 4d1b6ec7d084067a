"""Applicant accounts in the Cognito applicant pool: sign-up, email confirmation, sign-in, reset.

The API proxies these public Cognito calls so the static site needs no AWS SDK and every
answer is one Indonesian sentence. Cognito sends the confirmation and reset codes by email
itself; nothing here stores a password or a code. The kinds of account and the rules of an
organisation's name are `chalicelib/domain/accounts.py`.

A person names their account by its user name ("Nama pengguna") or by its email (issue 13):
sign-in, a new confirmation code, the confirmation itself and a password reset take either.
An email is looked up in the pool (ListUsers, filter on `email`); one email holds one account
from now on (`sign_up` refuses a second), and for the few emails that hold several from before,
each of their accounts is tried in turn (`MAX_ACCOUNTS_PER_EMAIL`).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.adapters.aws import client
from chalicelib.domain import email_address
from chalicelib.domain.accounts import JOB_SEEKER, account_kind, organisation_name
from chalicelib.errors import Conflict, Forbidden, InvalidInput, LoketError, NotSignedIn, TooManyAttempts
from chalicelib.settings import get_settings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MAX_ACCOUNTS_PER_EMAIL = 5
"""The most accounts of one email tried for a sign-in or a reset (older accounts may share one)."""
WRONG = "Nama pengguna/email atau kata sandi salah."
EMAIL_TAKEN = (
    "Email ini sudah dipakai akun lain. Masuk dengan email ini, atau pilih 'Lupa kata sandi' "
    "bila lupa kata sandinya."
)


# Cognito's error codes, as the person should read them.
_COGNITO_ERRORS: dict[str, tuple[str, type[LoketError], str | None, str | None]] = {
    "UsernameExistsException": (
        "Nama pengguna ini sudah dipakai. Pilih nama pengguna lain.",
        Conflict,
        "username",
        None,
    ),
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
    "NotAuthorizedException": (WRONG, NotSignedIn, "password", None),
    "UserNotFoundException": (WRONG, NotSignedIn, "password", None),
    "UserNotConfirmedException": (
        "Akun belum dikonfirmasi. Masukkan kode yang dikirim ke email Anda.",
        Forbidden,
        "code",
        "unconfirmed",
    ),
    "AliasExistsException": (EMAIL_TAKEN, Conflict, "email", "email_taken"),
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
        raise InvalidInput("Data akun tidak sah. Periksa nama pengguna, email dan kata sandi.") from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _COGNITO_ERRORS:
            message, kind, field, reason = _COGNITO_ERRORS[code]
            raise kind(message, field=field, code=reason) from None
        if code == "InvalidParameterException":
            raise InvalidInput("Data akun tidak sah. Periksa nama pengguna, email dan kata sandi.") from None
        raise


def _username(raw: str) -> str:
    username = (raw or "").strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.",
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


def _accounts_of_email(address: str) -> list[dict[str, Any]]:
    """The accounts of the applicant pool whose email is `address` (already normalised by
    `email_address.deliverable`): [{"username", "status"}], confirmed ones first, at most
    MAX_ACCOUNTS_PER_EMAIL. Cognito's ListUsers (filter `email = "..."`), an admin call."""
    cognito = client("cognito-idp")
    quoted = address.replace("\\", "").replace('"', "")
    try:
        page = cognito.list_users(
            UserPoolId=get_settings().applicant_pool_id,
            Filter=f'email = "{quoted}"',
            Limit=60,
            AttributesToGet=["email"],
        )
    except ParamValidationError:
        return []
    found = [
        {"username": str(u["Username"]), "status": str(u.get("UserStatus", ""))}
        for u in page.get("Users", [])
        if u.get("Enabled", True)
    ]
    found.sort(key=lambda u: (u["status"] != "CONFIRMED", u["username"]))
    return found[:MAX_ACCOUNTS_PER_EMAIL]


def is_email(typed: str) -> bool:
    """Whether what was typed in the "Nama pengguna atau email" box is an email (it has an @; a
    user name never does)."""
    return "@" in (typed or "")


def _names(typed: str, *, unconfirmed_only: bool = False) -> list[str]:
    """The user names `typed` stands for: itself (checked as a user name), or the accounts of an
    email (none for an email no account has, or one that is not an address at all)."""
    if not is_email(typed):
        return [_username(typed)]
    try:
        address = email_address.deliverable(typed)
    except InvalidInput:
        return []
    return [
        a["username"]
        for a in _accounts_of_email(address)
        if not unconfirmed_only or a["status"] == "UNCONFIRMED"
    ]


def sign_up(
    username: str, password: str, email: str, kind: str = JOB_SEEKER, organisation: str = ""
) -> dict[str, Any]:
    """A new applicant account of `kind` (domain/accounts.KINDS); an organisation's account keeps its
    name. Cognito emails the confirmation code. Raises InvalidInput by field, Conflict (409) for a
    taken user name (field `username`) or an email that already has an account (field `email`,
    code `email_taken`): one account per email, so the email can name the account."""
    name = _username(username)
    address = email_address.deliverable(email)
    kind = account_kind(kind)
    kept_name = organisation_name(kind, organisation)
    new_password = _password(password)
    if any(a["username"] != name for a in _accounts_of_email(address)):
        raise Conflict(EMAIL_TAKEN, field="email", code="email_taken")
    attributes = [{"Name": "email", "Value": address}, {"Name": "custom:kind", "Value": kind}]
    if kept_name is not None:
        attributes.append({"Name": "custom:organisation", "Value": kept_name})
    result = _call(
        "sign_up",
        ClientId=_client_id(),
        Username=name,
        Password=new_password,
        UserAttributes=attributes,
    )
    return {"username": name, "destination": _destination(result) or _mask_email(address)}


def confirm(username: str, code: str) -> dict[str, Any]:
    """Confirm a new account with the emailed code; `username` may be its email. Raises
    InvalidInput (field `code`) for a wrong or expired code, or an email with no account waiting."""
    number = _code(code)
    names = _names(username, unconfirmed_only=True)
    if not names:
        message, kind, field, reason = _COGNITO_ERRORS["CodeMismatchException"]
        raise kind(message, field=field, code=reason)
    for i, name in enumerate(names):
        try:
            _call("confirm_sign_up", ClientId=_client_id(), Username=name, ConfirmationCode=number)
        except InvalidInput:
            if i == len(names) - 1:
                raise
            continue
        return {"confirmed": True, "username": name}
    raise AssertionError("unreachable")  # pragma: no cover


def resend(username: str) -> dict[str, Any]:
    """Email a new confirmation code. For an email, every account of it still waiting gets one and
    the answer is `{"destination": None}` whether any did (no account discovery by email)."""
    if not is_email(username):
        result = _call("resend_confirmation_code", ClientId=_client_id(), Username=_username(username))
        return {"destination": _destination(result)}
    for name in _names(username, unconfirmed_only=True):
        with contextlib.suppress(NotSignedIn, InvalidInput):
            _call("resend_confirmation_code", ClientId=_client_id(), Username=name)
    return {"destination": None}


def sign_in(username: str, password: str) -> dict[str, Any]:
    """Password sign-in by user name or email: the tokens and who signed in (`username` is the
    account's user name even when the email was typed). An unknown name or email and a wrong
    password are one answer (NotSignedIn, WRONG); Forbidden `unconfirmed` for an account whose
    email code was never entered."""
    if not password:
        raise InvalidInput("Kata sandi wajib diisi.", field="password")
    names = _names(username)
    if not names:
        raise NotSignedIn(WRONG, field="password")
    result: dict[str, Any] = {}
    for i, name in enumerate(names):
        try:
            result = _call(
                "initiate_auth",
                ClientId=_client_id(),
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": name, "PASSWORD": password},
            )
        except NotSignedIn:
            if i == len(names) - 1:
                raise
            continue
        break
    auth = result.get("AuthenticationResult")
    if not auth:
        raise Forbidden("Akun ini perlu diatur ulang. Gunakan 'Lupa kata sandi'.", code="challenge")
    # The token comes straight from Cognito over TLS: its claims are read here only to greet the
    # person; every later call verifies the signature (identity.verify_token).
    import jwt  # PyJWT with cryptography: on the sign-in path only, not in every cold start

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
    """Send a reset code to the account named by its user name or its email (every account of
    that email). Every well-formed name and every email gets the same answer,
    `{"destination": None}`: where the code went would tell a known account from an unknown one
    (no account discovery; the client's PreventUserExistenceErrors makes Cognito answer an unknown
    one as if it had sent a code, and moto says UserNotFound, kept quiet here). The site says "if
    this name or email is registered, the code went to its email"."""
    for name in _names(username):
        with contextlib.suppress(NotSignedIn):
            _call("forgot_password", ClientId=_client_id(), Username=name)
    return {"destination": None}


def reset(username: str, code: str, password: str) -> dict[str, Any]:
    """Set a new password with the emailed reset code; `username` may be the account's email.

    An unknown user name or email is answered as a wrong code (400, field `code`), as Cognito
    itself answers with PreventUserExistenceErrors: no account discovery. moto (and so the local
    stack) raises ResourceNotFoundException for an unknown user here, which was a bare 500.
    """
    number, new = _code(code), _password(password)
    names = _names(username)
    wrong_code = _COGNITO_ERRORS["CodeMismatchException"]
    if not names:
        raise wrong_code[1](wrong_code[0], field=wrong_code[2], code=wrong_code[3])
    for i, name in enumerate(names):
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
            if i == len(names) - 1:
                raise wrong_code[1](wrong_code[0], field=wrong_code[2], code=wrong_code[3]) from None
            continue
        except InvalidInput as exc:
            if exc.field != "code" or i == len(names) - 1:
                raise
            continue
        return {"reset": True}
    raise AssertionError("unreachable")  # pragma: no cover


def _mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
