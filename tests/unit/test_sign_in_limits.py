"""The sign-in throttle's arithmetic (domain/sign_in_limits.py), the masked NIK, and the sign-in
form's CSRF token (staff/session.py): no AWS."""

from __future__ import annotations

import pytest

from chalicelib.domain import nik
from chalicelib.domain.sign_in_limits import (
    CLIENT,
    USER,
    WINDOW_SECONDS,
    Window,
    allowed,
    client_key,
    next_window,
    user_key,
    wait_message,
    wait_seconds,
    window_seconds,
)
from chalicelib.staff import session

NOW = 1_800_000_000.25


def test_the_limits_are_five_per_user_and_twenty_per_client_in_fifteen_minutes() -> None:
    assert (USER.most, CLIENT.most, WINDOW_SECONDS) == (5, 20, 900)
    assert allowed(USER, Window(5, NOW + 1)) and not allowed(USER, Window(6, NOW + 1))
    assert allowed(CLIENT, Window(20, NOW + 1)) and not allowed(CLIENT, Window(21, NOW + 1))


def test_a_first_attempt_opens_a_fifteen_minute_window() -> None:
    opened = next_window(USER, None, NOW)
    assert opened == Window(attempts=1, ends=NOW + 900, level=0)
    assert opened.open_at(NOW + 899) and not opened.open_at(opened.ends)


def test_a_window_that_reached_its_limit_doubles_the_next_up_to_four_hours() -> None:
    lengths = []
    before: Window | None = None
    for _ in range(7):
        opened = next_window(USER, before, NOW)
        lengths.append(opened.ends - NOW)
        before = Window(USER.most, opened.ends, opened.level)  # it reached the limit again
    assert lengths == [900, 1800, 3600, 7200, 14400, 14400, 14400]
    assert window_seconds(99) == 14400


def test_a_window_that_ended_under_its_limit_sets_the_length_back() -> None:
    calm = Window(USER.most - 1, NOW - 1, level=3)
    assert next_window(USER, calm, NOW).level == 0


def test_the_wait_is_told_in_whole_minutes_rounded_up() -> None:
    window = Window(6, NOW + 14 * 60 + 1)
    assert wait_seconds(window, NOW) == 14 * 60 + 1
    assert wait_message(wait_seconds(window, NOW)) == (
        "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."
    )
    assert wait_seconds(Window(6, NOW - 5), NOW) == 1  # never 0: Retry-After: 0 means "now"
    assert wait_message(1).endswith("dalam 1 menit.")


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # one line, any address of its /64
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
        (None, "unknown"),
        ("203.0.113.7, 10.0.0.1", "unknown"),  # a forwarded list is not an address
        ("x" * 500, "unknown"),
    ],
)
def test_a_client_is_its_address_or_its_ipv6_line(source: str | None, key: str) -> None:
    assert client_key(source) == key


def test_a_user_name_is_counted_as_cognito_matches_it() -> None:
    assert user_key("  Kab-Pasuruan.Siti ") == "kab-pasuruan.siti"
    assert len(user_key("a" * 5000)) == 128


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("3514015708950001", "3514********0001"),
        ("3514 0157 0895 0001", "3514********0001"),
        ("351401570895000", "****************"),  # not a NIK: nothing of it shown
        ("３５１４０１５７０８９５０００１", "****************"),  # full-width digits
        ("", "****************"),
    ],
)
def test_a_masked_nik_shows_the_area_and_the_last_four_digits(raw: str, masked: str) -> None:
    assert nik.mask(raw) == masked


def test_the_sign_in_forms_token_is_a_hash_of_its_cookie(fakes) -> None:  # fakes: the settings
    """The pre-session CSRF token: the field must be the hash of the cookie the same browser sent."""
    nonce, header = session.fresh_login_nonce()
    assert header.startswith(f"{session.LOGIN_COOKIE}={nonce}; HttpOnly; SameSite=Strict; Path=/;")
    token = session.login_csrf_token(nonce)
    assert nonce not in token and len(token) == 40
    cookie = f"{session.LOGIN_COOKIE}={nonce}"
    assert session.login_csrf_ok(cookie, token)
    assert not session.login_csrf_ok(cookie, "")
    assert not session.login_csrf_ok(None, token)  # no cookie: another site's post
    other, _ = session.fresh_login_nonce()
    assert not session.login_csrf_ok(f"{session.LOGIN_COOKIE}={other}", token)  # another browser's
    assert not session.login_csrf_ok(cookie, session.csrf_token(cookie))  # a session token is not it
    assert session.login_nonce(cookie) == (nonce, None)  # a second tab keeps the same cookie
    assert session.login_nonce(f"{session.LOGIN_COOKIE}=pendek")[1] is not None  # malformed: new
