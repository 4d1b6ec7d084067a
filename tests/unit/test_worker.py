"""The worker: an effect happens once per case and step, a bad message fails its task, a failed
effect is retried (its claim released), and the token is answered after the effect.

On the in-memory fakes of the ports (tests/fakes/: the effects ledger, the outbox, the audit
trail), which tests/contract/ proves against DynamoDB and SES on moto; Step Functions' answer is
recorded by `answered`."""

from __future__ import annotations

import json

import pytest

from chalicelib.adapters import effects, mail, workflow
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


def test_redelivered_message_sends_one_email(fakes, answered) -> None:
    tasks.handle(dict(MESSAGE))
    tasks.handle(dict(MESSAGE))  # SQS delivers the same message again
    assert fakes.outbox.to() == ["budi@contoh.id"]
    assert answered == [("ok", "tok-1"), ("ok", "tok-1")]
    # A second pass through the same state (a return loop) is a new effect: it mails again.
    tasks.handle(dict(MESSAGE, task_token="tok-2", entered="2026-11-22T11:00:00.000Z"))
    assert fakes.outbox.to() == ["budi@contoh.id", "budi@contoh.id"]


def test_unknown_task_fails_its_token(fakes, answered) -> None:
    tasks.handle(dict(MESSAGE, task="hapus_semua"))
    assert answered == [("fail", "Loket.BadMessage")]


def test_missing_email_fails_its_token(fakes, answered) -> None:
    tasks.handle({k: v for k, v in MESSAGE.items() if k != "email"})
    assert answered == [("fail", "Loket.BadMessage")]


def test_ses_failure_is_retried_and_releases_the_claim(fakes, answered, monkeypatch) -> None:
    def broken(message):
        raise ConnectionError("SES down")

    send = fakes.outbox.send
    monkeypatch.setattr(fakes.outbox, "send", broken)
    with pytest.raises(ConnectionError):
        tasks.handle(dict(MESSAGE))
    assert answered == []
    assert not fakes.effects.claimed(tasks.effect_key(MESSAGE))
    monkeypatch.setattr(fakes.outbox, "send", send)  # SES is back
    tasks.handle(dict(MESSAGE))
    assert answered == [("ok", "tok-1")]
    assert fakes.outbox.to() == ["budi@contoh.id"]


def test_email_is_indonesian_mime(fakes) -> None:
    context = {
        "case_id": "abc",
        "case_code": "K7Q-M3X-D2F",
        "status_url": "https://x/",
        "service_title": "Uji sambungan layanan",
        "office_name": "Dinas Tenaga Kerja Kabupaten Pasuruan",
        "step_activity": "Memberitahukan kepada pemohon",
        "step_output": "",
    }
    message = mail.build_message("budi@contoh.id", "step_notice", context)
    assert message["Subject"] == "Perkembangan berkas Anda - K7Q-M3X-D2F"
    assert message["Content-Language"] == "id"
    assert "K7Q-M3X-D2F" in message.get_content()  # the code people read, not the long id


def test_a_crashed_workers_email_is_sent_once_on_redelivery_after_its_lease(fakes, answered) -> None:
    """Issue 11: a claim left by a worker killed between claim and effect was taken for done: the
    task answered success and the email was never sent. Now the redelivery within the lease is
    refused (SQS tries again), and the one after the lease sends it, once."""
    key = tasks.effect_key(MESSAGE)
    assert fakes.effects.claim(key, "dead", "2026-11-30T00:00:00.000Z", "2999-01-01T00:00:00.000Z").mine
    with pytest.raises(effects.EffectInProgress) as refused:
        tasks.handle(dict(MESSAGE))
    assert refused.value.status == 503 and refused.value.retry_after == effects.LEASE_SECONDS
    assert fakes.outbox.to() == [] and answered == []  # never a silent success

    fakes.effects.release(key, "dead")
    assert fakes.effects.claim(key, "dead", "2026-01-01T00:00:00.000Z", "2026-01-01T00:01:30.000Z").mine
    tasks.handle(dict(MESSAGE))  # the lease ran out long ago: the work is done again
    tasks.handle(dict(MESSAGE))  # and SQS delivers it once more: done, not again
    assert fakes.outbox.to() == ["budi@contoh.id"]
    assert answered == [("ok", "tok-1"), ("ok", "tok-1")]


def test_worker_handler_reads_the_sqs_body(fakes, answered) -> None:
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        event = client.events.generate_sqs_event(
            queue_name="loket-worker", message_bodies=[json.dumps(MESSAGE)]
        )
        client.lambda_.invoke("worker", event)
    assert answered == [("ok", "tok-1")]
    assert fakes.outbox.to() == ["budi@contoh.id"]


def test_step_deadline_counts_office_hours(fakes, monkeypatch) -> None:
    from dataclasses import replace

    from chalicelib.services import catalog, service_clock
    from chalicelib.sop.schema import WorkingHours

    entry = catalog.find_service("kab-pasuruan", "lapor-keberadaan-tka")
    office = entry.office_sop.model_copy(
        update={"working_hours": WorkingHours(days=[1, 2, 3, 4, 5], start="08:00", end="16:00")}
    )
    monkeypatch.setattr(tasks, "_entry", lambda message: replace(entry, office_sop=office))
    monkeypatch.setattr(service_clock, "decrees", lambda office: {})  # the library's holidays only
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


def test_an_email_sent_before_its_task_failed_is_not_sent_again(fakes, answered, monkeypatch) -> None:
    """`make chaos`: SES accepted the email, then the task failed (its audit line: DynamoDB busy)
    and SQS delivered it again, which sent the email twice. An email is an effect of its own."""
    from chalicelib.errors import Unavailable
    from chalicelib.services import audit

    sent: list[str] = []
    monkeypatch.setattr(
        fakes.outbox, "send", lambda message: sent.append(str(message["To"])) or f"m-{len(sent)}"
    )
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
