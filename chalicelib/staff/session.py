"""The staff session: the Cognito id token in an HttpOnly cookie, and a CSRF token bound to it."""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import SimpleCookie

from chalicelib.adapters.identity import SIGN_IN, Principal, verify_token
from chalicelib.errors import NotSignedIn
from chalicelib.settings import get_settings

COOKIE = "loket_staff"
MAX_AGE = 8 * 3600


def token_from(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel and morsel.value else None


def principal_from(cookie_header: str | None) -> Principal:
    token = token_from(cookie_header)
    if not token:
        raise NotSignedIn(SIGN_IN)
    settings = get_settings()
    return verify_token(token, settings.staff_pool_id, settings.staff_client_id)


def csrf_token(cookie_header: str | None) -> str:
    """A token only a page rendered for this session can know.

    It is a one-way hash of the HttpOnly session token, which another site can neither read nor
    guess, so no server secret is needed and a leaked CSRF token does not reveal the session.
    """
    token = token_from(cookie_header) or ""
    return hashlib.sha256(f"loket-csrf:{token}".encode()).hexdigest()[:40]


def csrf_ok(cookie_header: str | None, presented: str) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(cookie_header), presented)


def set_cookie(token: str) -> str:
    secure = "; Secure" if get_settings().secure_cookies else ""
    return f"{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={MAX_AGE}{secure}"


def clear_cookie() -> str:
    secure = "; Secure" if get_settings().secure_cookies else ""
    return f"{COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"
