"""Nothing lost, nothing silent (issue 11): the case `make chaos` lost at 35 % faults, reproduced.

A staff decision's SendTaskSuccess fails for good and its compensation fails too (DynamoDB failing
as well): the work item stays answered with the decision kept on it, while Step Functions still
waits. A second click on the item, or the operator's desk ("Kirim ulang keputusan"), sends the
kept decision again, once; the case goes on with exactly one next work item and one decision in
its trail. A decision Step Functions heard already is never sent twice, and one whose task has
ended is void, in Indonesian, never a 5xx. The compiled machines retry their own AWS calls."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from chalice.test import Client

from app import app
from chalicelib.adapters import executions, faults, workflow
from chalicelib.adapters.models import Case, OfficeEvent, WorkItem
from chalicelib.services import audit, delivery
from tests.conftest import wait_for
from tests.helpers import OFFICE, Applicant, Officer, body

ROLE = "petugas_antar_kerja"


@pytest.fixture
def client(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from botocore.retries.standard import ExponentialBackoff

    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: no step times out meanwhile
    reset_settings()
    # botocore's backoff does not wait while faults are in force (its decisions are kept).
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    with Client(app) as c:
        yield c
    faults.install(None)
    faults.reset()


@pytest.fixture
def officer(client, staff) -> Officer:
    return Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))


@pytest.fixture
def admin(client, staff) -> Officer:
    return Officer(client, *staff(f"{OFFICE}.admin", f"{OFFICE}.admin"))


def _items(case_id: str) -> list[WorkItem]:
    found = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    return [i for i in found if isinstance(i, WorkItem)]


def _open(case_id: str) -> list[WorkItem]:
    return [i for i in _items(case_id) if i.status == "open"]


def _case(case_id: str) -> Case:
    return Case.get(*Case.key(case_id), consistent_read=True)


def _at_the_staff_step(client: Client, token: str, key: str = "hilang-0001") -> WorkItem:
    """A wiring-check case submitted: its execution waits on step 2's work item."""
    applicant = Applicant(client, token)
    case_id = body(applicant.open(key=key))["case_id"]
    assert applicant.confirm(case_id, applicant.upload(case_id)).status_code == 200
    assert applicant.submit(case_id).status_code == 200
    return wait_for(lambda: [i for i in _open(case_id) if i.step == "02"])[0]


def _lost(monkeypatch: pytest.MonkeyPatch, heard_first: bool = False) -> list[int]:
    """The chaos case: the next SendTaskSuccess fails for good (unreachable; or, `heard_first`,
    its answer lost after Step Functions took it) and from that moment every DynamoDB call of
    Loket fails (a 500, five retries), so the compensation fails too. Returns the call count."""
    real = workflow.answer_task
    calls: list[int] = []

    def failing(token: str, output: dict[str, Any]) -> None:
        calls.append(1)
        if len(calls) > 1:
            return real(token, output)
        faults.install(faults.Injector(faults.parse("dynamodb:5xx:1"), 2026))
        if heard_first:
            real(token, output)
            raise ReadTimeoutError(endpoint_url="https://states.ap-southeast-3.amazonaws.com")
        raise EndpointConnectionError(endpoint_url="https://states.ap-southeast-3.amazonaws.com")

    monkeypatch.setattr(workflow, "answer_task", failing)
    return calls


def _mended() -> None:
    """DynamoDB answers again."""
    faults.install(None)


def _said(response: Any) -> tuple[str, str]:
    """("pesan" | "galat", the sentence) of a staff form's redirect."""
    assert response.status_code == 303, (response.status_code, response.body[:1500])
    location = unquote(response.headers["Location"])
    for kind in ("pesan", "galat"):
        if f"{kind}=" in location:
            return kind, location.split(f"{kind}=", 1)[1].split("#", 1)[0].split("&", 1)[0]
    raise AssertionError(location)


def _actions(case_id: str) -> list[str]:
    return [e.action for e in audit.trail(case_id)]


