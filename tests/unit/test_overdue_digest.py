"""Overdue work as a digest (services/overdue.py, worker task `escalate` and `overdue_digest`):
at most one email per office, role and hour, exactly once under redelivery, and no overdue file
dropped (a file overdue after the hour's email is in the next one).

On the fakes (effects ledger, outbox, worker queue): the role's queue in DynamoDB is played by
`queue` (services/overdue.py `waiting` reads it on the table), the clock by `clock`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters import identity
from chalicelib.adapters.models import WorkItem
from chalicelib.domain.clock import iso
from chalicelib.services import overdue
from chalicelib.settings import reset_settings
from chalicelib.worker import tasks

OFFICE, ROLE, KASI = "kab-pasuruan", "petugas_antar_kerja", "kasi_penempatan"
START = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # 18.05 WIB: the slot 18.00-18.59 WIB


def _item(n: int) -> WorkItem:
    entered = START - timedelta(minutes=30) + timedelta(seconds=n)
    return WorkItem(
        case_id=f"case{n:03d}",
        office=OFFICE,
        service="ak1",
        step="05",
        role=ROLE,
        entered_at=iso(entered),
        status="open",
        overdue=1,
    )


def _escalation(item: WorkItem) -> dict[str, Any]:
    return {
        "task": "escalate",
        "case_id": item.case_id,
        "office": OFFICE,
        "service": "ak1",
        "step": "05",
        "role": ROLE,
        "escalates_to": KASI,
        "entered_at": item.entered_at,
    }


@pytest.fixture
def clock(monkeypatch) -> list[datetime]:
    """The time the digest reads: set `clock[0]`."""
    at = [START]
    monkeypatch.setattr(overdue, "now", lambda: at[0])
    return at


@pytest.fixture
def queue(fakes, monkeypatch, clock) -> dict[str, WorkItem]:
    """The role's open overdue items (case id -> item), as `waiting` would read them; two Kasi."""
    items: dict[str, WorkItem] = {}
    monkeypatch.setattr(
        overdue,
        "waiting",
        lambda office, role: sorted(items.values(), key=lambda i: i.entered_at) if role == ROLE else [],
    )
    monkeypatch.setattr(identity, "staff_emails", lambda office, role: ["kasi1@x.go.id", "kasi2@x.go.id"])
    monkeypatch.setenv("LOKET_STAFF_SITE_URL", "https://staf.loket.test/api/")
    reset_settings()
    return items


def _bodies(fakes) -> list[str]:
    return [m.get_content() for m in fakes.outbox.sent]


def test_fifty_overdue_files_send_one_email_per_role_in_the_hour_and_the_rest_next_hour(
    fakes, queue, clock
) -> None:
    """Issue 13's done-when: 50 files overdue within one hour make one email to each Kasi (not
    50), a redelivery of all 50 adds none, and the next hour's email is asked for once."""
    for n in range(50):
        item = _item(n)
        queue[item.case_id] = item
        clock[0] = START + timedelta(seconds=n * 30)  # 18.05 to 18.29 WIB
        tasks.handle(_escalation(item))
    for n in range(50):
        tasks.handle(_escalation(_item(n)))  # SQS delivers every message again
    assert fakes.outbox.to() == ["kasi1@x.go.id", "kasi2@x.go.id"]
    first = _bodies(fakes)[0]
    assert "case000" in first  # the first file, whose escalation sent the email
    # Files flagged after the email are not in it; the next hour's email was asked for, once.
    follow_ups = [(m, d) for m, d in fakes.notices.sent if m["task"] == "overdue_digest"]
    assert len(follow_ups) == 1
    message, delay = follow_ups[0]
    assert message["slot"] == "2026-11-30T12:00:00.000Z"  # 19.00 WIB
    assert 0 < delay <= 900  # SQS's most; the message waits again until 19.00

    # 19.00 WIB: 3 files still wait (the others were decided meanwhile); the digest lists them.
    for n in range(3, 50):
        queue.pop(f"case{n:03d}")
    clock[0] = datetime(2026, 11, 30, 12, 0, 1, tzinfo=UTC)
    tasks.handle(message)
    tasks.handle(message)  # delivered again
    assert fakes.outbox.to() == ["kasi1@x.go.id", "kasi2@x.go.id"] * 2
    second = _bodies(fakes)[2]
    assert all(f"case00{n}" in second for n in range(3)) and "case003" not in second
    subject = "3 berkas lewat waktu baku: Petugas Antar Kerja / Staf Pelayanan, Dinas Tenaga Kerja"
    assert [str(m["Subject"]) for m in fakes.outbox.sent[2:]] == [f"{subject} Kabupaten Pasuruan"] * 2
    assert len([m for m, _d in fakes.notices.sent if m["task"] == "overdue_digest"]) == 1  # nothing new


