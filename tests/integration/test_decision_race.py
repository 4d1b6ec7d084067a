"""A decision is one transaction: of many concurrent approvals of one work item exactly one
stands, and the case holds exactly what Step Functions received (issue 10)."""

from __future__ import annotations

import json
import threading
from typing import Any

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, Case, UniqueValue, WorkItem
from chalicelib.errors import Conflict, LoketError
from chalicelib.services import work
from chalicelib.services.work import ALREADY
from tests.walker import Walk

OFFICE, SERVICE = "kab-pasuruan", "validasi-tka"
RECORD_STEP = "06"  # the staf records the payment: date, journal number (unique, TKA Daerah), amount
RACERS = 20


@pytest.fixture
def client(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: nothing times out mid-race
    reset_settings()
    with Client(app) as c:
        yield c


def _at_record_step(walk: Walk) -> WorkItem:
    """File the case and take it, deciding as the SOP's roles do, to the step that records."""
    walk.file()
    for _ in range(10):
        item = walk.next_item()
        assert item is not None, "the case ended before its recording step"
        if item.step == RECORD_STEP:
            return item
        walk.act(item, "approve")
    raise AssertionError("the recording step never came")


def _fields(i: int) -> dict[str, str]:
    return {"tanggal_pembayaran": "2026-11-02", "nomor_jurnal": f"JRN-{i:04d}", "nominal": f"{1000 + i}"}


def _step_functions_heard(case: Case, step: str) -> dict[str, Any]:
    """The output of the task the decision answered, as the execution's history has it."""
    history = boto3.client("stepfunctions").get_execution_history(executionArn=case.execution_arn)
    for event in history["events"]:
        details = event.get("taskSucceededEventDetails") or {}
        output = json.loads(details.get("output") or "{}")
        if output.get("records", {}).get("nomor_jurnal"):
            return dict(output)
    raise AssertionError(f"Step Functions heard no decision of step {step}")


def test_concurrent_approvals_one_stands_and_the_case_holds_what_step_functions_heard(
    client, aws, applicant, staff
) -> None:
    walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE)
    item = _at_record_step(walk)
    officer = Principal(sub="staf", username="kab-pasuruan.staf.walk", groups=("kab-pasuruan.staf",))
    start = threading.Barrier(RACERS)
    won: list[int] = []
    refused: list[LoketError] = []
    broken: list[BaseException] = []

    def approve(i: int) -> None:
        start.wait()
        try:
            work.decide(officer, item.case_id, item.SK, work.Decision("approve", fields=_fields(i)))
            won.append(i)
        except LoketError as exc:
            refused.append(exc)
        except BaseException as exc:  # a 500 on the page
            broken.append(exc)

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not broken, broken
    assert len(won) == 1, f"{len(won)} approvals stood; refused: {sorted({e.message for e in refused})}"
    assert len(refused) == RACERS - 1
    assert all(isinstance(e, Conflict) and e.status == 409 for e in refused)
    assert {e.message for e in refused} == {ALREADY}
    winner = _fields(won[0])
    case = Case.get(*Case.key(item.case_id), consistent_read=True)
    recorded = case.records[RECORD_STEP]
    assert recorded["nomor_jurnal"] == winner["nomor_jurnal"]
    heard = _step_functions_heard(case, RECORD_STEP)
    assert heard["records"] == recorded
    assert case.officers[RECORD_STEP].username == officer.username
    # One audit event of the decision, and the winner's journal number is the only one claimed.
    events = [
        e
        for e in AuditEvent.query(f"CASE#{item.case_id}", AuditEvent.SK.startswith("AUDIT#"))
        if isinstance(e, AuditEvent) and e.step == RECORD_STEP and e.action == "approve"
    ]
    assert len(events) == 1 and events[0].details["records"] == recorded
    claimed = [i for i in range(RACERS) if _unique_holder(f"JRN-{i:04d}") is not None]
    assert claimed == won
    assert WorkItem.get(item.PK, item.SK, consistent_read=True).status == "answered"


def _unique_holder(number: str) -> str | None:
    pk, sk = UniqueValue.key(OFFICE, SERVICE, "nomor_jurnal", number)
    try:
        return str(UniqueValue.get(pk, sk, consistent_read=True).case_id)
    except UniqueValue.DoesNotExist:
        return None


def test_a_second_click_on_the_page_reads_already_decided(client, aws, applicant, staff) -> None:
    walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE)
    item = _at_record_step(walk)
    officer = walk.officer(item.role)
    first = officer.decide(item.case_id, item.SK, "approve", fields=_fields(1))
    assert "pesan=" in first.headers["Location"]
    second = officer.decide(item.case_id, item.SK, "approve", fields=_fields(2))
    assert second.status_code == 303 and "galat=" in second.headers["Location"]
    assert "sudah%20diputuskan" in second.headers["Location"]
    case = Case.get(*Case.key(item.case_id), consistent_read=True)
    assert case.records[RECORD_STEP]["nomor_jurnal"] == "JRN-0001"
    assert _unique_holder("JRN-0002") is None