def _worker_messages(aws: dict[str, str], case_id: str) -> list[dict[str, Any]]:
    """Every message of the case's steps in the worker queue, taken off it (the receipt too,
    unsent: issue 13's receipt is not what these tests are about)."""
    sqs = boto3.client("sqs")
    url = aws["LOKET_WORKER_QUEUE_URL"]
    taken: list[dict[str, Any]] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            parsed = json.loads(message["Body"])
            if parsed.get("case_id") == case_id and parsed.get("task") != "send_receipt":
                taken.append(parsed)  # the steps' messages, not the receipt queued at submit
    return taken


def _handle(client: Client, message: dict[str, Any]) -> None:
    client.lambda_.invoke(
        "worker",
        client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=[json.dumps(message)]),
    )


def _until_completed(client: Client, aws: dict[str, str], case_id: str) -> None:
    """The worker does the rest of the case's tasks (the email, closing) until it is completed."""

    def completed() -> bool:
        for message in _worker_messages(aws, case_id):
            _handle(client, message)
        return _case(case_id).status == "completed"

    wait_for(completed)


def _end_execution(item: WorkItem) -> None:
    """The item's execution ends while the decision is kept (moto cannot stop an execution that
    waits on a token, so the task is failed): nobody waits for the token any more."""
    sfn = boto3.client("stepfunctions")
    arn = _case(item.case_id).execution_arn
    sfn.send_task_failure(taskToken=item.task_token, error="Uji.Berhenti", cause="alur dihentikan")
    wait_for(lambda: sfn.describe_execution(executionArn=arn)["status"] == "FAILED")


def _kept(item: WorkItem) -> WorkItem:
    """The item as the failed decision left it: answered, its decision kept, undelivered."""
    kept = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert kept.status == "answered" and kept.delivered_at is None
    assert kept.pending_output and kept.pending_output["decision"] == "approve"
    assert WorkItem.undelivered(OFFICE) == kept.GSI1PK
    return kept


