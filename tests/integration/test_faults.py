"""Fault injection against the whole stack (adapters/faults.py): with a share of Loket's DynamoDB
calls failing as DynamoDB fails them, botocore retries them, and what still fails is a 503 with
Retry-After (the API, the staff pages) or a message delivered again (the worker), never a 500;
the calls moto makes as AWS itself (Step Functions' own DynamoDB and SQS) are never failed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import aws as aws_clients
from chalicelib.adapters import faults
from chalicelib.errors import Unavailable
from chalicelib.worker import tasks
from tests.forms import sample_form
from tests.helpers import Applicant, Officer, body, busy_once

OFFICE, SERVICE = "kab-pasuruan", "ak1"


@pytest.fixture
def inject(
    aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], faults.Injector]]:
    """`inject("dynamodb:throttle:0.3")` puts faults in force for the clients made from now on;
    botocore's backoff does not wait in these tests (its waits, not its decisions, are cut)."""
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)

    def install(spec: str, seed: int = 2026) -> faults.Injector:
        injector = faults.Injector(faults.parse(spec), seed)
        faults.install(injector)
        return injector

    yield install
    faults.install(None)
    faults.reset()


def _answered_well(response: object) -> bool:
    """Right (2xx or a redirect), or busy: 503 with Retry-After. Never a 500."""
    status = int(response.status_code)  # type: ignore[attr-defined]
    if status == 503:
        return bool(response.headers.get("Retry-After"))  # type: ignore[attr-defined]
    return status < 400


def test_api_calls_under_dynamodb_faults_end_right_or_503_and_are_retried(
    aws, applicant, staff, inject
) -> None:
    from chalicelib.services.catalog import find_service

    entry = find_service(OFFICE, SERVICE)
    assert entry is not None
    token = applicant("rahayu")
    username, password = staff("petugas.faults", f"{OFFICE}.petugas_antar_kerja")
    injector = inject("dynamodb:throttle:0.15,dynamodb:5xx:0.1,dynamodb:timeout:0.05")
    with Client(app) as client:
        person = Applicant(client, token)
        answers = [person.open("faults-0001", office=OFFICE, service=SERVICE) for _click in range(3)]
        case_ids = {body(a)["case_id"] for a in answers if a.status_code in (200, 201)}
        assert len(case_ids) == 1  # three clicks with one Idempotency-Key: one case
        case_id = case_ids.pop()
        listed = []
        for _attempt in range(3):
            answers.append(person.save_form(case_id, sample_form(entry.sop)))
            answers.append(person.get(case_id))
            listed.append(client.http.get("/api/cases", headers=person.headers()))
        answers.append(
            client.http.get("/staff", headers={"Cookie": Officer(client, username, password).cookie})
        )
    assert all(_answered_well(a) for a in answers + listed), [a.status_code for a in answers + listed]
    assert all(len(body(a)["cases"]) == 1 for a in listed if a.status_code == 200)
    assert injector.retries["dynamodb"] > 0
    assert sum(injector.injected[("dynamodb", kind)] for kind in faults.KINDS) > 0
    assert {service for service, _kind in injector.injected} == {"dynamodb"}  # only what the rules name


@pytest.mark.parametrize("kind", faults.KINDS)
def test_dynamodb_failing_for_good_is_503_with_retry_after(aws, applicant, inject, kind) -> None:
    """A write that ends in a read timeout was a 500: PynamoDB's `cause_response_code` raised
    AttributeError on the timeout's `response = None` (aws_errors.condition_failed)."""
    token = applicant("sari")
    injector = inject(f"dynamodb:{kind}:1")
    with Client(app) as client:
        response = Applicant(client, token).open("faults-0002", office=OFFICE, service=SERVICE)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Coba lagi" in body(response)["error"]["message"]
    assert injector.attempts["dynamodb"] == 6 and injector.retries["dynamodb"] == 5


@pytest.mark.parametrize("kind", faults.KINDS)
def test_a_worker_task_whose_dynamodb_fails_is_delivered_again_not_failed(
    aws, inject, monkeypatch, kind
) -> None:
    failed: list[str] = []
    monkeypatch.setattr(tasks.workflow, "fail_task", lambda token, error, cause: failed.append(error))
    inject(f"dynamodb:{kind}:1")
    message = {
        "task": "close_case",
        "outcome": "completed",
        "case_id": "c-faults",
        "office": OFFICE,
        "service": SERVICE,
        "email": "budi@contoh.id",
        "task_token": "tok-faults",
        "entered": "2026-11-22T10:00:00.000Z",
    }
    with pytest.raises(Unavailable):  # raised again for SQS: delivered again later, not stuck
        tasks.handle(json.loads(json.dumps(message)))
    assert failed == []


