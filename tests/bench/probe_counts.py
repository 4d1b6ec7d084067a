"""`make bench`'s counts from real runs under moto: AWS calls per request and per worker task, and
Step Functions state transitions per completed case of every service.

Not a test of `make test` (the file name does not start with `test_`): `python -m infra.bench.report`
runs it explicitly with pytest (so it has the tests' moto stack and fixtures) and reads the JSON it
writes to out/bench/. Calls are counted at botocore's `BaseClient._make_api_call`, so boto3's and
pynamodb's clients alike, and only inside a named phase of this thread: the moto Step Functions
engine's own calls (its threads) are not Loket's and are not counted.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from botocore.client import BaseClient
from chalice.test import Client

from app import app
from chalicelib.adapters.aws import client as aws_client
from chalicelib.adapters.models import Case
from chalicelib.sop.loader import list_offices, list_services
from chalicelib.worker import tasks
from tests.deadlines import REQUEST_SECONDS
from tests.forms import sample_form
from tests.helpers import PDF, body, run_upload_checks
from tests.walker import Walk

OUT = Path(__file__).resolve().parents[2] / "out" / "bench"
_phase = threading.local()
CALLS: dict[str, list[Counter[str]]] = defaultdict(list)


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count this thread's AWS calls under `name` (one sample per use)."""
    _phase.counter = Counter()
    try:
        yield
    finally:
        CALLS[name].append(_phase.counter)
        _phase.counter = None


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> None:
    original = BaseClient._make_api_call

    def counted(self: Any, operation: str, params: Any) -> Any:
        counter = getattr(_phase, "counter", None)
        if counter is not None:
            counter[f"{self.meta.service_model.service_name}.{operation}"] += 1
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    handle = tasks.handle

    def handled(message: dict[str, Any]) -> None:
        with phase(f"worker {message.get('task', '?')}"):
            handle(message)

    monkeypatch.setattr(tasks, "handle", handled)


@pytest.fixture
def real_time(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # no step times out while the walk decides
    reset_settings()


def _summary() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, samples in CALLS.items():
        calls = [sum(c.values()) for c in samples]
        merged: Counter[str] = Counter()
        for c in samples:
            merged.update(c)
        out[name] = {
            "samples": len(samples),
            "max": max(calls),
            "mean": sum(calls) / len(calls),
            "operations": {k: round(v / len(samples), 2) for k, v in merged.most_common()},
        }
    return out


def test_aws_calls_per_request(aws, real_time, applicant, staff, counting) -> None:  # type: ignore[no-untyped-def]
    office, service = "kab-pasuruan", "ak1"
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        person = walk.applicant
        with phase("buka berkas (POST /api/cases)"):
            opened = person.open("bench-0001", office=office, service=service)
        case_id = walk.case_id = str(body(opened)["case_id"])
        with phase("simpan formulir (PUT form)"):
            person.save_form(case_id, sample_form(walk.entry.sop))  # type: ignore[union-attr]
        for document, data, kind in (
            ("ktp", walk_image(), "image/jpeg"),
            ("ijazah_terakhir", PDF, "application/pdf"),
            ("pas_foto", walk_image(), "image/jpeg"),
        ):
            with phase("presign unggahan (POST uploads)"):
                slot = body(person.slot(case_id, document, kind))
            requests.post(
                slot["url"], data=slot["fields"], files={"file": ("f", data, kind)}, timeout=REQUEST_SECONDS
            )
            with phase("konfirmasi unggahan (PUT documents)"):
                confirmed = person.confirm(case_id, slot["key"], document, checked=False)
            assert confirmed.status_code == 200, confirmed.body
            run_upload_checks(client)  # the worker's upload check (counted as its own worker task)
        with phase("ajukan (POST submit)"):
            person.submit(case_id)
        for _ in range(3):
            with phase("status (GET /api/cases/{id})"):
                person.get(case_id)
        while (item := walk.next_item()) is not None:
            officer = walk.officer(item.role)
            with phase("kotak masuk petugas (GET /staff)"):
                officer.inbox()
            with phase("halaman berkas petugas (GET /staff/cases/{id})"):
                officer.case_page(case_id)
            officer.csrf()  # the token the open page carries (read from the inbox, not counted)
            fields = walk.fields_for(item)
            with phase("keputusan petugas (POST /staff/decide)"):
                decided = officer.decide(case_id, item.SK, "approve", fields=fields)
            assert "pesan=" in decided.headers.get("Location", ""), decided.headers
        assert Case.get(*Case.key(case_id), consistent_read=True).status == "completed"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "aws_calls.json").write_text(json.dumps(_summary(), indent=2, ensure_ascii=False))


def walk_image() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 150, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


SERVICES = [(o, s) for o in list_offices() for s in list_services(o)]
TRANSITIONS: dict[str, dict[str, Any]] = {}


@pytest.mark.parametrize(("office", "service"), SERVICES)
def test_transitions_per_case(aws, real_time, applicant, staff, office, service) -> None:  # type: ignore[no-untyped-def]
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, office, service)
        walk.file()
        assert walk.run() == "completed"
    sop = walk.entry.sop  # type: ignore[union-attr]
    arn = Case.get(*Case.key(walk.case_id), consistent_read=True).execution_arn
    sfn = aws_client("stepfunctions")
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
    while True:
        page = sfn.get_execution_history(**kwargs)
        events += page["events"]
        if not page.get("nextToken"):
            break
        kwargs["nextToken"] = page["nextToken"]
    entered = Counter(e["type"] for e in events if e["type"].endswith("StateEntered"))
    record = {
        "steps": len(sop.process_steps),
        "transitions": sum(entered.values()),
        "by_type": dict(entered),
        "mails": len(walk.mails()),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "transitions.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known[f"{office}/{service}"] = record
    path.write_text(json.dumps(known, indent=2, ensure_ascii=False))
