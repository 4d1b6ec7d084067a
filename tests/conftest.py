"""Shared fixtures: moto in-process with real Step Functions execution, resources from the template."""

from __future__ import annotations

import gzip
import logging
import os
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
from infra.local import asl_cache, moto_extras, moto_json, nodelay
from tests import isolation
from tests.deadlines import SITE_URL, SLACK_SECONDS

# moto's state-machine interpreter logs at ERROR every error a state raises, the ones the machine
# catches included (a step's States.Timeout is how an SOP's time runs out). With no handler, Python
# prints them to stderr, where an execution thread still ending after its test wrote them into
# the stderr of whichever test ran next (a CLI test comparing its stderr failed on them).
logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
moto_extras.install()  # the Cognito calls moto lacks, as the local stack has them
moto_extras.closing_task_tokens()  # a timed-out or used task token refused, as on AWS
moto_extras.partition_queries()  # a Query reads its partition, not the whole table sorted
moto_extras.untracked_items()  # no dashboard copy of every item and message ever made
nodelay.install()  # every server a test starts in-process answers as make run's do, in any order

# Longest first: `make test` runs pytest-xdist with --dist loadgroup, which hands the next test
# (or xdist_group) to whichever worker is free, so a long test must not be the last one handed out.
LONGEST_FIRST = (
    "tests/browser/",  # the stack and chromium (test_ak1_browser.py is one xdist_group)
    "tests/e2e/",  # the stack as a process
    "tests/integration/test_package.py",  # chalice package and cfn-lint
    "tests/integration/test_openapi.py",  # schemathesis: the longest single test (about 45 s)
    "tests/integration/test_sop_walks.py",
    "tests/integration/test_engine.py",
    "tests/integration/test_record_checks.py",
    "tests/integration/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests longest first (a stable sort: the order within a group is kept)."""

    def rank(item: pytest.Item) -> int:
        return next((i for i, p in enumerate(LONGEST_FIRST) if item.nodeid.startswith(p)), len(LONGEST_FIRST))

    items.sort(key=rank)


# Modules whose tests share a module-scoped fixture that is slow to make (the two AK-1 browser
# journeys share one stack): `--dist loadgroup` hands each of them, whole, to one worker. They
# carry xdist_group marks too, but pytest 9.2's structured node ids drop the group suffix xdist
# adds (pytest-dev/pytest-xdist#1386), so the scheduler below groups them by module itself.
# The journeys on the local stack (tests/browser/conftest.py's session `stack`): one group, so one
# worker runs them all and starts the stack once.
STACK_MODULES = (
    "tests/browser/test_ak1_browser.py",
    "tests/browser/test_complaint_browser.py",
    "tests/browser/test_desk_browser.py",
    "tests/browser/test_holder_browser.py",
    "tests/browser/test_standard_browser.py",
    "tests/browser/test_workbench_browser.py",
)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's load-group scheduler (the next test or group to the next free worker), with the
    modules of STACK_MODULES as one group. Only for `--dist loadgroup` (`make test`)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Scheduler(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "local-stack" if module in STACK_MODULES else str(super()._split_scope(nodeid))

    return Scheduler(config, log)


MOTO_JWKS = (
    Path(__import__("moto.cognitoidp", fromlist=["x"]).__file__).parent / "resources" / "jwks-public.json.gz"
)


def _publish_jwks(base: Path, pool_id: str) -> None:
    """Serve moto's signing key set as a file:// JWKS, the way Cognito serves it over HTTPS."""
    target = base / pool_id / ".well-known" / "jwks.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.decompress(MOTO_JWKS.read_bytes()))


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


@pytest.fixture(scope="session")
def moto_stack(jwks_server: tuple[Path, str]) -> Iterator[dict[str, str]]:
    """Every Loket resource in moto (Step Functions executing), made once per test process.

    Tests use it through `aws`, which leaves it clean after each test (see tests/isolation.py)."""
    from infra.local.provision import provision

    isolation.install_gate()
    moto_extras.serialise_dynamodb()
    asl_cache.install()
    moto_json.install()
    mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
    mock.start()
    try:
        reset_clients()
        env = provision(
            # One name for every test process (each has its own moto): the state machines'
            # definitions are then the same text, parsed by one process, loaded by the others
            # (infra/local/asl_cache.py).
            stack_name="tloket",
            parameters={"PublicSiteUrl": SITE_URL, "TimeScale": "0.01"},
        )
        root, base_url = jwks_server
        for pool in (env["LOKET_STAFF_POOL_ID"], env["LOKET_APPLICANT_POOL_ID"]):
            _publish_jwks(root, pool)
        env["LOKET_COGNITO_JWKS_BASE"] = base_url
        env["LOKET_SECURE_COOKIES"] = "0"
        env["LOKET_MALWARE_SCANNER"] = "stand-in"  # moto has no GuardDuty (adapters/malware.py)
        yield env
    finally:
        # Nothing started under this mock may call AWS once it is gone (moto would send it to
        # moto's default port, where another engineer's `make run` may listen).
        isolation.stop_executions()
        isolation.end_test()
        mock.stop()
        reset_clients()


@pytest.fixture
def aws(moto_stack: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Every Loket resource in moto (Step Functions executing), with the app's settings set.

    Yields the app's environment (LOKET_* settings); the stack is shared by the tests of this
    process and emptied after each (executions stopped, their threads cut off, data wiped)."""
    reset_clients()
    for key, value in moto_stack.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    try:
        yield dict(moto_stack)
    finally:
        isolation.stop_executions()
        isolation.end_test()
        isolation.wipe()
        reset_settings()
        reset_clients()


@pytest.fixture
def fakes() -> Iterator[Any]:
    """Every port (chalicelib/adapters/ports.py) on a new in-memory fake of tests/fakes/, with the
    app's settings set (names only). Yields the fakes (`tests.fakes.Fakes`) to look into."""
    from tests.fakes import install

    with install() as installed:
        yield installed


# How long moto's execution threads and the worker may take to act on a busy 2-core machine (CI
# runs two test sessions side by side). A poll returns as soon as its condition holds, so a
# generous figure costs nothing when all is well; it only bounds how long a failure takes.


def sop_seconds(standard_minutes: float) -> float:
    """Wall-clock seconds that `standard_minutes` of SOP time last at the current LOKET_TIME_SCALE
    (seconds per standard minute; the engine's timers use the same figure)."""
    from chalicelib.settings import get_settings

    return standard_minutes * get_settings().time_scale


def due_within(standard_minutes: float = 0.0) -> float:
    """A deadline in seconds for something due after `standard_minutes` of SOP time: that time
    at the current scale plus SLACK_SECONDS."""
    return sop_seconds(standard_minutes) + SLACK_SECONDS


def wait_for(check: Callable[[], Any], timeout: float = SLACK_SECONDS, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy (executions run on moto's threads);
    AssertionError after `timeout` seconds. Returns what `check` returned."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {check.__name__}")
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


@pytest.fixture
def applicant(aws: dict[str, str]) -> Callable[..., str]:
    """Make an applicant account and return its id token: `applicant("budi")`."""
    from chalicelib.services import sign_in
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
        # Through Loket's sign-in, as the site signs in: it opens the session the API checks.
        return str(sign_in.applicant(username, "Rahasia123", "127.0.0.1")["id_token"])

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
