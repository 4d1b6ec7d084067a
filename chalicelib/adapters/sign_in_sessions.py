"""Sign-in sessions in DynamoDB: one `SignInSession` item per sign-in, under its account.

A session is opened when someone signs in through Loket and deleted at sign-out or when the
account is disabled; a token is accepted only while its session is here and not past
`expires_at` (the rule is `chalicelib/services/sessions.py`, the why docs/adr/0015). Reads are
strongly consistent, so a deleted session is refused by the very next request. DynamoDB busy or
failing surfaces as PynamoDB's errors, which each entry point translates (503).
"""

from __future__ import annotations

from chalicelib.adapters.models import SignInSession, key_text_ok
from chalicelib.domain.clock import iso


def open_session(pool: str, username: str, session_id: str, expires_at: int) -> None:
    """Keep the session `session_id` of `username` in `pool` ("staff" or "applicant") until
    `expires_at` (epoch seconds); opening it again moves its end."""
    SignInSession(
        *SignInSession.key(pool, username, session_id),
        pool=pool,
        username=username,
        session_id=session_id,
        opened_at=iso(),
        expires_at=int(expires_at),
    ).save()


def is_open(pool: str, username: str, session_id: str, now: float) -> bool:
    """Whether the session is kept and has not reached its end at `now` (epoch seconds)."""
    if not key_text_ok(username) or not key_text_ok(session_id):
        return False
    try:
        session = SignInSession.get(*SignInSession.key(pool, username, session_id), consistent_read=True)
    except SignInSession.DoesNotExist:
        return False
    return float(session.expires_at) > now


def end_session(pool: str, username: str, session_id: str) -> None:
    """Delete one session (nothing when it is not there)."""
    if key_text_ok(username) and key_text_ok(session_id):
        SignInSession(*SignInSession.key(pool, username, session_id)).delete()


def end_all(pool: str, username: str) -> int:
    """Delete every session of `username` in `pool`; returns how many there were."""
    if not key_text_ok(username):
        return 0
    found = list(SignInSession.query(SignInSession.partition(pool, username), consistent_read=True))
    with SignInSession.batch_write() as batch:
        for session in found:
            batch.delete(session)
    return len(found)
