"""`python -m chalicelib.cli bootstrap` on a fresh (moto) staff pool: the office's groups and its
first administrator, and nothing twice when run again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib import cli
from chalicelib.adapters.aws import reset_clients
from chalicelib.bootstrap import bootstrap, office_groups
from chalicelib.errors import InvalidInput

NIP = "19850312 201001 1 004"


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-3")
    monkeypatch.delenv("AWS_REGION", raising=False)
    with mock_aws():
        reset_clients()
        cognito = boto3.client("cognito-idp", region_name="ap-southeast-3")
        pool_id = cognito.create_user_pool(
            PoolName="loket-staging-staff",
            Schema=[{"Name": "nip", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        yield cognito, pool_id
    reset_clients()


def _groups(cognito: Any, pool_id: str) -> set[str]:
    return {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}


def test_bootstrap_makes_the_groups_and_the_first_admin_once(pool: tuple[Any, str]) -> None:
    cognito, pool_id = pool
    first = bootstrap(cognito, pool_id, "kab-pasuruan", "admin", "Siti Rahmawati", NIP, "siti@contoh.go.id")
    assert first.username == "kab-pasuruan.admin" and first.account_created and first.added_to_admin
    assert set(first.created_groups) == set(office_groups("kab-pasuruan")) == _groups(cognito, pool_id)
    assert "kab-pasuruan.admin" in first.created_groups
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="kab-pasuruan.admin")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == "Siti Rahmawati" and attributes["custom:nip"] == NIP
    assert attributes["email"] == "siti@contoh.go.id"
    in_groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="kab-pasuruan.admin")[
        "Groups"
    ]
    assert [g["GroupName"] for g in in_groups] == ["kab-pasuruan.admin"]

    again = bootstrap(cognito, pool_id, "kab-pasuruan", "admin", "Siti Rahmawati", NIP, "siti@contoh.go.id")
    assert again.created_groups == [] and not again.account_created and not again.added_to_admin
    assert len(cognito.list_users(UserPoolId=pool_id)["Users"]) == 1


def test_a_second_office_in_the_same_pool_gets_its_own_groups(pool: tuple[Any, str]) -> None:
    cognito, pool_id = pool
    bootstrap(cognito, pool_id, "kab-pasuruan", "admin", "Siti Rahmawati", NIP, "siti@contoh.go.id")
    done = bootstrap(cognito, pool_id, "kota-tangerang", "budi", "Budi Santoso", NIP, "budi@contoh.go.id")
    assert done.username == "kota-tangerang.budi"
    assert all(g.startswith("kota-tangerang.") for g in done.created_groups)


@pytest.mark.parametrize(
    ("office", "nip"),
    [("kab-entah", NIP), ("kab-pasuruan", "123"), ("kab-pasuruan", "19851312 201001 1 004")],
)
def test_a_bad_office_or_nip_makes_nothing(pool: tuple[Any, str], office: str, nip: str) -> None:
    cognito, pool_id = pool
    with pytest.raises(InvalidInput):
        bootstrap(cognito, pool_id, office, "admin", "Siti Rahmawati", nip, "siti@contoh.go.id")
    assert _groups(cognito, pool_id) == set()


def test_the_cli_prints_what_it_did(pool: tuple[Any, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, pool_id = pool
    argv = ["bootstrap", "--pool", pool_id, "--office", "kab-pasuruan", "--name", "Siti Rahmawati"]
    argv += ["--nip", NIP, "--email", "siti@contoh.go.id"]
    assert cli.main(argv) == 0
    assert "akun dibuat: kab-pasuruan.admin" in capsys.readouterr().out
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "akun sudah ada" in out and "grup dibuat" not in out
    assert cli.main([*argv[:-4], "--nip", "1", "--email", "siti@contoh.go.id"]) == 2
