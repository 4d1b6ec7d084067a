"""How many sign-in attempts one user name and one client may make, and how long they then wait.

The rule (staff pages and the applicants' API alike; `services/sign_in.py` applies it):

- an attempt is counted **before** Cognito is asked, by an atomic add, so thirty attempts sent at
  once are counted one by one and only the first ones within the limit reach Cognito;
- **5 attempts per user name**, **20 per client address** (IPv4 address, IPv6 /64: one phone or
  one home line; an office behind one NAT shares its 20) in a **window of 15 minutes** that
  begins with the first attempt counted;
- an attempt over either limit is refused (HTTP 429, "Coba lagi dalam N menit.") until the window
  ends, the right password included;
- **backoff**: a window that ended at or over its limit makes the next one twice as long
  (30 minutes, then 60, 120, at most 240); a window that ended under it sets the length back to
  15 minutes;
- a successful sign-in clears the user name's count and gives its attempt back to the client; an
  attempt that failed for another reason than the password (Cognito or DynamoDB unavailable) is
  given back to both; an attempt refused by the user name's limit is given back to the client
  (Cognito was not asked).

Sources: issue 12 (30 wrong staff passwords in 16 s, then the right one worked); NIST SP 800-63B
§5.2.2 (a verifier SHALL limit failed attempts on an account); OWASP Authentication Cheat Sheet,
"Login Throttling". Cognito has a lockout of its own (after 5 failures, 1 s doubling to about
15 minutes), which only AWS enforces and moto does not model: Loket's limit stands on its own.
The counters are `adapters/sign_in_attempts.py`; this module is the arithmetic, with no I/O.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

WINDOW_SECONDS = 15 * 60
LONGEST_LEVEL = 4  # 15 minutes doubled 4 times: 240 minutes
UNKNOWN_CLIENT = "unknown"
USER_KEY_MAX = 128  # Cognito's longest user name; longer text is cut (it names no account)


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts of one `scope` ("user" or "client") per window."""

    scope: str
    most: int


USER = Limit("user", 5)
CLIENT = Limit("client", 20)
TAKEN_EMAIL = Limit("taken_email", 10)
"""Sign-ups one client may have refused because their email already has an account (issue 13:
one account per email), per window: that answer tells an address has an account, so asking it
for address after address is slowed down; a client over it may not sign up until the window ends.
Ten is far above what one phone or one job fair's wifi meets by mistake in 15 minutes."""


@dataclass(frozen=True)
class Window:
    """One counter: `attempts` counted in the window that ends at `ends` (epoch seconds), the
    `level`-th longer one in a row (0: 15 minutes, 1: 30, ...)."""

    attempts: int
    ends: float
    level: int = 0

    def open_at(self, now: float) -> bool:
        return now < self.ends


def window_seconds(level: int) -> int:
    """Length of a window at backoff `level`: 15 minutes doubled `level` times, at most 4 hours."""
    return WINDOW_SECONDS * 2 ** max(0, min(level, LONGEST_LEVEL))


def next_window(limit: Limit, before: Window | None, now: float) -> Window:
    """The window a first attempt at `now` opens (with that attempt counted), after `before`,
    the counter's window that has ended (or None: the first attempt ever, or a forgotten one).

    Backoff: `before` at or over its limit makes this window one level longer, else level 0."""
    reached = before is not None and before.attempts >= limit.most
    level = min(before.level + 1, LONGEST_LEVEL) if before is not None and reached else 0
    return Window(attempts=1, ends=now + window_seconds(level), level=level)


def allowed(limit: Limit, window: Window) -> bool:
    """Whether the attempt that made `window.attempts` may go on to Cognito."""
    return window.attempts <= limit.most


def wait_seconds(window: Window, now: float) -> int:
    """Whole seconds until `window` ends (at least 1): the `Retry-After` of a refused attempt."""
    return max(1, math.ceil(window.ends - now))


def sign_up_wait_message(seconds: int) -> str:
    """The Indonesian sentence of a sign-up refused by TAKEN_EMAIL, in whole minutes rounded up."""
    return (
        "Terlalu banyak pendaftaran dengan email yang sudah punya akun. "
        f"Coba lagi dalam {max(1, math.ceil(seconds / 60))} menit."
    )


def wait_message(seconds: int) -> str:
    """The Indonesian sentence a refused attempt shows, in whole minutes rounded up."""
    return f"Terlalu banyak percobaan masuk. Coba lagi dalam {max(1, math.ceil(seconds / 60))} menit."


def user_key(username: str) -> str:
    """The user name as Cognito matches it (the pools are case-insensitive): trimmed, lower case."""
    return (username or "").strip().lower()[:USER_KEY_MAX]


def client_key(source_ip: str | None) -> str:
    """The client of a request from API Gateway's `sourceIp` (never X-Forwarded-For, which the
    caller writes): an IPv4 address as it is, an IPv6 address as its /64 network (one line gets a
    /64 and may use any address in it); anything else counts as one "unknown" client."""
    try:
        address = ipaddress.ip_address((source_ip or "").strip())
    except ValueError:
        return UNKNOWN_CLIENT
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
