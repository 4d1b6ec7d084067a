"""The card holder's obligations online: the six-monthly report, the reminders, the closed card.

The rules are `domain/holder_reports.py`'s; this module reads and writes (docs/adr/0028):

- `report`: the holder reports from the status page (still looking, or found work with employer
  and start date). The report is recorded on the case at the version read (once per window: a
  second click finds the window's report and records nothing), then, on every click, the
  follow-up that is safe to repeat: a card closed by found work is marked closed on its
  verification record and stops being the NIK's card in force (a new filing may follow), and the
  worker is asked to re-issue the card with the box stamped (`restamp_card`, one effect per
  report: same number, dates and QR code, a new version to download);
- `view`: what the status page shows of the card's boxes and what may be reported today;
- `schedule`: when a card is issued final, its reminder emails are written as `HolderReminder`
  items by the day they are sent (a re-issue writes the same items again);
- `send_reminders`: the daily run (EventBridge Scheduler in AWS, a timer in `make run`) emails
  each reminder due since CATCH_UP_DAYS ago, once per card and date (its effect key), skipping a
  box already reported, a closed card and a card no longer in force.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import effects, mail
from chalicelib.adapters.case_store import cases, change_case
from chalicelib.adapters.models import Case, Credential, HolderReminder
from chalicelib.adapters.task_queue import tasks
from chalicelib.adapters.transact import Refused, Write, write_one
from chalicelib.documents import registry
from chalicelib.documents.words import tanggal
from chalicelib.domain import holder_reports as rules
from chalicelib.domain.case_records import IssuedDocument
from chalicelib.domain.clock import iso, office_today
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.services import audit, one_card, verification
from chalicelib.services.catalog import find_service
from chalicelib.settings import get_settings

log = logging.getLogger(__name__)

CATCH_UP_DAYS = 7  # a daily run that did not happen (an outage) is made up within a week


def card_of(case: Case) -> tuple[str, IssuedDocument] | None:
    """The case's card whose holder reports (its renderer's `holder_reports`), once issued
    final with its dates; None otherwise."""
    for key, issued in (case.products or {}).items():
        renderer = registry.renderers.get(key) if key in registry.renderers else None
        if renderer is None or not renderer.holder_reports:
            continue
        if issued.signed and issued.key and issued.issued_on and issued.valid_until:
            return key, issued
    return None


# --- the holder ------------------------------------------------------------------------------------


def report(applicant_sub: str, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Record the holder's report on their own case `case_id` (`body`: {"kind": masih_mencari |
    sudah_bekerja, "employer", "start_date": YYYY-MM-DD}). Returns {"report": the report as
    `Report.as_dict`, "new": whether it was recorded now, "holder": `view`}.

    Raises NotFound (not their case, or no card that takes reports), InvalidInput (the reason in
    Indonesian, `field`), Conflict when the case kept changing."""
    from chalicelib.services.cases import own_case

    case = own_case(applicant_sub, case_id)
    found = card_of(case)
    if found is None:
        raise NotFound("Berkas ini tidak memiliki kartu yang dilaporkan.")
    key, issued = found
    assert issued.issued_on is not None and issued.valid_until is not None
    taken: list[tuple[rules.Report, bool]] = []

    def record(current: Case) -> list[Any]:
        taken.clear()
        reports = rules.recorded(current.holder_reports)
        try:
            chosen, new = rules.take(
                reports,
                issued.issued_on,  # type: ignore[arg-type]
                issued.valid_until,  # type: ignore[arg-type]
                office_today(),
                iso(),
                str(body.get("kind") or ""),
                body.get("employer"),
                body.get("start_date"),
            )
        except rules.ReportRefused as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        taken.append((chosen, new))
        if not new:
            return []
        return [Case.holder_reports.set([*(r.as_dict() for r in reports), chosen.as_dict()])]

    updated = change_case(case.case_id, record, read=case)
    chosen, new = taken[-1]  # the last attempt is the one written (or found done)
    # Every click writes the report's event: its key is fixed by the report (its time, box and
    # kind), so the same put again replaces it with itself, and a click repeated after one that
    # failed past the report (DynamoDB busy: 503) completes the trail instead of skipping it.
    audit.event(
        case.case_id,
        applicant_sub,
        "pemohon",
        "-",
        "holder_report",
        chosen.stamp,
        {"box": chosen.box, "kind": chosen.kind},
        at=chosen.at,
        event_id=f"lapor-{chosen.box}-{chosen.kind}",
    ).save()
    _follow_up(updated, key, issued, chosen)
    return {"report": chosen.as_dict(), "new": new, "holder": view(updated)}


def _follow_up(case: Case, key: str, issued: IssuedDocument, chosen: rules.Report) -> None:
    """What follows a report, safe to repeat (each click repeats it: a failure is mended by the
    next): found work closes the card's verification record and frees the NIK; the worker
    re-issues the card with the box stamped, once per report (its effect key)."""
    if chosen.kind == rules.FOUND_WORK and issued.verify_id:
        credential = verification.credential(issued.verify_id)
        if credential is not None and not credential.closed_at:
            with contextlib.suppress(Refused):  # Refused: closed meanwhile by the other click
                write_one(
                    Write(
                        "update",
                        credential,
                        condition=Credential.closed_at.does_not_exist(),
                        actions=[Credential.closed_at.set(chosen.at)],
                    )
                )
        if credential is not None:
            one_card.revoked(credential)  # no longer the NIK's card in force: a new filing may follow
    tasks().send(
        {
            "task": "restamp_card",
            "case_id": case.case_id,
            "office": case.office,
            "service": case.service,
            "product": key,
            "entered": chosen.at,  # one re-issue per report (worker/tasks.py effect_key)
        }
    )