def test_only_lokets_own_clients_get_faults(aws, inject) -> None:
    """moto's Step Functions interpreter makes its own boto3 clients (AWS calling AWS): a client not
    made by adapters/aws.py or PynamoDB is never failed, whatever the rates."""
    injector = inject("*:throttle:1")
    outside = boto3.client("dynamodb", region_name="ap-southeast-3")
    assert aws["LOKET_TABLE"] in outside.list_tables()["TableNames"]
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="ProvisionedThroughputExceeded"):
        aws_clients.client("dynamodb").list_tables()
    assert injector.injected[("dynamodb", "throttle")] == 6


def test_a_resubmission_heard_before_its_status_failed_is_taken_on_the_next_press(
    aws, applicant, staff, monkeypatch
) -> None:
    """`make chaos`: the applicant's resubmission reached Step Functions, then the case's status
    change failed (503). Every press after it answered 409 "sedang diproses" and the status stayed
    "returned" while the office worked on the file again. Now the next press changes the status."""
    import requests

    from chalicelib.services import cases
    from chalicelib.settings import reset_settings
    from tests.deadlines import REQUEST_SECONDS
    from tests.walker import JPEG, Walk

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: nothing times out meanwhile
    reset_settings()
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE)
        case_id = walk.file()
        item = walk.next_item()
        assert item is not None and item.step == "05"
        officer = walk.officer("petugas_antar_kerja")
        returned = officer.decide(case_id, item.SK, "return", "Foto KTP buram.", items=("ktp",))
        assert "pesan=" in returned.headers["Location"]
        waiting = walk.next_item()
        assert waiting is not None and waiting.role == "pemohon"
        slot = body(walk.applicant.slot(case_id, "ktp", "image/jpeg"))
        requests.post(slot["url"], data=slot["fields"], files={"file": ("f", JPEG)}, timeout=REQUEST_SECONDS)
        assert walk.applicant.confirm(case_id, slot["key"], "ktp").status_code == 200

        busy_once(monkeypatch, cases, "change_case")
        assert walk.applicant.submit(case_id).status_code == 503  # heard, then the status failed
        again = walk.applicant.submit(case_id)  # the person presses again
        assert again.status_code == 200 and body(again)["status"] == "submitted", again.body
        back = walk.next_item()
        assert back is not None and (back.step, back.role) == ("05", "petugas_antar_kerja")


def test_a_submission_whose_audit_event_failed_after_its_status_is_completed_by_the_next_press(
    aws, applicant, staff, monkeypatch
) -> None:
    """A press whose status change landed, then its audit event failed (DynamoDB busy: 503). The
    next press found the case submitted and wrote neither the event nor the day's intake count:
    the trail had no submission and the office's evaluation one case short, silently. Now every
    press that finds the case submitted writes both, once each (a fixed key; the count's marker)."""
    from chalicelib.adapters import audit_log
    from chalicelib.adapters import tallies as tally_items
    from chalicelib.adapters.case_store import cases as case_store
    from chalicelib.domain.clock import parse
    from chalicelib.services import tallies
    from chalicelib.settings import reset_settings
    from tests.walker import Walk

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: nothing times out meanwhile
    reset_settings()
    busy_once(monkeypatch, audit_log.DynamoAuditLog, "add", lambda log, event: event.action == "submitted")
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE)
        case_id = walk.file(submit=False)
        walk.pump()  # the upload checks
        first = walk.applicant.submit(case_id)
        assert first.status_code == 503 and first.headers["Retry-After"], first.body
        for _press in range(2):  # the person presses again, and once more
            again = walk.applicant.submit(case_id)
            assert again.status_code == 200 and body(again)["status"] == "submitted", again.body
    case = case_store().get(case_id)
    submitted = [e for e in audit_log.events().trail(case_id) if e.action == "submitted"]
    assert [e.at for e in submitted] == [case.submitted_at]
    day = tallies.day_of(parse(case.submitted_at))
    intake = [
        d["counters"].get("case|in") for d in tally_items.days(OFFICE, day, day) if d["service"] == SERVICE
    ]
    assert intake == [1.0]
