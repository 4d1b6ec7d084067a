"""The AK-1 holder's obligations (services/holder.py) on the real compiled AK-1 machine: the
six-monthly report is stamped on a re-issued card (same number and QR), a second click stamps
nothing, each reminder is emailed once however often the schedule is replayed, and found work
closes the card on the public verification API."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters import storage
from chalicelib.adapters.models import AuditEvent, Case, HolderReminder
from chalicelib.domain import holder_reports as rules
from chalicelib.domain.tanggal import tanggal
from chalicelib.services import holder
from tests.helpers import Officer, body, busy_once
from tests.unit.test_ak1_card import page_text, qr_values
from tests.walker import Walk


@pytest.fixture
def client(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()
    with Client(app) as c:
        yield c


def _report(walk: Walk, payload: dict[str, Any]) -> Any:
    return walk.client.http.post(
        f"/api/cases/{walk.case_id}/reports", headers=walk.applicant.headers(), body=json.dumps(payload)
    )


def _case(walk: Walk) -> Case:
    return Case.get(*Case.key(walk.case_id), consistent_read=True)


def _card_pdf(walk: Walk) -> tuple[int, bytes]:
    issued = _case(walk).products["kartu_ak1"]
    assert issued.key
    return issued.version, storage.objects().get_document(issued.key)


def _remind(walk: Walk, scheduled: str) -> None:
    walk.client.lambda_.invoke(
        "worker",
        walk.client.events.generate_sqs_event(
            queue_name="loket-worker",
            message_bodies=[json.dumps({"task": "holder_reminders", "case_id": "-", "entered": scheduled})],
        ),
    )


def _reminders_sent(walk: Walk, subject: str) -> int:
    return sum(1 for raw in walk.mails() if subject in raw)


def test_report_restamps_the_card_once_reminders_once_found_work_closes_it(
    client, aws, applicant, staff, monkeypatch
) -> None:
    walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1", username="pemegang")
    walk.file("holder-0001")
    assert walk.run() == "completed"
    issued = _case(walk).products["kartu_ak1"]
    assert issued.issued_on and issued.valid_until and issued.verify_id
    version, original = _card_pdf(walk)
    # Its reminders are written when the card is issued: four boxes and the expiry.
    planned = rules.reminders(issued.issued_on, issued.valid_until)
    for reminder in planned:
        key = HolderReminder.key(reminder.send_on.isoformat(), walk.case_id, reminder.kind)
        assert HolderReminder.get(*key).due == reminder.due.isoformat()

    # Before box 1 opens, "still looking" is refused in words.
    refused = _report(walk, {"kind": rules.STILL_LOOKING})
    assert refused.status_code == 400 and "dapat dibuat mulai" in body(refused)["error"]["message"]

    box1 = rules.due_dates(issued.issued_on)[0] + timedelta(days=2)
    monkeypatch.setattr(holder, "office_today", lambda: box1)
    made = _report(walk, {"kind": rules.STILL_LOOKING})
    assert made.status_code == 200, made.body
    assert (
        body(made)["new"] is True
        and body(made)["holder"]["boxes"][0]["report"]["kind"] == rules.STILL_LOOKING
    )
    while walk.pump():
        pass
    stamped_version, stamped = _card_pdf(walk)
    assert stamped_version == version + 1
    text = page_text(stamped)
    assert "DILAPORKAN" in text and "Masih mencari kerja" in text
    assert str(issued.number) in text and qr_values(stamped) == qr_values(original)  # same number, QR

    # A second click in the window: the same report, no new stamp, no new version.
    again = _report(walk, {"kind": rules.STILL_LOOKING})
    assert again.status_code == 200 and body(again)["new"] is False
    while walk.pump():
        pass
    assert _card_pdf(walk)[0] == stamped_version
    trail = AuditEvent.query(Case.key(walk.case_id)[0], AuditEvent.SK.startswith("AUDIT#"))
    assert sum(1 for e in trail if isinstance(e, AuditEvent) and e.action == "holder_report") == 1

    # The reminder before box 2, by the daily schedule replayed and run again the next day: once.
    second = next(r for r in planned if r.kind == "laporan-2")
    monkeypatch.setattr(holder, "office_today", lambda: second.send_on)
    _remind(walk, "2027-01-01T00:00:00Z")
    _remind(walk, "2027-01-01T00:00:00Z")  # the same scheduled run delivered twice
    monkeypatch.setattr(holder, "office_today", lambda: second.send_on + timedelta(days=1))
    _remind(walk, "2027-01-02T00:00:00Z")  # the next day's run sees it again (catch-up)
    assert _reminders_sent(walk, "Pengingat laporan ke-2") == 1

    # Found work closes the card: the verification API says so; the card is re-issued stamped.
    monkeypatch.setattr(holder, "office_today", lambda: second.due + timedelta(days=3))
    missing = _report(walk, {"kind": rules.FOUND_WORK, "start_date": "2027-01-01"})
    assert missing.status_code == 400 and body(missing)["error"]["field"] == "employer"
    work = {"kind": rules.FOUND_WORK, "employer": "PT Maju Jaya", "start_date": second.due.isoformat()}
    closed = _report(walk, work)
    assert closed.status_code == 200, closed.body
    assert body(closed)["holder"]["closed"]["employer"] == "PT Maju Jaya"
    verdict = client.http.get(f"/api/verify/{issued.verify_id}")
    assert verdict.status_code == 200 and body(verdict)["status"] == "closed"
    assert "Maju" not in verdict.body.decode()  # the employer is not the public's business
    assert body(_report(walk, work))["new"] is False
    while walk.pump():
        pass
    text = page_text(_card_pdf(walk)[1])
    assert "DITUTUP · SUDAH BEKERJA" in text and "PT Maju Jaya" in text and "DILAPORKAN" in text
    # A closed card is reminded of nothing more.
    monkeypatch.setattr(holder, "office_today", lambda: planned[-1].send_on)
    _remind(walk, "2028-11-08T00:00:00Z")
    assert _reminders_sent(walk, "segera berakhir") == 0
    still = _report(walk, {"kind": rules.STILL_LOOKING})
    assert still.status_code == 400 and "sudah ditutup" in body(still)["error"]["message"]

    # The officers' case page: each box with its status and date, the work with employer and start
    # date (for who sees personal data), and the card's QR status in Indonesian.
    page = walk.officer("pengantar_kerja").case_page(walk.case_id).body.decode()
    reports = _section(page, "laporan-pemegang")
    assert "kartu ditutup: sudah bekerja" in reports
    rows = _rows(reports)
    assert "Laporan ke-1" in rows[1] and "Masih mencari kerja" in rows[1] and tanggal(box1) in rows[1]
    assert "Sudah bekerja" in rows[2] and "PT Maju Jaya" in rows[2]
    assert f"sejak {tanggal(second.due)}" in rows[2] and tanggal(second.due + timedelta(days=3)) in rows[2]
    assert "Belum dilaporkan" in rows[3] and "Belum dilaporkan" in rows[4]
    assert "pemeriksaan QR: <strong>Ditutup (sudah bekerja)</strong>" in _section(page, "terbit")
    kasi = Officer(client, *staff("kab-pasuruan.kasi", "kab-pasuruan.kasi_penempatan"))
    shown = _section(kasi.case_page(walk.case_id).body.decode(), "laporan-pemegang")
    assert "Sudah bekerja" in shown and "Maju" not in shown  # no personal data for the Kasi

    # The NIK is free: a new filing's officer sees the closed card among the NIK's earlier cards.
    again = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1", username="pemegang2")
    again.file("holder-0002")
    earlier = _section(
        walk.officer("petugas_antar_kerja").case_page(again.case_id).body.decode(), "kartu-nik"
    )
    assert walk.case_id[:8] in earlier and "Ditutup (sudah bekerja)" in earlier


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section [^>]*id="{section_id}".*?</section>', page, re.S)
    assert found is not None, section_id
    return found.group(0)


def _rows(section: str) -> dict[int, str]:
    """The report table's rows by box number."""
    return {int(n): row for n, row in re.findall(r'<tr data-box="(\d)">(.*?)</tr>', section, re.S)}


