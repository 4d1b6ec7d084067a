"""Sign-in throttled per user name and per client (issue 12: 30 wrong staff passwords in 16 s, then
the right one worked; the same for applicants). The rule is domain/sign_in_limits.py."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import identity, sign_in_attempts
from chalicelib.domain import clock
from chalicelib.domain.sign_in_limits import USER
from chalicelib.errors import NotSignedIn, TooManyAttempts, Unavailable
from chalicelib.services import sign_in
from tests.helpers import body, staff_login

PETUGAS = "kab-pasuruan.petugas_antar_kerja"
WAIT = "Terlalu banyak percobaan masuk. Coba lagi dalam"


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The user names Cognito was asked about (staff pages), in order."""
    names: list[str] = []
    real = identity.sign_in

    def counted(client_id: str, username: str, password: str) -> str:
        names.append(username)
        return real(client_id, username, password)

    monkeypatch.setattr(identity, "sign_in", counted)
    return names


REAL_NOW = clock.now


def later(monkeypatch, seconds: float) -> None:
    """Loket's clock (`domain.clock.now`, which the throttle and the session check read) `seconds`
    ahead of the real one."""
    monkeypatch.setattr(clock, "now", lambda: REAL_NOW() + timedelta(seconds=seconds))


def test_thirty_wrong_staff_passwords_then_the_right_one_waits_until_the_window_ends(
    client, staff, asked, monkeypatch
) -> None:
    """Issue 12's example, through the sign-in page: only 5 reach Cognito, the rest and then the
    right password are refused with the wait, until the 15 minutes are over."""
    username, password = staff("petugas1", PETUGAS)
    started = time.monotonic()
    answers = [staff_login(client, username, f"salah{i}") for i in range(30)]
    elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 25
    refused = answers[-1]
    assert WAIT + " 15 menit." in refused.body.decode() and 'name="csrf"' in refused.body.decode()
    assert 890 <= int(refused.headers["Retry-After"]) <= 900
    right = staff_login(client, username, password)
    assert right.status_code == 429 and WAIT in right.body.decode()
    assert asked == [username] * 5
    print(f"30 wrong staff passwords answered in {elapsed:.1f} s")

    later(monkeypatch, 14 * 60)
    assert staff_login(client, username, password).status_code == 429  # still inside the window
    later(monkeypatch, 15 * 60 + 1)
    assert staff_login(client, username, password).status_code == 303  # the wait is over
    assert sign_in_attempts.current("staff", USER, username) is None  # a success forgets the count


def test_the_next_window_after_a_lockout_is_twice_as_long(client, staff, monkeypatch) -> None:
    username, _ = staff("petugas1", PETUGAS)
    for i in range(6):
        staff_login(client, username, f"salah{i}")
    later(monkeypatch, 15 * 60 + 1)
    answers = [staff_login(client, username, f"lagi{i}") for i in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert WAIT + " 30 menit." in answers[-1].body.decode()


def test_thirty_parallel_wrong_passwords_reach_cognito_five_times(aws, staff, asked) -> None:
    """The count is an atomic add made before Cognito is asked: a race cannot slip past it."""
    username, password = staff("petugas1", PETUGAS)

    def attempt(i: int) -> str:
        try:
            sign_in.staff(username, f"salah{i}", "203.0.113.7")
        except TooManyAttempts:
            return "429"
        except NotSignedIn:
            return "401"
        return "303"

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = sorted(pool.map(attempt, range(30)))
    assert outcomes == ["401"] * 5 + ["429"] * 25
    assert len(asked) == 5
    with pytest.raises(TooManyAttempts):
        sign_in.staff(username, password, "203.0.113.7")
    counted = sign_in_attempts.current("staff", USER, username)
    assert counted is not None and counted.attempts >= 20  # the user name's count went on


def test_twenty_failures_from_one_address_stop_it_but_not_another_address(aws, staff) -> None:
    """Per client: one address guessing many user names is stopped after 20; another is not."""
    staff("petugas1", PETUGAS)
    for i in range(20):
        with pytest.raises(NotSignedIn):
            sign_in.staff(f"tebakan{i}", "salah", "198.51.100.9")
    with pytest.raises(TooManyAttempts) as refused:
        sign_in.staff("petugas1", "PetugasLoket2026", "198.51.100.9")
    assert refused.value.retry_after and refused.value.message.startswith(WAIT)
    assert sign_in.staff("petugas1", "PetugasLoket2026", "198.51.100.10")  # another line: signed in


def test_successful_sign_ins_do_not_use_up_the_address(aws, staff) -> None:
    """An office behind one address: its staff's successful sign-ins are given back."""
    username, password = staff("petugas1", PETUGAS)
    for i in range(19):
        with pytest.raises(NotSignedIn):
            sign_in.staff(f"tebakan{i}", "salah", "198.51.100.9")
    for _ in range(4):
        assert sign_in.staff(username, password, "198.51.100.9")
    with pytest.raises(NotSignedIn):  # the 20th failure is still within the limit
        sign_in.staff("tebakan-terakhir", "salah", "198.51.100.9")


def test_cognito_unavailable_does_not_count_against_the_person(aws, staff, monkeypatch) -> None:
    username, password = staff("petugas1", PETUGAS)
    real = identity.sign_in

    def down(*args: Any) -> str:
        raise Unavailable("Layanan masuk sedang tidak dapat dihubungi.")

    monkeypatch.setattr(identity, "sign_in", down)
    for _ in range(8):
        with pytest.raises(Unavailable):
            sign_in.staff(username, password, "203.0.113.7")
    monkeypatch.setattr(identity, "sign_in", real)
    assert sign_in.staff(username, password, "203.0.113.7")


# --- applicants -------------------------------------------------------------------------------------


def post(client: Client, path: str, **payload: Any) -> Any:
    return client.http.post(
        f"/api/account/{path}", headers={"Content-Type": "application/json"}, body=json.dumps(payload)
    )


def test_applicant_sign_in_over_the_limit_is_429_with_retry_after(client, applicant) -> None:
    applicant("budi")
    answers = [post(client, "signin", username="budi", password=f"salah{i}99") for i in range(7)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 2
    refused = answers[-1]
    assert body(refused)["error"]["message"] == WAIT + " 15 menit."
    assert body(refused)["error"]["code"] == "too_many_attempts"
    assert 890 <= int(refused.headers["Retry-After"]) <= 900
    right = post(client, "signin", username="budi", password="Rahasia123")
    assert right.status_code == 429 and right.headers["Retry-After"]


def test_an_unknown_user_and_a_wrong_password_are_one_answer(client, applicant) -> None:
    """Issue 12: applicant sign-in told an unknown user from a wrong password (the `field` differed)."""
    applicant("budi")
    wrong = post(client, "signin", username="budi", password="salah12345")
    unknown = post(client, "signin", username="tidakada", password="salah12345")
    assert wrong.status_code == unknown.status_code == 401
    assert body(wrong) == body(unknown)  # message, field, code: all the same
    assert body(wrong)["error"]["field"] == "password"
