"""A deployed function finds the public site's and staff pages' addresses in SSM (the stack writes
them in the same deploy that makes CloudFront and the API: docs/adr/0029)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.aws import reset_clients
from chalicelib.settings import ConfigError, settings_from_env
from tests.fakes import ENV as SETTINGS_ENV


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


def _deployed_env() -> dict[str, str]:
    env = {
        k: v for k, v in SETTINGS_ENV.items() if k not in ("LOKET_PUBLIC_SITE_URL", "LOKET_STAFF_SITE_URL")
    }
    return {**env, "LOKET_URL_PARAMETERS": "/loket-staging/"}


def test_the_addresses_come_from_the_stacks_parameters(ssm: object) -> None:
    ssm.put_parameter(Name="/loket-staging/public-site-url", Value="https://d1.cloudfront.net", Type="String")  # type: ignore[attr-defined]
    ssm.put_parameter(  # type: ignore[attr-defined]
        Name="/loket-staging/staff-site-url",
        Value="https://abc.execute-api.ap-southeast-3.amazonaws.com/api",
        Type="String",
    )
    settings = settings_from_env(_deployed_env())
    assert settings.public_site_url == "https://d1.cloudfront.net"
    assert settings.staff_site_url == "https://abc.execute-api.ap-southeast-3.amazonaws.com/api"


def test_a_missing_parameter_is_one_line_for_it(ssm: object) -> None:
    with pytest.raises(ConfigError, match="public-site-url is missing"):
        settings_from_env(_deployed_env())
