"""The worker: an effect happens once per case and step, a bad message fails its task, a failed
effect is retried (its claim released), and the token is answered after the effect."""

from __future__ import annotations

import json

import pytest

from chalicelib.adapters import effects, mail, workflow
from chalicelib.adapters.models import Effect
from chalicelib.worker import tasks

MESSAGE = {
    "task": "send_email",
    "step": "03",  # the wiring check's email step (chalicelib/sop/offices/kab-pasuruan/uji-sambungan.yaml)
    "case_id": "c1",
    "office": "kab-pasuruan",
    "service": "uji-sambungan",
    "email": "budi@contoh.id",
    "task_token": "tok-1",
    "entered": "2026-11-22T10:00:00.000Z",
}


@pytest.fixture
def answered(monkeypatch):
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(workflow, "answer_task", lambda token, output: calls.append(("ok", token)))
    monkeypatch.setattr(workflow, "fail_task", lambda token, error, cause: calls.append(("fail", error)))
    return calls


def test_redelivered_message_sends_one_email(aws, answered, monkeypatch) -> None:
    sent: list[str] = []
    monkeypatch.setattr(mail, "send", lambda message: sent.append(str(message["To"])) or "m-1")
    tasks.handle(dict(MESSAGE))
    tasks.handle(dict(MESSAGE))  # SQS delivers the same message again
    assert sent == ["budi@contoh.id"]
    assert answered == [("ok", "tok-1"), ("ok", "tok-1")]
    # A second pass through the same state (a return loop) is a new effect: it mails again.
    tasks.handle(dict(MESSAGE, task_token="tok-2", entered="2026-11-22T11:00:00.000Z"))
    assert sent == ["budi@contoh.id", "budi@contoh.id"]


def test_unknown_task_fails_its_token(aws, answered) -> None:
    tasks.handle(dict(MESSAGE, task="hapus_semua"))
    assert answered == [("fail", "Loket.BadMessage")]


def test_missing_email_fails_its_token(aws, answered) -> None:
    tasks.handle({k: v for k, v in MESSAGE.items() if k != "email"})
    assert answered == [("fail", "Loket.BadMessage")]


def test_ses_failure_is_retried_and_releases_the_claim(aws, answered, monkeypatch) -> None:
    def broken(message):
        raise ConnectionError("SES down")

    monkeypatch.setattr(mail, "send", broken)
    with pytest.raises(ConnectionError):
        tasks.handle(dict(MESSAGE))
    assert answered == []
    with pytest.raises(Effect.DoesNotExist):
        Effect.get("EFFECT#" + tasks.effect_key(MESSAGE), "#EFFECT")
    monkeypatch.setattr(mail, "send", lambda message: "m-2")
    tasks.handle(dict(MESSAGE))
    assert answered == [("ok", "tok-1")]


def test_email_is_indonesian_mime(aws) -> None:
    context = {
        "case_id": "abc",
        "status_url": "https://x/",
        "service_title": "Uji sambungan layanan",
        "office_name": "Dinas Tenaga Kerja Kabupaten Pasuruan",
        "step_activity": "Memberitahukan kepada pemohon",
        "step_output": "",
    }
    message = mail.build_message("budi@contoh.id", "step_notice", context)
    assert message["Subject"] == "Perkembangan berkas Anda - abc"
    assert message["Content-Language"] == "id"
    assert "abc" in message.get_content()


def test_once_returns_the_first_result(aws) -> None:
    assert effects.once("k", lambda: {"n": 1}) == (True, {"n": 1})
    assert effects.once("k", lambda: {"n": 2}) == (False, {"n": 1})


def _crash_after_claiming(key: str, lease_until: str) -> None:
    """What a worker killed between claim and effect leaves: a claim, never marked done."""
    Effect(
        *Effect.key(key),
        status="claimed",
        at="2026-11-30T00:00:00.000Z",
        lease_until=lease_until,
        holder="dead",
    ).save()


def test_a_crashed_workers_email_is_sent_once_on_redelivery_after_its_lease(
    aws, answered, monkeypatch
) -> None:
    """Issue 11: a claim left by a killed worker was taken for done: the task answered success
    and the email was never sent. Now the redelivery within the lease is refused (SQS tries
    again), and the one after the lease sends it, once."""
    sent: list[str] = []
    monkeypatch.setattr(mail, "send", lambda message: sent.append(str(message["To"])) or "m-1")
    key = tasks.effect_key(MESSAGE)
    _crash_after_claiming(key, lease_until="2999-01-01T00:00:00.000Z")
    with pytest.raises(effects.EffectInProgress) as refused:
        tasks.handle(dict(MESSAGE))
    assert refused.value.status == 503 and refused.value.retry_after == effects.LEASE_SECONDS
    assert sent == [] and answered == []  # never a silent success
    _crash_after_claiming(key, lease_until="2026-01-01T00:00:00.000Z")  # the lease ran out
    tasks.handle(dict(MESSAGE))
    tasks.handle(dict(MESSAGE))  # and SQS delivers it once more: done, not again
    assert sent == ["budi@contoh.id"]
    assert answered == [("ok", "tok-1"), ("ok", "tok-1")]
    done = Effect.get(*Effect.key(key))
    assert done.status == "done" and done.holder != "dead"