def _request_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if SEND_LEASE_SECONDS had passed since the decision: the request that took it is over."""
    monkeypatch.setattr(delivery, "SEND_LEASE_SECONDS", 0)


# --- the chaos case -------------------------------------------------------------------------------


def test_a_decision_neither_heard_nor_taken_back_is_sent_by_the_next_click(
    client, aws, applicant, officer, monkeypatch
) -> None:
    item = _at_the_staff_step(client, applicant("budi"))
    _lost(monkeypatch)
    first = officer.decide(item.case_id, item.SK, "approve", "lengkap")
    _mended()
    assert first.status_code == 503 and first.headers.get("Retry-After")  # busy, not a 500
    kept = _kept(item)
    assert kept.pending_output["by"] == "petugas1" and kept.pending_output["note"] == "lengkap"
    assert item.case_id not in officer.inbox()  # out of the queue: decided, just not heard
    assert _actions(item.case_id) == ["submitted", "approve"]  # the compensation could not run
    case = _case(item.case_id)
    sfn = boto3.client("stepfunctions")
    assert sfn.describe_execution(executionArn=case.execution_arn)["status"] == "RUNNING"
    assert _worker_messages(aws, item.case_id) == []  # Step Functions still waits on step 2

    # Pressed again at once, the first request could still be delivering it: already decided.
    kind, text = _said(officer.decide(item.case_id, item.SK, "return", "salah tekan"))
    assert kind == "galat" and "sudah diputuskan" in text
    assert _kept(item).pending_output["decision"] == "approve"
    # Once that request is over (SEND_LEASE_SECONDS after the decision), the officer presses
    # again (any decision: the one taken is what is sent).
    _request_over(monkeypatch)
    again = officer.decide(item.case_id, item.SK, "return", "salah tekan")
    kind, text = _said(again)
    assert (
        kind == "pesan" and "'disetujui' oleh petugas1" in text and "dikirim ulang ke mesin alur" in text
    ), text
    delivered = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert delivered.delivered_at and delivered.pending_output is None and delivered.GSI1PK is None
    assert delivered.decision == "approve"

    # The case moves on: exactly one next piece of work (step 3's email), then it completes.
    (message,) = wait_for(lambda: _worker_messages(aws, item.case_id))
    assert (message["task"], message["step"]) == ("send_email", "03")
    _handle(client, message)
    _until_completed(client, aws, item.case_id)
    assert [i.step for i in _items(item.case_id)] == ["02"] and _open(item.case_id) == []
    trail = audit.trail(item.case_id)
    assert [e.action for e in trail].count("approve") == 1  # one decision
    (resent,) = [e for e in trail if e.action == delivery.RESENT]
    assert (resent.actor, resent.role, resent.step) == ("petugas1", ROLE, "02")
    assert resent.details == {
        "decision": "approve",
        "decided_by": "petugas1",
        "decided_at": kept.answered_at,
        "via": "langkah",
    }
    # A third click: the item is answered and heard, as before this change.
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert kind == "galat" and "sudah diputuskan" in text


def test_the_desk_lists_an_undelivered_decision_and_sends_it_once(
    client, aws, applicant, officer, admin, staff, monkeypatch
) -> None:
    item = _at_the_staff_step(client, applicant("budi"))
    _lost(monkeypatch)
    assert officer.decide(item.case_id, item.SK, "approve", "lengkap").status_code == 503
    _mended()
    _kept(item)

    page = admin.client.http.get("/staff/admin/desk", headers={"Cookie": admin.cookie}).body.decode()
    assert "Tidak ada keputusan kantor ini yang belum terkirim ke mesin alur." in page  # not yet a minute
    monkeypatch.setattr(delivery, "SEND_LEASE_SECONDS", 0)
    page = admin.client.http.get("/staff/admin/desk", headers={"Cookie": admin.cookie}).body.decode()
    section = page.split('id="keputusan"', 1)[1].split("</section>", 1)[0]
    assert "Keputusan belum terkirim ke mesin alur" in section and item.case_id in section
    assert "keputusan <strong>disetujui</strong> oleh petugas1" in section
    assert "Langkah 2 · " in section and "Kirim ulang keputusan" in section
    assert "budi@contoh.id" not in page  # no personal data on the desk
    assert "<strong>1</strong>keputusan belum terkirim" in page
    other = Officer(client, *staff("kota-tangerang.admin", "kota-tangerang.admin"))
    theirs = other.client.http.get("/staff/admin/desk", headers={"Cookie": other.cookie}).body.decode()
    assert item.case_id not in theirs

    # Another office's administrator cannot send it; a forged item key is not found.
    refused = other.post(
        "/staff/admin/desk/resend", kantor="kota-tangerang", case_id=item.case_id, item=item.SK
    )
    assert _said(refused) == ("galat", "Berkas tidak ditemukan di kantor ini.")
    forged = admin.post("/staff/admin/desk/resend", kantor=OFFICE, case_id=item.case_id, item="WORK#99#x")
    assert _said(forged)[0] == "galat"
    assert _kept(item)

    kind, text = _said(
        admin.post("/staff/admin/desk/resend", kantor=OFFICE, case_id=item.case_id, item=item.SK)
    )
    assert kind == "pesan" and "dikirim ulang ke mesin alur" in text, text
    kind, text = _said(
        admin.post("/staff/admin/desk/resend", kantor=OFFICE, case_id=item.case_id, item=item.SK)
    )
    assert (kind, text) == ("pesan", delivery.HEARD)  # the second click sends nothing
    (message,) = wait_for(lambda: _worker_messages(aws, item.case_id))
    assert message["step"] == "03"
    resent = [e for e in audit.trail(item.case_id) if e.action == delivery.RESENT]
    assert [(e.actor, e.role, (e.details or {}).get("via")) for e in resent] == [
        (f"{OFFICE}.admin", "admin", "meja operator")
    ]
    logged = OfficeEvent.query(OfficeEvent.partition(OFFICE), OfficeEvent.SK.startswith(OfficeEvent.PREFIX))
    assert [(e.action, e.subject) for e in logged if isinstance(e, OfficeEvent)] == [
        ("decision_resent", item.case_id)
    ]
    page = admin.client.http.get("/staff/admin/desk", headers={"Cookie": admin.cookie}).body.decode()
    assert "Tidak ada keputusan kantor ini yang belum terkirim" in page
    assert "Keputusan dikirim ulang ke mesin alur" in page  # the desk's log
    _handle(client, message)
    _until_completed(client, aws, item.case_id)
    assert _actions(item.case_id).count("approve") == 1


# --- heard already, or gone: never twice, never a 5xx --------------------------------------------


def test_a_decision_heard_before_its_answer_was_lost_is_not_sent_again(
    client, aws, applicant, officer, admin, monkeypatch
) -> None:
    """SendTaskSuccess reached Step Functions, its answer did not come back, and the compensation
    failed: the item stays kept though the execution moved on. The next click, and the desk, find
    the decision in the execution's history: marked delivered, nothing sent, nothing undone."""
    item = _at_the_staff_step(client, applicant("budi"))
    calls = _lost(monkeypatch, heard_first=True)
    assert officer.decide(item.case_id, item.SK, "approve").status_code == 503
    _mended()
    _kept(item)
    (message,) = wait_for(lambda: _worker_messages(aws, item.case_id))  # Step Functions went on
    assert message["step"] == "03"

    _request_over(monkeypatch)
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert (kind, text) == ("pesan", delivery.HEARD)
    assert len(calls) == 1  # the token was not sent again
    assert WorkItem.get(item.PK, item.SK, consistent_read=True).delivered_at
    assert delivery.RESENT not in _actions(item.case_id) and _actions(item.case_id).count("approve") == 1
    assert _case(item.case_id).officers["02"].username == "petugas1"  # the decision stands on the case
    kind, text = _said(
        admin.post("/staff/admin/desk/resend", kantor=OFFICE, case_id=item.case_id, item=item.SK)
    )
    assert (kind, text) == ("pesan", delivery.HEARD)
    _handle(client, message)
    _until_completed(client, aws, item.case_id)