def test_a_report_whose_audit_event_failed_is_completed_by_the_next_click(
    client, aws, applicant, staff, monkeypatch
) -> None:
    """The report landed on the case, then its audit event failed (DynamoDB busy: 503); the next
    click found the report recorded (`new` False) and wrote no event: the trail lacked it for good.
    Now every click writes the report's event under a key fixed by the report: once."""
    walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1", username="pelapor")
    walk.file("holder-0002")
    assert walk.run() == "completed"
    issued = _case(walk).products["kartu_ak1"]
    assert issued.issued_on
    monkeypatch.setattr(
        holder, "office_today", lambda: rules.due_dates(issued.issued_on)[0] + timedelta(days=2)
    )
    busy_once(monkeypatch, AuditEvent, "save", lambda event, *args, **kwargs: event.action == "holder_report")
    first = _report(walk, {"kind": rules.STILL_LOOKING})
    assert first.status_code == 503 and first.headers["Retry-After"], first.body
    for _click in range(2):
        again = _report(walk, {"kind": rules.STILL_LOOKING})
        assert again.status_code == 200 and body(again)["new"] is False, again.body
    recorded = _case(walk).holder_reports[0]
    trail = AuditEvent.query(Case.key(walk.case_id)[0], AuditEvent.SK.startswith("AUDIT#"))
    events = [e for e in trail if isinstance(e, AuditEvent) and e.action == "holder_report"]
    assert [(e.at, e.details) for e in events] == [(recorded["at"], {"box": 1, "kind": rules.STILL_LOOKING})]