def test_a_lease_taken_over_keeps_the_new_holders_claim(aws) -> None:
    """A worker that outlived its lease (another delivery took over) neither releases nor
    overwrites the new holder's claim."""
    taken_over: list[str] = []

    def slow_and_overtaken() -> dict[str, int]:
        Effect(
            *Effect.key("k2"), status="claimed", at="x", lease_until="2999-01-01T00:00:00.000Z", holder="new"
        ).save()
        taken_over.append("new")
        raise ConnectionError("SES down")

    with pytest.raises(ConnectionError):
        effects.once("k2", slow_and_overtaken)
    assert Effect.get(*Effect.key("k2")).holder == "new"  # not released by the old holder

    def finishes_late() -> dict[str, int]:
        Effect(
            *Effect.key("k3"), status="claimed", at="x", lease_until="2999-01-01T00:00:00.000Z", holder="new"
        ).save()
        return {"n": 1}

    assert effects.once("k3", finishes_late) == (True, {"n": 1})
    assert Effect.get(*Effect.key("k3")).status == "claimed"  # the new holder marks it done


def test_worker_handler_reads_the_sqs_body(aws, answered, monkeypatch) -> None:
    from chalice.test import Client

    from app import app

    monkeypatch.setattr(mail, "send", lambda message: "m-3")
    with Client(app) as client:
        event = client.events.generate_sqs_event(
            queue_name="loket-worker", message_bodies=[json.dumps(MESSAGE)]
        )
        client.lambda_.invoke("worker", event)
    assert answered == [("ok", "tok-1")]


def test_step_deadline_counts_office_hours(aws, monkeypatch) -> None:
    from dataclasses import replace

    from chalicelib.services import catalog
    from chalicelib.sop.schema import WorkingHours

    entry = catalog.find_service("kab-pasuruan", "lapor-keberadaan-tka")
    office = entry.office_sop.model_copy(
        update={"working_hours": WorkingHours(days=[1, 2, 3, 4, 5], start="08:00", end="16:00")}
    )
    monkeypatch.setattr(tasks, "_entry", lambda message: replace(entry, office_sop=office))
    message = {
        "task": "step_deadline",
        "case_id": "c9",
        "office": "kab-pasuruan",
        "service": "lapor-keberadaan-tka",
        "step": "06",
        "minutes": 60,
        "time_scale": 60,
        "entered": "2026-11-20T08:30:00.000Z",
    }
    # Friday 15:30 WIB + 1 hour of office time = Monday 08:30 WIB: 65 hours of wall-clock time.
    result = tasks.step_deadline(message)
    assert result["due"] == "2026-11-23T08:30:00+07:00"
    assert result["timeout"] == 65 * 60 * 60
    assert result["t"] == message["entered"]


def test_an_email_sent_before_its_task_failed_is_not_sent_again(aws, answered, monkeypatch) -> None:
    """`make chaos`: SES accepted the email, then the task failed (its audit line: DynamoDB busy)
    and SQS delivered it again, which sent the email twice. An email is an effect of its own."""
    from chalicelib.errors import Unavailable
    from chalicelib.services import audit

    sent: list[str] = []
    monkeypatch.setattr(mail, "send", lambda message: sent.append(str(message["To"])) or f"m-{len(sent)}")
    record = audit.record
    failures = iter([Unavailable()])

    def busy_once(*args: object, **kwargs: object) -> object:
        failed = next(failures, None)
        if failed is not None:
            raise failed
        return record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks.audit, "record", busy_once)
    with pytest.raises(Unavailable):
        tasks.handle(dict(MESSAGE))
    assert sent == ["budi@contoh.id"] and answered == []
    tasks.handle(dict(MESSAGE))  # SQS delivers it again
    assert sent == ["budi@contoh.id"] and answered == [("ok", "tok-1")]


def test_an_escalation_mails_each_supervisor_once_and_again_in_a_later_pass(aws, monkeypatch) -> None:
    """A second supervisor's email failing does not mail the first one twice on redelivery; the
    same step overdue again in a later pass (after a return) is escalated again: the escalation
    message names its pass by `entered_at`."""
    from chalicelib.adapters import identity

    monkeypatch.setattr(identity, "staff_emails", lambda office, role: ["kasi1@x.go.id", "kasi2@x.go.id"])
    sent: list[str] = []
    down = {"kasi2@x.go.id"}

    def send(message: object) -> str:
        to = str(message["To"])  # type: ignore[index]
        if to in down:
            down.clear()
            raise ConnectionError("SES down")
        sent.append(to)
        return f"m-{len(sent)}"

    monkeypatch.setattr(mail, "send", send)
    escalation = {
        "task": "escalate",
        "case_id": "c1",
        "office": "kab-pasuruan",
        "service": "ak1",
        "step": "05",
        "role": "petugas_antar_kerja",
        "escalates_to": "kasi_penempatan",
        "entered_at": "2026-11-22T10:00:00.000Z",
    }
    with pytest.raises(ConnectionError):
        tasks.handle(dict(escalation))
    tasks.handle(dict(escalation))  # SQS delivers it again
    tasks.handle(dict(escalation))  # and once more: done
    assert sent == ["kasi1@x.go.id", "kasi2@x.go.id"]
    tasks.handle(dict(escalation, entered_at="2026-11-23T09:00:00.000Z"))  # overdue again, later pass
    assert sent == ["kasi1@x.go.id", "kasi2@x.go.id"] * 2
