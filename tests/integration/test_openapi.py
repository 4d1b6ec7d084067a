"""docs/openapi.yaml is the public API as the app serves it, and no request to it gets a 5xx.

Two checks: every Chalice route under /api and /health is in the spec with the same methods (and
the spec has nothing else), and schemathesis (its `st run` command, pinned in requirements-dev.txt)
fuzzes every operation against the app served by `chalice local`'s server in a thread of this
process, with moto behind it and a real applicant token, asserting that no response is a server
error. The run is bounded (examples per operation and a time budget) and seeded, so it is the
same run every time; `LOKET_FUZZ_SEED=<n>`, `LOKET_FUZZ_EXAMPLES=<n>` or `LOKET_FUZZ_CHECKS=all`
explore further by hand:

    LOKET_FUZZ_SEED=7 LOKET_FUZZ_EXAMPLES=100 .venv/bin/python -m pytest tests/integration/test_openapi.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from chalice.config import Config
from chalice.local import LocalDevServer
from chalice.test import Client

from app import app
from tests.deadlines import REQUEST_SECONDS
from tests.helpers import PDF, Applicant, body

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "openapi.yaml"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
PUBLIC = re.compile(r"^/(api/|health$)")

# Bounded by examples: at most this many per operation in the fuzzing phase (the examples and
# coverage phases send what the spec's examples and boundaries give, a fixed set).
MAX_EXAMPLES = int(os.environ.get("LOKET_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("LOKET_FUZZ_SEED", "20261124"))
# More checks can be asked for by hand, e.g. LOKET_FUZZ_CHECKS=all (the spec's answers and schemas).
CHECKS = os.environ.get("LOKET_FUZZ_CHECKS", "not_a_server_error")
# A time budget makes schemathesis repeat fuzzing until it is spent: only for runs by hand.
BUDGET = os.environ.get("LOKET_FUZZ_SECONDS")


def spec() -> dict[str, Any]:
    return dict(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def app_routes() -> dict[str, set[str]]:
    """Every public route of the Chalice app (path -> methods, lower case)."""
    return {
        path: {method.lower() for method in methods}
        for path, methods in app.routes.items()
        if PUBLIC.match(path)
    }


def spec_routes() -> dict[str, set[str]]:
    return {path: set(item) & METHODS for path, item in spec()["paths"].items()}


def test_every_public_route_is_in_the_spec_and_nothing_else() -> None:
    served, described = app_routes(), spec_routes()
    assert served, "the app serves no public route?"
    assert set(described) - set(served) == set(), "the spec describes paths the app does not serve"
    assert set(served) - set(described) == set(), "routes missing from docs/openapi.yaml"
    for path, methods in served.items():
        assert described[path] == methods, f"{path}: app {sorted(methods)}, spec {sorted(described[path])}"


def test_spec_is_valid_openapi_3_1_and_path_parameters_match() -> None:
    from openapi_spec_validator import validate

    document = spec()
    assert document["openapi"].startswith("3.1")
    validate(document)
    for path, item in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method in set(item) & METHODS:
            declared = {
                p.get("name") or p["$ref"].rsplit("/", 1)[-1]
                for p in [*item.get("parameters", []), *item[method].get("parameters", [])]
            }
            resolved = {
                document["components"]["parameters"][n]["name"]
                if n in document["components"].get("parameters", {})
                else n
                for n in declared
            }
            assert names <= resolved, (
                f"{method.upper()} {path}: path parameters {names - resolved} undeclared"
            )


def test_signed_in_operations_need_the_applicant_token_and_the_others_do_not() -> None:
    document = spec()
    assert document["security"] == [{"applicantToken": []}]
    scheme = document["components"]["securitySchemes"]["applicantToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for path, item in document["paths"].items():
        for method in set(item) & METHODS:
            anonymous = item[method].get("security") == []
            signed_in = path.startswith("/api/cases") or path in (
                "/api/account/signout",
                "/api/account/profile",
            )
            assert anonymous == (not signed_in), f"{method.upper()} {path}"


@pytest.fixture
def served(aws: dict[str, str]) -> Iterator[str]:
    """The app behind chalice local's HTTP server on a free loopback port, in a thread of this process
    (so moto, patched into this process, answers its AWS calls)."""
    server = LocalDevServer(app, Config(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.shutdown()
        server.server.server_close()
        thread.join(timeout=REQUEST_SECONDS)


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_fuzzing_the_public_api_finds_no_server_error(served: str, applicant, tmp_path: Path) -> None:
    """schemathesis' examples, coverage and fuzzing phases, positive and negative data, signed in
    as a real applicant; path ids are drawn half of the time from that applicant's own AK-1 case
    (with one document uploaded), so the case routes are fuzzed past "not found" too."""
    token = applicant("fuzz.pencaker")
    with Client(app) as client:
        budi = Applicant(client, token)
        opened = budi.open("fuzz-case-0001", service="ak1")
        assert opened.status_code == 201, opened.body
        case_id = body(opened)["case_id"]
        slot = budi.slot(case_id, document="ijazah_terakhir")
        assert slot.status_code == 200, slot.body
        import requests

        post = body(slot)
        sent = requests.post(
            post["url"], data=post["fields"], files={"file": ("ijazah.pdf", PDF)}, timeout=REQUEST_SECONDS
        )
        assert sent.status_code in (200, 204)
        assert budi.confirm(case_id, post["key"], "ijazah_terakhir").status_code == 200

    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "\n".join(
            [
                f"base-url = {_toml(served)}",
                "workers = 1",
                "[headers]",
                f"Authorization = {_toml('Bearer ' + token)}",
                "[dictionaries.cases]",
                f"values = [{_toml(case_id)}]",
                "[dictionaries.documents]",
                'values = ["ktp", "ijazah_terakhir", "pas_foto"]',
                "[parameters]",
                '"path.case_id" = { dictionary = "cases", probability = 0.5 }',
                '"path.document" = { dictionary = "documents", probability = 0.5 }',
                # Wrong methods are tried too, but not TRACE: chalice local's server (Python's
                # http.server) has no handler for it and answers 501 itself; API Gateway refuses it.
                "[phases.coverage]",
                'unexpected-methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]',
                "",
            ]
        ),
        encoding="utf-8",
    )
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        str(SPEC),
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--mode",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        "--no-color",
        "--output-truncate",
        "false",
        *(["--max-time", BUDGET] if BUDGET else []),
    ]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=int(BUDGET or 0) + 300, cwd=tmp_path, check=False
    )
    report = run.stdout + run.stderr
    print(report)  # shown with -s or -rP: what was tested, by phase
    assert run.returncode == 0, f"schemathesis found server errors (exit {run.returncode}):\n{report}"
    tested = re.search(r"(\d+) generated, (\d+) passed", report)
    assert tested and int(tested.group(1)) >= 100 and tested.group(1) == tested.group(2), report