def view(case: Case) -> dict[str, Any] | None:
    """What the status page shows of the card's reports (None for a case without such a card):
    {"product", "name", "number", "valid_until", "closed": {"on", "employer", "start_date"} or
    None, "open_box": the box taking a report today or None, "first_opens": YYYY-MM-DD,
    "expired": bool, "boxes": [{"box", "scheduled" ("Mei 2027"), "opens", "closes", "report":
    {"kind", "label", "on", "employer", "start_date"} or None}]}."""
    found = card_of(case)
    if found is None:
        return None
    key, issued = found
    assert issued.issued_on is not None and issued.valid_until is not None
    reports = rules.recorded(case.holder_reports)
    latest = {r.box: r for r in reports}
    today = office_today()
    closed = rules.closing(reports)
    boxes = []
    for box, due in enumerate(rules.due_dates(issued.issued_on), start=1):
        opens, closes = rules.window(issued.issued_on, issued.valid_until, box)
        shown = latest.get(box)
        boxes.append(
            {
                "box": box,
                "scheduled": rules.scheduled(due),
                "opens": opens.isoformat(),
                "closes": closes.isoformat(),
                "report": None
                if shown is None
                else {
                    "kind": shown.kind,
                    "label": shown.stamp,
                    "on": shown.on.isoformat(),
                    "employer": shown.employer,
                    "start_date": shown.start_date.isoformat() if shown.start_date else None,
                },
            }
        )
    return {
        "product": key,
        "name": issued.name or key,
        "number": issued.number,
        "valid_until": issued.valid_until.isoformat(),
        "expired": today > issued.valid_until,
        "closed": None
        if closed is None
        else {
            "on": closed.on.isoformat(),
            "employer": closed.employer,
            "start_date": closed.start_date.isoformat() if closed.start_date else None,
        },
        "open_box": rules.open_box(issued.issued_on, issued.valid_until, today),
        "first_opens": rules.due_dates(issued.issued_on)[0].isoformat(),
        "boxes": boxes,
    }


# --- the reminders ---------------------------------------------------------------------------------


def schedule(case: Case, key: str, issued: IssuedDocument) -> int:
    """Write the reminder items of a card issued final (idempotent: the same keys again).
    Returns how many."""
    if not issued.issued_on or not issued.valid_until:
        return 0
    found = rules.reminders(issued.issued_on, issued.valid_until)
    for reminder in found:
        HolderReminder(
            *HolderReminder.key(reminder.send_on.isoformat(), case.case_id, reminder.kind),
            case_id=case.case_id,
            office=case.office,
            service=case.service,
            product=key,
            reminder=reminder.kind,
            due=reminder.due.isoformat(),
            send_on=reminder.send_on.isoformat(),
        ).save()
    return len(found)


def _due(today: date) -> list[HolderReminder]:
    """Every reminder item sent from CATCH_UP_DAYS ago to `today`, by the month partitions."""
    start = today - timedelta(days=CATCH_UP_DAYS)
    months = sorted({start.isoformat()[:7], today.isoformat()[:7]})
    found: list[HolderReminder] = []
    for month in months:
        for item in HolderReminder.query(
            HolderReminder.partition(month),
            HolderReminder.SK.between(start.isoformat(), f"{today.isoformat()}~"),
        ):
            if isinstance(item, HolderReminder):
                found.append(item)
    return found


def send_reminders(today: date | None = None) -> dict[str, int]:
    """The daily run: email every reminder due (see the module), each once per card and date.
    Returns {"due": items read, "sent": emails sent now, "skipped": not worth sending}."""
    today = today or office_today()
    due = _due(today)
    sent = skipped = 0
    for item in due:
        reminder = rules.Reminder(
            item.reminder, date.fromisoformat(item.due), date.fromisoformat(item.send_on)
        )
        try:
            case = cases().get(item.case_id)
        except NotFound:
            skipped += 1
            continue
        found = card_of(case)
        if (
            found is None
            or not _in_force(found[1])
            or not rules.still_due(reminder, rules.recorded(case.holder_reports))
        ):
            skipped += 1
            continue
        email = str((case.data or {}).get("email") or "")
        if not email:
            skipped += 1
            continue
        key = f"holder-reminder:{case.case_id}:{reminder.kind}:{reminder.due.isoformat()}"
        ran, _result = effects.once(key, _sender(case, reminder, email, found[1]))
        sent += 1 if ran else 0
    return {"due": len(due), "sent": sent, "skipped": skipped}


def _in_force(issued: IssuedDocument) -> bool:
    """Its verification record still says valid (not superseded, revoked, closed)."""
    credential = verification.credential(issued.verify_id) if issued.verify_id else None
    return credential is not None and verification.status_of(credential) == "valid"


def _sender(
    case: Case, reminder: rules.Reminder, email: str, issued: IssuedDocument
) -> Callable[[], dict[str, Any]]:
    return lambda: _send(case, reminder, email, issued)


def _send(case: Case, reminder: rules.Reminder, email: str, issued: IssuedDocument) -> dict[str, Any]:
    entry = find_service(case.office, case.service)
    box = int(reminder.kind.removeprefix("laporan-")) if reminder.kind.startswith("laporan-") else None
    context = {
        "case_id": case.case_id,
        "office_name": entry.office_sop.full_name if entry else case.office,
        "document": issued.name or "Kartu AK-1",
        "number": issued.number or "",
        "box": box,
        "due": tanggal(reminder.due),
        "status_url": f"{get_settings().public_site_url.rstrip('/')}/berkas.html?id={case.case_id}",
    }
    message_id = mail.outbox().send(mail.build_message(email, "holder_reminder", context))
    audit.record(case.case_id, "-", "email", template="holder_reminder", reminder=reminder.kind)
    return {"message_id": message_id}
