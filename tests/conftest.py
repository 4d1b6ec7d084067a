"""Shared fixtures: moto in-process with real Step Functions execution, resources from the template."""

from __future__ import annotations

import contextlib
import gzip
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Fake credentials and region before anything imports boto3; a set AWS_ENDPOINT_URL would make
# boto3 bypass mock_aws, so it is removed for the whole test session.
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="ap-southeast-3",
    AWS_REGION="ap-southeast-3",
)

from moto import mock_aws

from chalicelib.adapters.aws import reset_clients
from chalicelib.settings import reset_settings
from infra.local import moto_extras

moto_extras.install()  # the Cognito calls moto lacks, as the local stack has them

MOTO_JWKS = (
    Path(__import__("moto.cognitoidp", fromlist=["x"]).__file__).parent / "resources" / "jwks-public.json.gz"
)


def _publish_jwks(base: Path, pool_id: str) -> None:
    """Serve moto's signing key set as a file:// JWKS, the way Cognito serves it over HTTPS."""
    target = base / pool_id / ".well-known" / "jwks.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.decompress(MOTO_JWKS.read_bytes()))


def _stop_executions() -> None:
    """Stop what still runs, so no execution thread of this test writes into the next test's table."""
    import boto3

    sfn = boto3.client("stepfunctions", region_name="ap-southeast-3")
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING")
        for execution in running["executions"]:
            # moto can fail to stop an execution that is still starting; the stack name of the
            # next test differs anyway, so a straggler cannot write into its table.
            with contextlib.suppress(Exception):
                sfn.stop_execution(executionArn=execution["executionArn"], cause="test finished")


@pytest.fixture(scope="session")
def jwks_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A loopback HTTP server for key sets, as Cognito serves its JWKS (PyJWT fetches only http/s)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    root = tmp_path_factory.mktemp("jwks")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def aws(jwks_server: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Every Loket resource in moto (Step Functions executing), with the app's settings set."""
    from infra.local.provision import provision

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        reset_clients()
        stack = f"t{secrets.token_hex(4)}"
        env = provision(
            stack_name=stack, parameters={"PublicSiteUrl": "http://localhost:8080", "TimeScale": "0.01"}
        )
        root, base_url = jwks_server
        for pool in (env["LOKET_STAFF_POOL_ID"], env["LOKET_APPLICANT_POOL_ID"]):
            _publish_jwks(root, pool)
        env["LOKET_COGNITO_JWKS_BASE"] = base_url
        env["LOKET_SECURE_COOKIES"] = "0"
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        reset_settings()
        yield env
        _stop_executions()
        reset_settings()
        reset_clients()


def wait_for(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy (executions run on moto's threads)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {check.__name__}")
        time.sleep(interval)


@pytest.fixture
def identity_down(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the Cognito key-set address at a closed port, as if Cognito were unreachable."""
    import socket

    from chalicelib.adapters import identity

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    monkeypatch.setenv("LOKET_COGNITO_JWKS_BASE", f"http://127.0.0.1:{dead}")
    monkeypatch.setattr(identity, "_jwk_clients", {})
    reset_settings()


def _client():  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client("cognito-idp", region_name="ap-southeast-3")


@pytest.fixture
def applicant(aws: dict[str, str]) -> Callable[..., str]:
    """Make an applicant account and return its id token: `applicant("budi")`."""
    from infra.local.seed import create_user

    def make(
        username: str, email: str | None = None, kind: str = "pencari_kerja", organisation: str | None = None
    ) -> str:
        create_user(
            aws["LOKET_APPLICANT_POOL_ID"],
            username,
            "Rahasia123",
            email or f"{username}@contoh.id",
            [],
            extra={"custom:kind": kind, **({"custom:organisation": organisation} if organisation else {})},
        )
        auth = _client().initiate_auth(
            ClientId=aws["LOKET_APPLICANT_CLIENT_ID"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": "Rahasia123"},
        )
        return str(auth["AuthenticationResult"]["IdToken"])

    return make


@pytest.fixture
def staff(aws: dict[str, str]) -> Callable[..., tuple[str, str]]:
    """Make a staff account in `<office>.<role>` groups; returns (username, password)."""
    from infra.local.seed import create_user

    def make(username: str, *groups: str) -> tuple[str, str]:
        password = "PetugasLoket2026"
        create_user(
            aws["LOKET_STAFF_POOL_ID"],
            username,
            password,
            f"{username}@disnaker.test",
            list(groups),
            name=f"Petugas {username.title()}",
            nip="19800101 200501 1 001",
        )
        return username, password

    return make
