"""Issue 13: an applicant names their account by its email as well as its user name ("Nama
pengguna"), and one email holds one account.

moto stands in for Cognito (it accepts any confirmation or reset code), so these tests prove our
side: which account an email stands for, the answers that must not tell accounts apart, and the
refusal of a second account for one email.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.helpers import body


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


def post(client: Client, path: str, **payload: Any) -> Any:
    return client.http.post(
        f"/api/account/{path}", headers={"Content-Type": "application/json"}, body=json.dumps(payload)
    )


def _account(client: Client, username: str = "siti", email: str = "siti@contoh.id") -> None:
    assert post(client, "signup", username=username, password="rahasia123", email=email).status_code == 201
    assert post(client, "confirm", username=username, code="123456").status_code == 200


def test_sign_in_with_the_email_gives_the_user_name(client) -> None:
    _account(client)
    signed_in = post(client, "signin", username="Siti@Contoh.ID", password="rahasia123")
    assert signed_in.status_code == 200, signed_in.body
    assert body(signed_in)["username"] == "siti" and body(signed_in)["email"] == "siti@contoh.id"


def test_a_wrong_password_and_an_unknown_email_are_one_answer(client) -> None:
    _account(client)
    wrong = post(client, "signin", username="siti@contoh.id", password="salah12345")
    unknown = post(client, "signin", username="tidak.ada@contoh.id", password="salah12345")
    not_an_address = post(client, "signin", username="siti@", password="salah12345")
    by_name = post(client, "signin", username="tidakada", password="salah12345")
    assert (
        wrong.status_code == unknown.status_code == not_an_address.status_code == by_name.status_code == 401
    )
    assert body(wrong) == body(unknown) == body(not_an_address) == body(by_name)
    assert body(wrong)["error"]["message"] == "Nama pengguna/email atau kata sandi salah."


def test_a_second_account_for_one_email_is_refused_with_a_clear_message(client) -> None:
    _account(client)
    again = post(client, "signup", username="siti2", password="rahasia123", email="SITI@contoh.id")
    assert again.status_code == 409
    error = body(again)["error"]
    assert error["field"] == "email" and error["code"] == "email_taken"
    assert "sudah dipakai akun lain" in error["message"] and "Lupa kata sandi" in error["message"]
    assert "siti" not in error["message"].lower()  # the user name is not told
    taken_name = post(client, "signup", username="siti", password="rahasia123", email="lain@contoh.id")
    assert (
        taken_name.status_code == 409
        and "Nama pengguna ini sudah dipakai" in body(taken_name)["error"]["message"]
    )


def test_the_same_sign_up_sent_twice_is_the_user_name_answer(client) -> None:
    """A retried sign-up (same user name, same email) is not told the email is taken."""
    assert (
        post(client, "signup", username="siti", password="rahasia123", email="siti@contoh.id").status_code
        == 201
    )
    again = post(client, "signup", username="siti", password="rahasia123", email="siti@contoh.id")
    assert again.status_code == 409 and body(again)["error"]["field"] == "username"


def test_the_code_step_takes_the_email_for_resend_and_confirm(client) -> None:
    assert (
        post(client, "signup", username="siti", password="rahasia123", email="siti@contoh.id").status_code
        == 201
    )
    known, unknown = (
        post(client, "resend", username="siti@contoh.id"),
        post(client, "resend", username="x@contoh.id"),
    )
    assert known.status_code == unknown.status_code == 200
    assert body(known) == body(unknown) == {"destination": None}  # no account discovery by email
    confirmed = post(client, "confirm", username="siti@contoh.id", code="123456")
    assert confirmed.status_code == 200 and body(confirmed)["username"] == "siti"
    assert post(client, "signin", username="siti", password="rahasia123").status_code == 200
    nothing_waiting = post(client, "confirm", username="siti@contoh.id", code="123456")
    assert nothing_waiting.status_code == 400 and body(nothing_waiting)["error"]["field"] == "code"


def test_forgot_and_reset_with_the_email(client) -> None:
    _account(client)
    known, unknown = (
        post(client, "forgot", username="siti@contoh.id"),
        post(client, "forgot", username="x@contoh.id"),
    )
    assert known.status_code == unknown.status_code == 200 and body(known) == body(unknown) == {
        "destination": None
    }
    stranger = post(client, "reset", username="x@contoh.id", code="123456", password="baru12345")
    assert stranger.status_code == 400 and body(stranger)["error"]["field"] == "code"
    assert (
        post(client, "reset", username="siti@contoh.id", code="654321", password="baru12345").status_code
        == 200
    )
    assert post(client, "signin", username="siti@contoh.id", password="baru12345").status_code == 200


def test_an_email_of_several_older_accounts_signs_in_to_the_one_whose_password_it_is(client, aws) -> None:
    """Before issue 13 one email could hold several accounts: each is tried, the password decides."""
    from infra.local.seed import create_user

    for name, password in (("lama.satu", "Rahasia111"), ("lama.dua", "Rahasia222")):
        create_user(aws["LOKET_APPLICANT_POOL_ID"], name, password, "lama@contoh.id", [])
    first = post(client, "signin", username="lama@contoh.id", password="Rahasia111")
    second = post(client, "signin", username="lama@contoh.id", password="Rahasia222")
    assert body(first)["username"] == "lama.satu" and body(second)["username"] == "lama.dua"
    assert post(client, "signin", username="lama@contoh.id", password="Salah12345").status_code == 401


def test_a_client_asking_email_after_email_is_slowed_down(client) -> None:
    """Sign-up tells whether an email has an account: ten such answers per client in a window,
    then the client waits (429, Retry-After), a new email included, before Cognito is asked."""
    from chalicelib.domain.sign_in_limits import TAKEN_EMAIL

    _account(client)
    for n in range(TAKEN_EMAIL.most):
        taken = post(client, "signup", username=f"tamu{n}", password="rahasia123", email="siti@contoh.id")
        assert taken.status_code == 409 and body(taken)["error"]["code"] == "email_taken"
    waited = post(client, "signup", username="baru", password="rahasia123", email="baru@contoh.id")
    assert waited.status_code == 429 and int(waited.headers["Retry-After"]) > 0
    assert body(waited)["error"]["message"].startswith("Terlalu banyak pendaftaran dengan email")
    assert post(client, "signin", username="siti@contoh.id", password="rahasia123").status_code == 200
