"""The operator's desk (issue 11): stuck cases, dead-lettered worker messages and failed executions
of one office, with the error in words, and the actions that free them: retry a message, redrive
the office's messages, restart a case from a named step. Office isolation, second clicks, CSRF."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import workflow
from chalicelib.adapters.models import AuditEvent, Case, OfficeEvent, WorkItem
from chalicelib.errors import NotFound
from chalicelib.services import audit
from chalicelib.worker import tasks
from tests.conftest import wait_for
from tests.helpers import OFFICE, Applicant, Officer, body

OTHER = "kota-tangerang"
SLICE_TITLE = "Uji sambungan layanan"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


@pytest.fixture
def admin(client, staff) -> Officer:
    return Officer(client, *staff(f"{OFFICE}.admin", f"{OFFICE}.admin"))


@pytest.fixture
def officer_login(staff) -> tuple[str, str]:
    return staff("petugas1", f"{OFFICE}.petugas_antar_kerja")


# --- getting a case to where the desk is needed ---------------------------------------------------


def _queue(role: str = "petugas_antar_kerja", office: str = OFFICE) -> list[WorkItem]:
    return [i for i in WorkItem.role_queue.query(WorkItem.queue(office, role)) if isinstance(i, WorkItem)]


def _open_items(case_id: str) -> list[WorkItem]:
    items = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    return [i for i in items if isinstance(i, WorkItem) and i.status == "open"]


def _case(case_id: str) -> Case:
    return Case.get(*Case.key(case_id), consistent_read=True)


def _to_the_email_step(client: Client, token: str, officer: tuple[str, str], key: str = "form-0001") -> str:
    """A wiring-check case submitted and approved: its execution now sends the email step to the worker."""
    applicant = Applicant(client, token)
    case_id = body(applicant.open(key=key))["case_id"]
    assert applicant.confirm(case_id, applicant.upload(case_id)).status_code == 200
    assert applicant.submit(case_id).status_code == 200
    # The receipt queued at submit (issue 13) is sent first: these tests are about the steps' tasks.
    receipt = _worker_message(
        {"LOKET_WORKER_QUEUE_URL": os.environ["LOKET_WORKER_QUEUE_URL"]}, case_id, "send_receipt"
    )
    _handle(client, receipt["Body"])
    item = wait_for(lambda: [i for i in _open_items(case_id) if i.step == "02"])[0]
    decided = Officer(client, *officer).decide(case_id, item.SK, "approve", "lengkap")
    assert "pesan=" in decided.headers["Location"], decided.headers["Location"]
    return case_id


def _worker_message(aws: dict[str, str], case_id: str, task: str) -> dict[str, Any]:
    """The next worker message of `case_id` for `task`, taken off the worker queue."""
    sqs = boto3.client("sqs")
    url = aws["LOKET_WORKER_QUEUE_URL"]

    def found() -> dict[str, Any] | None:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            parsed = json.loads(message["Body"])
            if parsed.get("case_id") == case_id and parsed.get("task") == task:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                return dict(message)
            sqs.change_message_visibility(
                QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        return None

    return dict(wait_for(found))


def _handle(client: Client, message_body: str) -> None:
    """The worker Lambda, as its SQS event source calls it."""
    client.lambda_.invoke(
        "worker", client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=[message_body])
    )


def _stuck(client: Client, aws: dict[str, str], case_id: str, monkeypatch, failure: Exception) -> Case:
    """The email step's task fails for good: the execution marks the case stuck and fails."""

    def broken(message: dict[str, Any]) -> dict[str, Any]:
        raise failure

    original = tasks.TASKS["send_email"]
    monkeypatch.setitem(tasks.TASKS, "send_email", broken)
    _handle(client, _worker_message(aws, case_id, "send_email")["Body"])
    monkeypatch.setitem(tasks.TASKS, "send_email", original)
    return _until_stuck(case_id)


def _until_stuck(case_id: str) -> Case:
    """The case once `Macet` has marked it stuck *and* `Gagal` has ended its execution: the desk
    lists failed executions, and `Macet`'s write comes a moment before the execution fails."""
    case = wait_for(lambda: (c := _case(case_id)).status == "stuck" and c)
    sfn = boto3.client("stepfunctions")
    wait_for(lambda: sfn.describe_execution(executionArn=case.execution_arn)["status"] == "FAILED")
    return case


