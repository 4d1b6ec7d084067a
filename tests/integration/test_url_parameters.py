"""A deployed function finds the public site's and staff pages' addresses in SSM (the stack writes
them in the same deploy that makes CloudFront and the API: docs/adr/0029)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.aws import reset_clients
from chalicelib.settings import ConfigError, settings_from_env
from tests.fakes import ENV as SETTINGS_ENV


@pytest.fixture
def prefix() -> str:
    """A parameter path of this test alone: when the process's shared moto stack is running
    (tests/conftest.py `moto_stack`), this `mock_aws` is nested in it and moto does not reset its
    data, so a fixed path would carry one test's parameters into the next."""
    return f"/loket-{secrets.token_hex(4)}/"


@pytest.fixture
def ssm(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-3")
    with mock_aws():
        reset_clients()
        yield boto3.client("ssm", region_name="ap-southeast-3")
    reset_clients()


def _deployed_env(prefix: str) -> dict[str, str]:
    env = {
        k: v for k, v in SETTINGS_ENV.items() if k not in ("LOKET_PUBLIC_SITE_URL", "LOKET_STAFF_SITE_URL")
    }
    return {**env, "LOKET_URL_PARAMETERS": prefix}


def test_the_addresses_come_from_the_stacks_parameters(ssm: object, prefix: str) -> None:
    ssm.put_parameter(Name=f"{prefix}public-site-url", Value="https://d1.cloudfront.net", Type="String")  # type: ignore[attr-defined]
    ssm.put_parameter(  # type: ignore[attr-defined]
        Name=f"{prefix}staff-site-url",
        Value="https://abc.execute-api.ap-southeast-3.amazonaws.com/api",
        Type="String",
    )
    settings = settings_from_env(_deployed_env(prefix))
    assert settings.public_site_url == "https://d1.cloudfront.net"
    assert settings.staff_site_url == "https://abc.execute-api.ap-southeast-3.amazonaws.com/api"


def test_a_missing_parameter_is_one_line_for_it(ssm: object, prefix: str) -> None:
    with pytest.raises(ConfigError, match="public-site-url is missing"):
        settings_from_env(_deployed_env(prefix))