def test_a_token_used_up_by_the_decision_itself_is_delivered_not_taken_back(
    client, aws, applicant, officer, monkeypatch
) -> None:
    """A retry of SendTaskSuccess whose first attempt was heard gets TaskTimedOut from AWS: the
    execution's history shows the decision, so it stands (before, it was taken back and undone
    on the case while Step Functions went on with it)."""
    item = _at_the_staff_step(client, applicant("budi"))
    real = workflow.answer_task

    def heard_then_gone(token: str, output: dict[str, Any]) -> None:
        real(token, output)
        raise workflow.TaskGone("tugas ini sudah tidak menunggu keputusan")

    monkeypatch.setattr(workflow, "answer_task", heard_then_gone)
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert (kind, text) == ("pesan", "Keputusan tersimpan.")
    done = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert done.status == "answered" and done.delivered_at and done.pending_output is None
    assert _case(item.case_id).officers["02"].username == "petugas1"
    assert _actions(item.case_id) == ["submitted", "approve"]
    assert [m["step"] for m in wait_for(lambda: _worker_messages(aws, item.case_id))] == ["03"]


def test_a_kept_decision_whose_task_ended_is_void_in_words_not_a_5xx(
    client, aws, applicant, officer, admin, monkeypatch
) -> None:
    item = _at_the_staff_step(client, applicant("budi"))
    _lost(monkeypatch)
    assert officer.decide(item.case_id, item.SK, "approve").status_code == 503
    _mended()
    _kept(item)
    _end_execution(item)

    _request_over(monkeypatch)
    response = officer.decide(item.case_id, item.SK, "approve")
    kind, text = _said(response)
    assert kind == "galat" and "sudah tidak menunggu keputusan" in text and "batal" in text, text
    void = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert void.status == "expired" and void.pending_output is None and void.GSI1PK is None
    (event,) = [e for e in audit.trail(item.case_id) if e.action == delivery.VOID]
    assert "tidak sampai ke mesin alur" in (event.note or "") and event.actor == "petugas1"
    assert _actions(item.case_id).count("approve") == 1  # the decision stays in the trail, as taken
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert kind == "galat" and "sudah diputuskan" in text  # settled: a second click changes nothing
    monkeypatch.setattr(delivery, "SEND_LEASE_SECONDS", 0)
    page = admin.client.http.get("/staff/admin/desk", headers={"Cookie": admin.cookie}).body.decode()
    assert "Tidak ada keputusan kantor ini yang belum terkirim" in page