def _dead_letter(aws: dict[str, str], case_id: str, task: str, monkeypatch) -> str:
    """The worker fails the task five times for now (AWS failing: raised again for SQS), and SQS
    moves the message to the dead-letter queue on the next receive (maxReceiveCount 5). Returns
    the message id in the dead-letter queue."""
    sqs = boto3.client("sqs")
    url = aws["LOKET_WORKER_QUEUE_URL"]

    def busy(message: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("SES sedang gagal")

    original = tasks.TASKS[task]
    monkeypatch.setitem(tasks.TASKS, task, busy)
    for _ in range(5):
        got = wait_for(lambda: sqs.receive_message(QueueUrl=url, VisibilityTimeout=0).get("Messages"))
        assert json.loads(got[0]["Body"])["case_id"] == case_id
        with pytest.raises(RuntimeError):
            tasks.handle(json.loads(got[0]["Body"]))
    assert sqs.receive_message(QueueUrl=url).get("Messages") is None  # the sixth receive moved it
    monkeypatch.setitem(tasks.TASKS, task, original)
    dlq = _dlq_url(aws)
    return str(_in_queue(dlq)[0]["MessageId"])


def _dlq_url(aws: dict[str, str]) -> str:
    # The dead-letter queue is named after the worker's (`<stack>-worker-dlq`, infra/base.yaml).
    name = aws["LOKET_WORKER_QUEUE_URL"].rsplit("/", 1)[1] + "-dlq"
    return str(boto3.client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


def _in_queue(url: str) -> list[dict[str, Any]]:
    """Every message of a queue, left in it (made visible again)."""
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30).get(
        "Messages"
    ):
        found += got
    for message in found:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return found


def _desk(officer: Officer, query: str = "") -> str:
    response = officer.client.http.get(f"/staff/admin/desk{query}", headers={"Cookie": officer.cookie})
    assert response.status_code == 200, response.body[:2000]
    return str(response.body.decode())


def _post(officer: Officer, path: str, **form: str) -> tuple[str, str]:
    """A desk form as the page sends it; ("pesan" | "galat", the sentence) from the redirect."""
    response = officer.post(path, kantor=form.pop("kantor", OFFICE), **form)
    assert response.status_code == 303, response.body[:2000]
    found = re.search(r"[?&](pesan|galat)=([^&#]*)", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1), unquote(found.group(2))


def _trail(case_id: str, action: str) -> list[AuditEvent]:
    return [e for e in audit.trail(case_id) if e.action == action]


def _desk_log(office: str = OFFICE) -> list[OfficeEvent]:
    found = OfficeEvent.query(OfficeEvent.partition(office), OfficeEvent.SK.startswith(OfficeEvent.PREFIX))
    return [e for e in found if isinstance(e, OfficeEvent) and e.action.startswith(("dlq_", "case_"))]


def _pump(client: Client, aws: dict[str, str]) -> int:
    sqs = boto3.client("sqs")
    url = aws["LOKET_WORKER_QUEUE_URL"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in messages:
        _handle(client, message["Body"])
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return len(messages)


def _until_completed(client: Client, aws: dict[str, str], case_id: str) -> Case:
    def completed() -> Case | None:
        _pump(client, aws)
        case = _case(case_id)
        return case if case.status == "completed" else None

    return wait_for(completed)


# --- the tests ----------------------------------------------------------------------------------------


def test_admin_page_links_the_desk_and_only_admins_open_it(client, staff, admin) -> None:
    page = client.http.get("/staff/admin", headers={"Cookie": admin.cookie}).body.decode()
    assert f"/staff/admin/desk?kantor={OFFICE}" in page
    empty = _desk(admin)
    assert "Meja operator" in empty and "Tidak ada berkas macet di kantor ini." in empty
    assert "Tidak ada pesan kantor ini di antrean dead-letter." in empty
    petugas = Officer(client, *staff("petugas2", f"{OFFICE}.petugas_antar_kerja"))
    refused = client.http.get("/staff/admin/desk", headers={"Cookie": petugas.cookie})
    assert refused.status_code == 403 and "hanya untuk admin kantor" in refused.body.decode()
    signed_out = client.http.get("/staff/admin/desk")
    assert signed_out.status_code == 303 and signed_out.headers["Location"].endswith("/staff/login")


def test_a_stuck_case_is_on_the_desk_in_words_and_restarts_once_from_a_named_step(
    client, aws, applicant, admin, officer_login, monkeypatch
) -> None:
    case_id = _to_the_email_step(client, applicant("budi"), officer_login)
    _stuck(client, aws, case_id, monkeypatch, NotFound("Berkas tidak ditemukan."))

    page = _desk(admin)
    assert case_id in page and SLICE_TITLE in page
    assert "Gagal di Langkah 3 · Memberitahukan kepada pemohon" in page  # from the execution's history
    assert "Pekerjaan sistem menolak berkas ini" in page and ">Loket.TaskFailed</code>" in page
    assert '<option value="03" selected>' in page  # the failed step is offered first
    assert "budi@contoh.id" not in page  # no personal data on the desk

    # Restart from step 2: a new execution begins at that step, and its work item appears.
    kind, text = _post(admin, "/staff/admin/desk/restart", case_id=case_id, step="02")
    assert kind == "pesan" and "dimulai ulang dari Langkah 2" in text, text
    case = _case(case_id)
    assert case.status == "submitted" and case.fault is None
    assert case.execution_arn.endswith(f":{case_id}-r1")
    item = wait_for(lambda: [i for i in _queue() if i.case_id == case_id])[0]
    assert item.step == "02" and item.status == "open"
    (event,) = _trail(case_id, "restarted")
    assert (event.actor, event.role, event.step) == (f"{OFFICE}.admin", "admin", "02")
    assert event.details == {"execution": f"{case_id}-r1", "previous": case_id, "error": "Loket.TaskFailed"}

    # A second click while the new execution runs is refused, and starts nothing.
    kind, text = _post(admin, "/staff/admin/desk/restart", case_id=case_id, step="02")
    assert (
        kind == "galat"
        and f"sudah dimulai ulang oleh {OFFICE}.admin" in text
        and "tidak dimulai dua kali" in text
    )
    assert _case(case_id).execution_arn.endswith(f":{case_id}-r1") and len(_trail(case_id, "restarted")) == 1
    assert [e.action for e in _desk_log()] == ["case_restarted"]

    page = _desk(admin)
    assert "Tidak ada berkas macet di kantor ini." in page
    history = page.split('id="riwayat"', 1)[1]
    assert f'Dimulai ulang sebagai <span class="mono">{case_id}-r1</span>' in history
    assert "Pekerjaan sistem menolak berkas ini" in history  # the error the restart kept
    assert "Berkas dimulai ulang" in page  # the desk's log

    # The restarted case goes on to the end: the officer approves again, the worker mails and closes.
    decided = Officer(client, *officer_login).decide(case_id, item.SK, "approve", "lengkap")
    assert "pesan=" in decided.headers["Location"]
    assert _until_completed(client, aws, case_id).status == "completed"


def test_restart_at_the_system_step_resumes_there(
    client, aws, applicant, admin, officer_login, monkeypatch
) -> None:
    """Resumed at step 3 (the email), no staff step runs again: the worker gets step 3's message."""
    case_id = _to_the_email_step(client, applicant("budi"), officer_login)
    _stuck(client, aws, case_id, monkeypatch, tasks.BadMessage("unknown case"))
    kind, _ = _post(admin, "/staff/admin/desk/restart", case_id=case_id, step="03")
    assert kind == "pesan"
    message = json.loads(_worker_message(aws, case_id, "send_email")["Body"])
    assert message["step"] == "03"
    assert _open_items(case_id) == []
    _handle(client, json.dumps(message))
    assert _until_completed(client, aws, case_id).status == "completed"


def test_restart_refuses_what_is_not_a_stuck_case_of_this_office(
    client, aws, applicant, admin, staff, officer_login, monkeypatch
) -> None:
    case_id = _to_the_email_step(client, applicant("budi"), officer_login)
    # Running (waiting for the worker): not stuck.
    kind, text = _post(admin, "/staff/admin/desk/restart", case_id=case_id, step="02")
    assert kind == "galat" and "sedang berjalan" in text
    _stuck(client, aws, case_id, monkeypatch, NotFound("Berkas tidak ditemukan."))
    for step in ("01", "04", "", "x" * 300):  # step 1 is the applicant's own part, in the web form
        kind, text = _post(admin, "/staff/admin/desk/restart", case_id=case_id, step=step)
        assert kind == "galat" and "Pilih langkah SOP" in text
    for unknown in ("tidakada", "", "a" * 500, "%00"):
        kind, text = _post(admin, "/staff/admin/desk/restart", case_id=unknown, step="02")
        assert kind == "galat" and "tidak ditemukan" in text
    # Another office's administrator: not found, the case untouched.
    other = Officer(client, *staff(f"{OTHER}.admin", f"{OTHER}.admin"))
    kind, text = _post(other, "/staff/admin/desk/restart", kantor=OTHER, case_id=case_id, step="02")
    assert kind == "galat" and text == "Berkas tidak ditemukan di kantor ini."
    refused = other.post("/staff/admin/desk/restart", kantor=OFFICE, case_id=case_id, step="02")
    assert refused.status_code == 404
    assert _case(case_id).status == "stuck" and _trail(case_id, "restarted") == []
    assert case_id not in _desk(other) and "Tidak ada berkas macet" in _desk(other)
    # A stale form (wrong CSRF token): back to the desk, nothing started.
    response = admin.client.http.post(
        "/staff/admin/desk/restart",
        headers={"Content-Type": Officer.FORM, "Cookie": admin.cookie},
        body=f"csrf=0000&kantor={OFFICE}&case_id={case_id}&step=02",
    )
    assert response.status_code == 303 and "galat=Sesi%20formulir" in response.headers["Location"]
    assert _case(case_id).status == "stuck"


def test_a_dead_lettered_task_is_retried_once_and_the_case_completes(
    client, aws, applicant, admin, officer_login, monkeypatch
) -> None:
    case_id = _to_the_email_step(client, applicant("budi"), officer_login)
    message_id = _dead_letter(aws, case_id, "send_email", monkeypatch)

    before = _desk(admin)
    assert message_id in before and case_id in before
    assert "Mengirim email ke pemohon" in before and "Langkah 3 · Memberitahukan" in before
    assert "gagal mengerjakan pesan-pesan ini 5 kali" in before and ">SQS.DeadLetter</code>" in before
    assert "budi@contoh.id" not in before
    _desk(admin)  # reading the desk leaves the message where it is, visible
    assert [m["MessageId"] for m in _in_queue(_dlq_url(aws))] == [message_id]

    kind, text = _post(admin, "/staff/admin/desk/retry", message_id=message_id, case_id=case_id)
    assert kind == "pesan" and "Pesan dikirim ulang ke pekerja (mengirim email ke pemohon)" in text
    assert _in_queue(_dlq_url(aws)) == []
    (event,) = _trail(case_id, "dlq_retry")
    assert (event.actor, event.role, event.step) == (f"{OFFICE}.admin", "admin", "03")
    assert event.details == {"message_id": message_id, "task": "send_email", "all": False}

    # The second click does nothing and says who sent it when; one message went back, not two.
    kind, text = _post(admin, "/staff/admin/desk/retry", message_id=message_id, case_id=case_id)
    assert kind == "pesan" and text.startswith(f"Pesan ini sudah dikirim ulang oleh {OFFICE}.admin pada ")
    assert "tidak dikirim lagi" in text and len(_trail(case_id, "dlq_retry")) == 1
    back = _in_queue(aws["LOKET_WORKER_QUEUE_URL"])
    assert len(back) == 1 and json.loads(back[0]["Body"])["task"] == "send_email"
    assert [e.action for e in _desk_log()] == ["dlq_retry"]

    # The execution was still waiting for the task's token: the case goes on to the end.
    assert _until_completed(client, aws, case_id).status == "completed"
    assert "Tidak ada pesan kantor ini di antrean dead-letter." in _desk(admin)


def test_redrive_moves_only_this_offices_waiting_messages(
    client, aws, applicant, admin, staff, officer_login, monkeypatch
) -> None:
    live = _to_the_email_step(client, applicant("budi"), officer_login)
    live_id = _dead_letter(aws, live, "send_email", monkeypatch)
    # A message no execution waits for any more: its case got stuck meanwhile.
    stale = _to_the_email_step(client, applicant("sari"), officer_login, key="form-0002")
    stale_message = _worker_message(aws, stale, "send_email")
    token = json.loads(stale_message["Body"])["task_token"]
    workflow.fail_task(token, "Loket.TaskFailed", "uji")
    _until_stuck(stale)
    sqs = boto3.client("sqs")
    dlq = _dlq_url(aws)
    sqs.send_message(QueueUrl=dlq, MessageBody=stale_message["Body"])
    # Another office's message, as SQS would have moved it there.
    foreign = {
        "task": "send_email",
        "case_id": "kasustangerang1",
        "office": OTHER,
        "service": "uji-sambungan",
    }
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps({**foreign, "step": "03", "task_token": "t"}))
    assert len(_in_queue(dlq)) == 3

    page = _desk(admin)
    assert live_id in page and stale in page and "kasustangerang1" not in page
    assert "Alur berkas ini sudah berhenti" in page and "Kirim ulang semua (1) pesan kantor ini" in page
    other = Officer(client, *staff(f"{OTHER}.admin", f"{OTHER}.admin"))
    assert live_id not in _desk(other) and "kasustangerang1" in _desk(other)

    # Tangerang's administrator can neither retry nor redrive Pasuruan's messages.
    kind, text = _post(other, "/staff/admin/desk/retry", kantor=OTHER, message_id=live_id, case_id=live)
    assert kind == "galat" and "tidak ada lagi di antrean dead-letter kantor ini" in text
    kind, text = _post(other, "/staff/admin/desk/redrive", kantor=OTHER)  # its own message's case is unknown
    assert kind == "pesan" and text.startswith("Tidak ada pesan kantor ini yang dapat dikirim ulang"), text
    assert {json.loads(m["Body"])["case_id"] for m in _in_queue(dlq)} == {live, stale, "kasustangerang1"}

    # The stale message is refused on its own, and left by the redrive; the live one goes back.
    stale_id = next(m["MessageId"] for m in _in_queue(dlq) if stale in m["Body"])
    kind, text = _post(admin, "/staff/admin/desk/retry", message_id=stale_id, case_id=stale)
    assert kind == "galat" and "mulai ulang berkasnya" in text and "Pesan tetap di antrean" in text
    kind, text = _post(admin, "/staff/admin/desk/redrive")
    assert kind == "pesan" and text.startswith("1 pesan dikirim ulang ke pekerja.")
    assert "1 pesan tetap di antrean" in text
    assert {json.loads(m["Body"])["case_id"] for m in _in_queue(dlq)} == {stale, "kasustangerang1"}
    assert [json.loads(m["Body"])["case_id"] for m in _in_queue(aws["LOKET_WORKER_QUEUE_URL"])] == [live]
    assert [(e.details or {}).get("all") for e in _trail(live, "dlq_retry")] == [True]

    # A second click finds nothing to send.
    kind, text = _post(admin, "/staff/admin/desk/redrive")
    assert kind == "pesan" and text.startswith("Tidak ada pesan kantor ini yang dapat dikirim ulang")
    assert [e.action for e in _desk_log()] == ["dlq_redrive"]
    assert _until_completed(client, aws, live).status == "completed"


def _runtime_failure(aws: dict[str, str]) -> str:
    """A case whose execution fails outside the worker: its input lacks what a new case's carries
    (`resume_at`, the step timeouts), so the first state cannot read it (States.Runtime, not
    caught: the case is not marked)."""
    case_id = "kasusrusak1"
    sfn = boto3.client("stepfunctions")
    arn = f"{aws['LOKET_STATE_MACHINE_PREFIX']}{OFFICE}-uji-sambungan"
    started = sfn.start_execution(
        stateMachineArn=arn,
        name=case_id,
        input=json.dumps({"case_id": case_id, "office": OFFICE, "service": "uji-sambungan", "email": ""}),
    )
    Case(
        *Case.key(case_id),
        case_id=case_id,
        office=OFFICE,
        service="uji-sambungan",
        applicant_sub="s",
        status="submitted",
        created_at="2026-11-30T10:00:00.000Z",
        updated_at="2026-11-30T10:00:00.000Z",
        execution_arn=started["executionArn"],
    ).save()
    wait_for(lambda: sfn.describe_execution(executionArn=started["executionArn"])["status"] == "FAILED")
    return case_id


@contextlib.contextmanager
def _short_task_timeout(aws: dict[str, str], state: str) -> Iterator[None]:
    """The wiring check's machine with `state`'s timeout at one second (the compiler's is an hour),
    put back afterwards: this test process's stack serves the next test too."""
    sfn = boto3.client("stepfunctions")
    arn = f"{aws['LOKET_STATE_MACHINE_PREFIX']}{OFFICE}-uji-sambungan"
    original = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
    definition = json.loads(original)
    definition["States"][state]["TimeoutSeconds"] = 1
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(definition))
    try:
        yield
    finally:
        sfn.update_state_machine(stateMachineArn=arn, definition=original)


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (NotFound("Berkas tidak ditemukan."), "Loket.TaskFailed", "Pekerjaan sistem menolak berkas ini"),
        (tasks.BadMessage("unknown case"), "Loket.BadMessage", "Pesan tugas tidak dapat dikerjakan"),
        ("States.Timeout", "States.Timeout", "Pekerja sistem tidak menjawab dalam batas waktu tugas"),
        ("runtime", "States.Runtime", "Alur layanan berhenti karena kesalahan di dalam definisinya"),
    ],
)
def test_each_failure_is_told_in_words_with_its_code(
    client, aws, applicant, admin, officer_login, monkeypatch, make: Any, code: str, words: str
) -> None:
    if make == "runtime":
        case_id = _runtime_failure(aws)
    elif isinstance(make, Exception):
        case_id = _to_the_email_step(client, applicant("budi"), officer_login)
        _stuck(client, aws, case_id, monkeypatch, make)
    else:  # the worker never answers: the task's timeout ends the wait
        with _short_task_timeout(aws, "X03"):
            case_id = _to_the_email_step(client, applicant("budi"), officer_login)
            _worker_message(aws, case_id, "send_email")  # taken, never answered
            _until_stuck(case_id)
    page = _desk(admin)
    stuck = page.split('id="macet"', 1)[1].split('id="dead-letter"', 1)[0]
    assert case_id in stuck and words in stuck and f">{code}</code>" in stuck, stuck
    history = page.split('id="riwayat"', 1)[1]
    assert case_id in history and "Macet: mulai ulang di atas" in history


def test_every_desk_route_is_a_staff_form_the_hostile_test_knows() -> None:
    from tests.integration.test_hostile_input import STAFF_POSTS

    desk = sorted(p for p in app.routes if p.startswith("/staff/admin/desk/"))
    assert desk == [
        "/staff/admin/desk/redrive",
        "/staff/admin/desk/resend",
        "/staff/admin/desk/restart",
        "/staff/admin/desk/retry",
    ]
    assert set(desk) <= set(STAFF_POSTS)


def test_odd_desk_forms_never_answer_5xx(client, admin) -> None:
    paths = ("retry", "redrive", "restart", "resend")
    for path in (f"/staff/admin/desk/{p}" for p in paths):
        for value in ("", "x" * 6000, "\u0000", "%ff", "../../etc", "WORK#02#x"):
            response = admin.post(
                path, kantor=OFFICE, message_id=value, case_id=value, step=value, item=value
            )
            assert response.status_code < 500, (path, value, response.status_code)
    for query in ("?kantor=x", "?kantor=" + "x" * 3000, "?di=%00&pesan=%ff&galat=x"):
        response = admin.client.http.get(f"/staff/admin/desk{query}", headers={"Cookie": admin.cookie})
        assert response.status_code < 500, query
