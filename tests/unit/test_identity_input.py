"""Staff sign-in refuses what Cognito could never hold with a sentence, not a 500 (no AWS needed)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters import identity
from chalicelib.adapters.identity import set_first_password, sign_in
from chalicelib.errors import NotSignedIn


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Stubber:
    stubbed = boto3.client(
        "cognito-idp", region_name="ap-southeast-3", aws_access_key_id="x", aws_secret_access_key="x"
    )
    monkeypatch.setattr(identity, "client", lambda name: stubbed)
    with Stubber(stubbed) as stubber:
        yield stubber


def test_a_user_name_cognito_refuses_as_invalid_is_a_wrong_sign_in(cognito: Stubber) -> None:
    cognito.add_client_error("initiate_auth", "InvalidParameterException", http_status_code=400)
    with pytest.raises(NotSignedIn, match="Nama pengguna atau kata sandi salah"):
        sign_in("client", "x" * 5000, "sandi")


@pytest.mark.parametrize("session", ["", "x", "x" * 19, "x" * 2049])
def test_a_challenge_outside_cognitos_bounds_is_an_ended_session_without_asking(
    cognito: Stubber, session: str
) -> None:
    with pytest.raises(NotSignedIn, match="Sesi penggantian kata sandi habis"):
        set_first_password("client", "kab-pasuruan.baru", session, "Rahasia12345678")
    cognito.assert_no_pending_responses()  # nothing was sent


@pytest.mark.parametrize("code", ["ResourceNotFoundException", "InvalidParameterException"])
def test_a_challenge_cognito_does_not_know_is_an_ended_session(cognito: Stubber, code: str) -> None:
    cognito.add_client_error("respond_to_auth_challenge", code, http_status_code=400)
    with pytest.raises(NotSignedIn, match="Sesi penggantian kata sandi habis"):
        set_first_password("client", "kab-pasuruan.baru", "s" * 40, "Rahasia12345678")
