"""The staff session: the Cognito id token in an HttpOnly cookie, and the CSRF tokens of the forms.

Two CSRF tokens, each a one-way hash of an HttpOnly cookie another site can neither read nor
set (docs/adr/0003):

- after sign-in, of the session cookie (`csrf_token`): every form of the signed-in pages;
- before it, of a short-lived random cookie the sign-in page sets (`login_csrf_token`): the
  sign-in form and the first sign-in's new-password form, so another site cannot post them
  (signing a person in to an account of the attacker's choosing, "login CSRF"). A double-submit
  token: the form's field must be the hash of the cookie the same browser sent.

The session cookie is accepted only while its sign-in session is open (services/sessions.py):
sign-out and disabling the account end it at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from chalicelib.adapters.identity import SIGN_IN, Principal
from chalicelib.errors import NotSignedIn
from chalicelib.services import sessions
from chalicelib.settings import get_settings

COOKIE = "loket_staff"
MAX_AGE = 8 * 3600  # the staff client's IdTokenValidity (infra/base.yaml)
LOGIN_COOKIE = "loket_masuk"
LOGIN_MAX_AGE = 30 * 60  # a sign-in page left open longer gets a fresh form
LOGIN_PATH = "/"  # "/api/staff/..." on an execute-api URL


def _cookie_value(cookie_header: str | None, name: str) -> str | None:
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel and morsel.value else None


def token_from(cookie_header: str | None) -> str | None:
    return _cookie_value(cookie_header, COOKIE)


def principal_from(cookie_header: str | None) -> Principal:
    """Who the session cookie names, while their session is open; NotSignedIn otherwise."""
    token = token_from(cookie_header)
    if not token:
        raise NotSignedIn(SIGN_IN)
    return sessions.principal(sessions.STAFF, token)


def csrf_token(cookie_header: str | None) -> str:
    """A token only a page rendered for this session can know.

    It is a one-way hash of the HttpOnly session token, which another site can neither read nor
    guess, so no server secret is needed and a leaked CSRF token does not reveal the session.
    """
    token = token_from(cookie_header) or ""
    return hashlib.sha256(f"loket-csrf:{token}".encode()).hexdigest()[:40]


def csrf_ok(cookie_header: str | None, presented: str) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(cookie_header), presented)


def _secure() -> str:
    return "; Secure" if get_settings().secure_cookies else ""


def set_cookie(token: str) -> str:
    return f"{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={MAX_AGE}{_secure()}"


def clear_cookie() -> str:
    return f"{COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{_secure()}"


def login_nonce(cookie_header: str | None) -> tuple[str, str | None]:
    """The sign-in page's random value: (value, Set-Cookie header or None).

    The browser's own when it sent a well-formed one (two tabs of the sign-in page stay valid),
    else a new one with the header that sets it (HttpOnly, SameSite=Strict, 30 minutes)."""
    kept = _cookie_value(cookie_header, LOGIN_COOKIE)
    if kept and len(kept) == 43 and kept.replace("-", "").replace("_", "").isalnum():
        return kept, None
    return _new_login_nonce()


def fresh_login_nonce() -> tuple[str, str]:
    """A new sign-in value and the header that sets it (after a refused form: start clean)."""
    return _new_login_nonce()


def _new_login_nonce() -> tuple[str, str]:
    value = secrets.token_urlsafe(32)  # 43 characters
    header = (
        f"{LOGIN_COOKIE}={value}; HttpOnly; SameSite=Strict; Path={LOGIN_PATH}; "
        f"Max-Age={LOGIN_MAX_AGE}{_secure()}"
    )
    return value, header


def clear_login_cookie() -> str:
    return f"{LOGIN_COOKIE}=; HttpOnly; SameSite=Strict; Path={LOGIN_PATH}; Max-Age=0{_secure()}"


def login_csrf_token(nonce: str) -> str:
    """The sign-in form's token: a one-way hash of the sign-in cookie's value."""
    return hashlib.sha256(f"loket-login-csrf:{nonce}".encode()).hexdigest()[:40]


def login_csrf_ok(cookie_header: str | None, presented: str) -> bool:
    """Whether a sign-in form was rendered for this browser: its field is the hash of the
    sign-in cookie the browser sent with it (no cookie, or another value: refused)."""
    nonce = _cookie_value(cookie_header, LOGIN_COOKIE)
    if not nonce or not presented:
        return False
    return hmac.compare_digest(login_csrf_token(nonce), presented)
