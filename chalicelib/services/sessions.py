"""Sign-in sessions: opened at sign-in, checked on every request, ended at sign-out and on disabling.

A Cognito id token checked only by its signature (`adapters/identity.verify_token`) stays good
until its `exp`: 8 hours for staff, after they signed out or their office admin disabled them.
So Loket keeps one session per sign-in (`adapters/sign_in_sessions`, keyed by the tokens'
`origin_jti`, which every token refreshed from that sign-in shares) and accepts a token only
while its session is kept:

- `open_for` at every sign-in through Loket (staff pages, the applicants' API);
- `principal` on every request: the signature, then one strongly consistent read of the session;
- `end_everywhere` at sign-out (staff and applicants: Cognito's sign-out is global too) and when
  an account is disabled or loses a role: every session of the account is deleted, then
  Cognito's AdminUserGlobalSignOut revokes its refresh tokens.

A token from a sign-in that did not go through Loket (Cognito called directly) has no session and
is refused. docs/adr/0015 says why a kept session rather than a "revoked before" time.
"""

from __future__ import annotations

import logging

from chalicelib.adapters import aws_errors, identity, sign_in_sessions
from chalicelib.adapters.identity import EXPIRED, Principal
from chalicelib.domain import clock
from chalicelib.errors import NotSignedIn
from chalicelib.settings import get_settings

log = logging.getLogger("loket.sessions")

STAFF = "staff"
APPLICANT = "applicant"
# As long as the applicant client's refresh tokens last (RefreshTokenValidity in infra/base.yaml).
APPLICANT_SESSION_SECONDS = 30 * 24 * 3600


def pool_ids(pool: str) -> tuple[str, str]:
    """(user pool id, app client id) of "staff" or "applicant"."""
    settings = get_settings()
    if pool == STAFF:
        return settings.staff_pool_id, settings.staff_client_id
    if pool == APPLICANT:
        return settings.applicant_pool_id, settings.applicant_client_id
    raise ValueError(f"unknown pool {pool!r}")


def principal(pool: str, token: str) -> Principal:
    """Who holds `token` of `pool`, while their session is open.

    Raises NotSignedIn for a token that is forged, expired, of another pool, without a session id,
    or whose session was ended (sign-out, disabled); Unavailable when Cognito's key set cannot be
    fetched; DynamoDB failing surfaces as PynamoDB's error (the entry point answers 503)."""
    who = identity.verify_token(token, *pool_ids(pool))
    if not who.session_id or not sign_in_sessions.is_open(
        pool, who.username, who.session_id, clock.now().timestamp()
    ):
        raise NotSignedIn(EXPIRED)
    return who


def open_for(pool: str, token: str) -> Principal:
    """Open the session of a token Cognito just issued at a sign-in; returns who it is.

    Staff sessions end with the id token (8 hours: staff pages do not refresh), applicants' with
    their refresh token (30 days). Raises NotSignedIn for a token without `origin_jti` (token
    revocation switched off on the app client: such a session could never be ended)."""
    who = identity.verify_token(token, *pool_ids(pool))
    if not who.session_id:
        raise NotSignedIn(EXPIRED)
    if pool == STAFF:
        ends = int(who.expires_at or 0)
    else:
        ends = int(clock.now().timestamp()) + APPLICANT_SESSION_SECONDS
    sign_in_sessions.open_session(pool, who.username, who.session_id, ends)
    return who


def end_everywhere(pool: str, username: str) -> int:
    """End every session of `username` in `pool`; returns how many were open.

    The sessions are deleted first: from then on no token of the account is accepted. Cognito's
    global sign-out follows; when Cognito is busy or unreachable that is logged and left (its
    refresh tokens could still make tokens, which have no session), so a sign-out never fails
    for it. DynamoDB failing is raised (the entry point answers 503: the person tries again)."""
    ended = sign_in_sessions.end_all(pool, username)
    try:
        identity.global_sign_out(pool_ids(pool)[0], username)
    except Exception as exc:
        if aws_errors.translate(exc) is None:
            raise
        log.warning("Cognito global sign-out failed (%s pool); the sessions are ended", pool)
    return ended
