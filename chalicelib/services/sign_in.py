"""Sign-in with a password, throttled per user name and per client, opening a session.

The throttle's rule (limits, window, backoff, and why) is `chalicelib/domain/sign_in_limits.py`;
the counters are `adapters/sign_in_attempts.py`; the session `services/sessions.py`. The staff
pages and the applicants' API both come here, so both are held to the same limits.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any, NoReturn

from chalicelib.adapters import accounts, identity, sign_in_attempts
from chalicelib.adapters.identity import NewPasswordRequired
from chalicelib.domain import clock
from chalicelib.domain.sign_in_limits import (
    CLIENT,
    TAKEN_EMAIL,
    USER,
    Window,
    allowed,
    client_key,
    sign_up_wait_message,
    user_key,
    wait_message,
    wait_seconds,
)
from chalicelib.errors import Conflict, NotSignedIn, TooManyAttempts
from chalicelib.services import sessions
from chalicelib.services.sessions import APPLICANT, STAFF, pool_ids

log = logging.getLogger("loket.sign_in")

WRONG = "Nama pengguna atau kata sandi salah."


@contextlib.contextmanager
def throttled(pool: str, username: str, source_ip: str | None) -> Iterator[None]:
    """Count one attempt of `username` from `source_ip` in `pool`, then run the block (the call to
    Cognito) only when both counts are within their limits.

    Raises TooManyAttempts (429, with `retry_after` in seconds and the Indonesian wait message)
    without running the block when either is over. After the block: a NotSignedIn (wrong name or
    password) keeps both counts; success (a NewPasswordRequired challenge included: the
    temporary password was right) clears the user name's count and gives the client's back; any
    other error gives both back (it was not the password)."""
    user, client = user_key(username), client_key(source_ip)
    now = clock.now().timestamp()
    by_client = sign_in_attempts.take(pool, CLIENT, client, now)
    if not allowed(CLIENT, by_client):
        _refuse(pool, "client", wait_seconds(by_client, now))
    by_user = sign_in_attempts.take(pool, USER, user, now)
    if not allowed(USER, by_user):
        sign_in_attempts.give_back(pool, CLIENT, client, by_client)  # Cognito is not asked
        _refuse(pool, "user", wait_seconds(by_user, now))
    try:
        yield
    except NotSignedIn:
        raise
    except NewPasswordRequired:
        _succeeded(pool, user, client, by_client)
        raise
    except BaseException:
        sign_in_attempts.give_back(pool, USER, user, by_user)
        sign_in_attempts.give_back(pool, CLIENT, client, by_client)
        raise
    _succeeded(pool, user, client, by_client)


def _succeeded(pool: str, user: str, client: str, by_client: Window) -> None:
    sign_in_attempts.clear(pool, USER, user)
    sign_in_attempts.give_back(pool, CLIENT, client, by_client)


def _refuse(pool: str, scope: str, seconds: int) -> NoReturn:
    log.warning("sign-in refused: too many attempts (%s pool, per %s)", pool, scope)  # no name, no address
    raise TooManyAttempts(wait_message(seconds), code="too_many_attempts", retry_after=seconds)


def staff(username: str, password: str, source_ip: str | None) -> str:
    """A staff member's sign-in on the staff pages: the id token of an opened session.

    Raises TooManyAttempts (over a limit), NotSignedIn (wrong name or password, or the account was
    disabled while signing in), NewPasswordRequired (first sign-in with the emailed temporary
    password), Unavailable (Cognito or DynamoDB busy)."""
    pool_id, client_id = pool_ids(STAFF)
    with throttled(STAFF, username, source_ip):
        token = identity.sign_in(client_id, username, password)
    return _opened_staff(pool_id, token)


def staff_first_password(username: str, challenge: str, password: str) -> str:
    """The first sign-in's new password (Cognito's challenge answered): the id token of an opened
    session. Raises what `identity.set_first_password` raises."""
    pool_id, client_id = pool_ids(STAFF)
    return _opened_staff(pool_id, identity.set_first_password(client_id, username, challenge, password))


def _opened_staff(pool_id: str, token: str) -> str:
    """Open the staff session of `token`, then make sure the account was not disabled meanwhile:
    a disable that ran between Cognito's answer and this session's write found no session to end
    (disabling ends sessions after it disables, so this read sees it)."""
    who = sessions.open_for(STAFF, token)
    if not identity.account_enabled(pool_id, who.username):
        sessions.end_everywhere(STAFF, who.username)
        raise NotSignedIn(WRONG)
    return token


def applicant(username: str, password: str, source_ip: str | None) -> dict[str, Any]:
    """An applicant's sign-in through the API: `accounts.sign_in`'s answer (tokens, who) with its
    session opened. Raises TooManyAttempts, and what `accounts.sign_in` raises."""
    with throttled(APPLICANT, username, source_ip):
        answer = accounts.sign_in(username, password)
    sessions.open_for(APPLICANT, str(answer["id_token"]))
    return answer


def applicant_sign_up(
    username: str, password: str, email: str, kind: str, organisation: str, source_ip: str | None
) -> dict[str, Any]:
    """A new applicant account (`accounts.sign_up`), from a client that has not had too many
    sign-ups refused for an email that already has an account (TAKEN_EMAIL, counted per client
    when that refusal is answered). Raises TooManyAttempts (429, Retry-After) for a client over
    the limit, before Cognito is asked, and what `accounts.sign_up` raises."""
    client, now = client_key(source_ip), clock.now().timestamp()
    seen = sign_in_attempts.current(APPLICANT, TAKEN_EMAIL, client)
    if seen is not None and seen.open_at(now) and seen.attempts >= TAKEN_EMAIL.most:
        seconds = wait_seconds(seen, now)
        log.warning("sign-up refused: too many emails that have an account (per client)")
        raise TooManyAttempts(sign_up_wait_message(seconds), code="too_many_attempts", retry_after=seconds)
    try:
        return accounts.sign_up(username, password, email, kind, organisation)
    except Conflict as exc:
        if exc.code == "email_taken":
            sign_in_attempts.take(APPLICANT, TAKEN_EMAIL, client, now)
        raise
