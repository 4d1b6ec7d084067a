"""Sign-in attempt counters in DynamoDB: one `SignInAttempts` item per pool, scope and key.

`take` counts one attempt with an atomic ADD conditioned on the window still running, so attempts
sent at the same moment get 1, 2, 3, ... and never the same number; when the window has ended
(or there is none), one conditional put opens the next (`domain/sign_in_limits.next_window`) and
a racing attempt that loses that put counts in the window the winner opened. The rules (limits,
window, backoff) are `chalicelib/domain/sign_in_limits.py`; what to do with a count is
`chalicelib/services/sign_in.py`. DynamoDB busy or failing is `Unavailable` (503).
"""

from __future__ import annotations

import contextlib
import math

from chalicelib.adapters.models import SignInAttempts
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.domain.sign_in_limits import Limit, Window, next_window
from chalicelib.errors import Unavailable

KEEP_SECONDS = 24 * 3600  # a counter outlives its window by a day: the backoff remembers it
ROUNDS = 5


def _window(item: SignInAttempts) -> Window:
    return Window(int(item.attempts or 0), float(item.window_ends), int(item.level or 0))


def take(pool: str, limit: Limit, key: str, now: float) -> Window:
    """Count one attempt of `key` ("user" or "client" as `limit.scope`) at `now` (epoch seconds);
    returns the window with this attempt counted (`attempts` is this attempt's number in it).

    Raises `Unavailable` when DynamoDB is busy or failing, or when the counter could not be
    settled in 5 rounds of racing writers (a retry a second later settles it)."""
    pk, sk = SignInAttempts.key(pool, limit.scope, key)
    for _ in range(ROUNDS):
        counted = SignInAttempts(pk, sk)
        try:
            write_one(
                Write(
                    "update",
                    counted,
                    condition=SignInAttempts.window_ends > now,
                    actions=[SignInAttempts.attempts.add(1)],
                )
            )
            return _window(counted)
        except Refused:
            pass  # no counter, or its window ended: open the next one
        try:
            before: SignInAttempts | None = SignInAttempts.get(pk, sk, consistent_read=True)
        except SignInAttempts.DoesNotExist:
            before = None
        if before is not None and _window(before).open_at(now):
            continue  # another attempt opened a window meanwhile: count in it
        opened = next_window(limit, _window(before) if before is not None else None, now)
        item = SignInAttempts(
            pk,
            sk,
            attempts=opened.attempts,
            window_ends=opened.ends,
            level=opened.level,
            expires_at=math.ceil(opened.ends) + KEEP_SECONDS,
        )
        condition = (
            SignInAttempts.PK.does_not_exist()
            if before is None
            else SignInAttempts.window_ends == before.window_ends
        )
        try:
            write_one(Write("save", item, condition=condition))
            return opened
        except Refused:
            continue  # another attempt opened it first
    raise Unavailable("Layanan masuk sedang sibuk. Coba lagi beberapa detik lagi.", retry_after=1)


def give_back(pool: str, limit: Limit, key: str, window: Window) -> None:
    """Uncount one attempt of `window` (a sign-in that succeeded, or that failed for another reason
    than the password); nothing when that window has ended meanwhile."""
    pk, sk = SignInAttempts.key(pool, limit.scope, key)
    with contextlib.suppress(Refused):
        write_one(
            Write(
                "update",
                SignInAttempts(pk, sk),
                condition=(SignInAttempts.window_ends == window.ends) & (SignInAttempts.attempts > 0),
                actions=[SignInAttempts.attempts.add(-1)],
            )
        )


def clear(pool: str, limit: Limit, key: str) -> None:
    """Forget `key`'s count and backoff (the user name signed in with the right password)."""
    pk, sk = SignInAttempts.key(pool, limit.scope, key)
    write_one(Write("delete", SignInAttempts(pk, sk)))


def current(pool: str, limit: Limit, key: str) -> Window | None:
    """The counter of `key` as it stands (for tests and the README's figures), or None."""
    pk, sk = SignInAttempts.key(pool, limit.scope, key)
    try:
        return _window(SignInAttempts.get(pk, sk, consistent_read=True))
    except SignInAttempts.DoesNotExist:
        return None