def test_the_desk_settles_what_it_need_not_list(client, aws, applicant, officer, admin, monkeypatch) -> None:
    """Reading the desk marks a kept decision Step Functions heard as delivered, and voids one
    whose execution stopped (by `sistem`); neither is listed."""
    heard_item = _at_the_staff_step(client, applicant("budi"), key="hilang-0001")
    _lost(monkeypatch, heard_first=True)
    assert officer.decide(heard_item.case_id, heard_item.SK, "approve").status_code == 503
    _mended()
    monkeypatch.undo()
    stopped = _at_the_staff_step(client, applicant("sari"), key="hilang-0002")
    _lost(monkeypatch)
    assert officer.decide(stopped.case_id, stopped.SK, "approve").status_code == 503
    _mended()
    _end_execution(stopped)
    wait_for(lambda: _worker_messages(aws, heard_item.case_id))

    monkeypatch.setattr(delivery, "SEND_LEASE_SECONDS", 0)
    page = admin.client.http.get("/staff/admin/desk", headers={"Cookie": admin.cookie}).body.decode()
    assert "Tidak ada keputusan kantor ini yang belum terkirim" in page
    assert WorkItem.get(heard_item.PK, heard_item.SK, consistent_read=True).delivered_at
    void = WorkItem.get(stopped.PK, stopped.SK, consistent_read=True)
    assert void.status == "expired"
    assert [(e.actor, e.action) for e in audit.trail(stopped.case_id)][-1] == ("sistem", delivery.VOID)


def test_a_resubmission_neither_heard_nor_taken_back_is_sent_by_the_next_press(
    client, aws, applicant, officer, monkeypatch
) -> None:
    """The applicant's side of the same loss: their resubmission after a return."""
    token = applicant("budi")
    item = _at_the_staff_step(client, token)
    kind, _ = _said(officer.decide(item.case_id, item.SK, "return", "Lampiran buram.", items=("lampiran",)))
    assert kind == "pesan"
    (message,) = wait_for(lambda: _worker_messages(aws, item.case_id))
    _handle(client, message)  # return_to_applicant: the case is returned, the applicant's item waits
    waiting = wait_for(lambda: [i for i in _open(item.case_id) if i.role == "pemohon"])[0]
    person = Applicant(client, token)
    assert person.confirm(item.case_id, person.upload(item.case_id)).status_code == 200

    _lost(monkeypatch)
    first = person.submit(item.case_id)
    _mended()
    assert first.status_code == 503 and first.headers.get("Retry-After")
    kept = WorkItem.get(waiting.PK, waiting.SK, consistent_read=True)
    assert kept.status == "answered" and kept.pending_output and kept.pending_output["decision"] == "resubmit"

    soon = person.submit(item.case_id)  # at once: the first press's request may still be sending it
    assert soon.status_code == 409 and "sedang diproses" in soon.json_body["error"]["message"]
    _request_over(monkeypatch)
    again = person.submit(item.case_id)
    assert again.status_code == 200, again.body
    assert _case(item.case_id).status == "submitted"
    # Step Functions heard it: step 2 is with the office again, as one new work item.
    back = wait_for(lambda: [i for i in _open(item.case_id) if i.step == "02"])
    assert len(back) == 1 and back[0].SK != item.SK
    assert WorkItem.get(waiting.PK, waiting.SK, consistent_read=True).delivered_at


# --- the compiled machines retry their own calls ----------------------------------------------------