def test_an_early_digest_message_waits_for_its_hour(fakes, queue, clock) -> None:
    """SQS delays a message 15 minutes at most: one that comes before its hour is sent again,
    delayed, once per delivery; none is mailed early."""
    queue["case001"] = _item(1)
    early = {
        "task": "overdue_digest",
        "case_id": f"digest:{OFFICE}:{ROLE}",
        "office": OFFICE,
        "role": ROLE,
        "escalates_to": KASI,
        "slot": "2026-11-30T12:00:00.000Z",
        "entered": "2026-11-30T11:05:00.000Z",
    }
    tasks.handle(dict(early))
    tasks.handle(dict(early))  # delivered again: waits once
    assert fakes.outbox.to() == []
    again = [(m, d) for m, d in fakes.notices.sent if m["task"] == "overdue_digest"]
    assert len(again) == 1 and again[0][1] == 900 and again[0][0]["slot"] == early["slot"]


def test_a_late_digest_message_never_makes_a_second_email_in_an_hour(fakes, queue, clock) -> None:
    """A digest message delivered in an hour whose email an escalation already sent asks for the
    next hour instead."""
    queue["case001"] = _item(1)
    tasks.handle(_escalation(_item(1)))  # 18.05 WIB: this hour's email
    late = {
        "task": "overdue_digest",
        "case_id": f"digest:{OFFICE}:{ROLE}",
        "office": OFFICE,
        "role": ROLE,
        "escalates_to": KASI,
        "slot": "2026-11-30T10:00:00.000Z",  # 17.00 WIB, delivered at 18.05
        "entered": "2026-11-30T10:00:00.000Z",
    }
    tasks.handle(late)
    assert len(fakes.outbox.sent) == 2  # one per Kasi, as before
    assert [m["slot"] for m, _d in fakes.notices.sent] == ["2026-11-30T12:00:00.000Z"]


def test_the_digest_reads_as_people_do(fakes, queue, clock) -> None:
    """Role and office by name, times in WIB the Indonesian way, the service and step, and a link
    to the queue of overdue files; no id or raw timestamp."""
    item = _item(7)
    queue[item.case_id] = item
    tasks.handle(_escalation(item))
    body = _bodies(fakes)[0]
    assert "Yth. Bapak/Ibu Kepala Seksi Penempatan" in body
    assert "Per 30 Nov 2026 18.05 WIB, 1 berkas di kotak tugas Petugas Antar Kerja / Staf Pelayanan" in body
    assert "case007 · Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online) · langkah 5 (" in body
    assert "langkah 5 (" in body and "masuk 30 Nov 2026 17.35 WIB · waktu baku 1 menit" in body
    assert "https://staf.loket.test/api/staff?keadaan=lewat" in body
    assert ROLE not in body and KASI not in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", body)


def test_the_step_of_the_escalation_is_listed_before_its_item_is_flagged(fakes, queue, clock) -> None:
    """Step Functions flags the work item overdue (ONN) after it sends the escalation (ENN): the
    worker may read the queue first; the escalated file is in the email all the same."""
    tasks.handle(_escalation(_item(9)))  # the queue does not show it overdue yet
    assert "case009" in _bodies(fakes)[0]


def test_a_role_at_the_top_is_recorded_not_mailed(fakes, queue, clock) -> None:
    item = _item(2)
    queue[item.case_id] = item
    tasks.handle(dict(_escalation(item), escalates_to=None))
    assert fakes.outbox.to() == [] and fakes.notices.sent == []  # nobody to tell, nothing to queue
    assert [e.action for e in fakes.audit.trail(item.case_id)] == ["overdue"]


def test_slots_are_clock_hours_in_production(fakes) -> None:
    assert overdue.slot_seconds() == 3600
    assert overdue.slot_start(datetime(2026, 11, 30, 11, 59, 59, tzinfo=UTC)) == datetime(
        2026, 11, 30, 11, 0, tzinfo=UTC
    )


def test_a_failed_email_to_one_kasi_does_not_mail_the_other_twice(fakes, queue, clock, monkeypatch) -> None:
    """Each recipient's digest is an effect of its own: SES failing for the second Kasi fails the
    task (SQS delivers it again), and the redelivery mails only the one not yet mailed. A later
    pass of the same step (after a return) is recorded on the case again."""
    sent: list[str] = []
    down = {"kasi2@x.go.id"}

    def send(message: object) -> str:
        to = str(message["To"])  # type: ignore[index]
        if to in down:
            down.clear()
            raise ConnectionError("SES down")
        sent.append(to)
        return f"m-{len(sent)}"

    monkeypatch.setattr(fakes.outbox, "send", send)
    item = _item(4)
    queue[item.case_id] = item
    with pytest.raises(ConnectionError):
        tasks.handle(_escalation(item))
    tasks.handle(_escalation(item))  # SQS delivers it again
    tasks.handle(_escalation(item))  # and once more: done
    assert sent == ["kasi1@x.go.id", "kasi2@x.go.id"]
    tasks.handle(dict(_escalation(item), entered_at=iso(START)))  # overdue again, a later pass
    assert [e.action for e in fakes.audit.trail(item.case_id)] == ["overdue", "overdue"]
    assert sent == ["kasi1@x.go.id", "kasi2@x.go.id"]  # the hour's digest is sent: the next one lists it