@pytest.fixture
def throttle_work_item_puts(monkeypatch) -> Iterator[Callable[[], int]]:
    """moto's DynamoDB refuses the first `n` puts of a work item (Step Functions' own putItem)
    as throttled, as DynamoDB would; returns how many it refused."""
    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
    from moto.dynamodb.models import DynamoDBBackend

    real = DynamoDBBackend.put_item
    refused: list[int] = []

    def put_item(self: Any, table_name: str, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if item_attrs.get("kind") == {"S": "work_item"} and len(refused) < 2:
            refused.append(1)
            raise DynamodbException(
                ERROR_TYPE_PREFIX + "ProvisionedThroughputExceededException", "Throughput exceeds the limit"
            )
        return real(self, table_name, item_attrs, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "put_item", put_item)
    yield lambda: len(refused)


def test_a_throttled_put_of_a_work_item_is_retried_into_one_item(
    client, aws, applicant, throttle_work_item_puts
) -> None:
    item = _at_the_staff_step(client, applicant("budi"))
    assert throttle_work_item_puts() == 2
    assert len(_items(item.case_id)) == 1  # one item, written by the third attempt
    history = boto3.client("stepfunctions").get_execution_history(
        executionArn=_case(item.case_id).execution_arn, maxResults=1000
    )["events"]
    failed = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
    assert failed == ["DynamoDb.ProvisionedThroughputExceededException"] * 2
    # The token Step Functions waits on is the one the item holds: deciding works.
    assert delivery.heard(_case(item.case_id).execution_arn, {"at": "-"}) is False


def test_a_token_gone_is_looked_for_in_a_history_that_shows_the_answer_late(
    client, aws, applicant, officer, monkeypatch
) -> None:
    """moto writes a task's answer into the history on the execution's thread, after answering;
    a test read it before it was there once, and took back a decision Step Functions went on
    with. The history is read again (delivery.HISTORY_SETTLE_SECONDS) before "not heard"."""
    item = _at_the_staff_step(client, applicant("budi"))
    real_answer, real_outputs = workflow.answer_task, executions.task_outputs
    reads: list[int] = []

    def heard_then_gone(token: str, output: dict[str, Any]) -> None:
        real_answer(token, output)
        raise workflow.TaskGone("tugas ini sudah tidak menunggu keputusan")

    def late(arn: str) -> list[dict[str, Any]]:
        reads.append(1)
        return [] if len(reads) == 1 else real_outputs(arn)  # not there yet at the first read

    monkeypatch.setattr(workflow, "answer_task", heard_then_gone)
    monkeypatch.setattr(executions, "task_outputs", late)
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert (kind, text) == ("pesan", "Keputusan tersimpan.")
    assert len(reads) >= 2
    done = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert done.status == "answered" and done.delivered_at


def test_a_decision_the_timer_overtook_is_refused_once_and_the_new_pass_is_decided_once(
    client, aws, applicant, officer, monkeypatch
) -> None:
    """Issue 16: the step's standard time runs out between the decision's transaction and its
    SendTaskSuccess. The engine writes the item again as its overdue pass (the `ONN` put: open,
    flagged, a new token) and AWS answers the old token TaskTimedOut. The officer is told in
    words (never "Keputusan tersimpan"), the audit trail keeps no decision of the lost pass, and
    the item is in the queue once, overdue; deciding that pass is the one decision on record."""
    item = _at_the_staff_step(client, applicant("budi"))
    real_token, real = item.task_token, workflow.answer_task
    overdue_pass = WorkItem.get(item.PK, item.SK, consistent_read=True).serialize()
    overdue_pass.update({"overdue": {"N": "1"}, "task_token": {"S": "the-overdue-pass"}})

    def overtaken(token: str, output: dict[str, Any]) -> None:
        boto3.client("dynamodb").put_item(TableName=aws["LOKET_TABLE"], Item=overdue_pass)
        raise workflow.TaskGone("tugas ini sudah tidak menunggu keputusan")

    monkeypatch.setattr(workflow, "answer_task", overtaken)
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert (kind, text) == ("galat", delivery.GONE)
    assert "approve" not in _actions(item.case_id)
    again = WorkItem.get(item.PK, item.SK, consistent_read=True)
    assert again.status == "open" and again.overdue == 1 and again.pending_output is None
    assert [i.SK for i in _open(item.case_id) if i.step == "02"] == [item.SK]

    # The overdue pass is decided once (its token, here the execution's real one, still waiting).
    monkeypatch.setattr(workflow, "answer_task", real)
    again.update(actions=[WorkItem.task_token.set(real_token)])
    assert _said(officer.decide(item.case_id, item.SK, "approve")) == ("pesan", "Keputusan tersimpan.")
    assert _actions(item.case_id).count("approve") == 1
    kind, text = _said(officer.decide(item.case_id, item.SK, "approve"))
    assert kind == "galat"  # a second click changes nothing
    assert _actions(item.case_id).count("approve") == 1
