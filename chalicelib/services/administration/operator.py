"""The operator's desk of an office (`/staff/admin/desk`): what is stuck, and the actions that
free it, for the office's administrator and their office only.

What the desk shows (no personal data: case id, service, status, step, error and times):

- **stuck cases**: cases whose current execution failed (a worker task failed for good or timed
  out: `Macet` -> `Gagal` in `sop/compiler.py`), with the error in words (`domain/failures.py`)
  and the SOP's steps to restart from;
- **dead-lettered messages** of the office (`adapters/dead_letters.py`; each message's JSON body
  names its `office`), with whether an execution still waits for it;
- **failed executions** of the office's state machines (`<prefix><office>-<service>`), newest
  first, including the ones already restarted or whose case has ended;
- **decisions not delivered** ("keputusan belum terkirim ke mesin alur"): work items answered
  more than a minute ago whose decision Step Functions never heard (its SendTaskSuccess and the
  compensation both failed) while the task still waits (`services/delivery.undelivered`, which
  settles the others: heard ones marked delivered, ones whose task ended void).

The actions, each written to the case's audit trail (`services/audit.py`, actor = the
administrator, role `admin`) and the office log, each safe against a second click:

- `retry_message`: one dead-lettered message back to the worker queue; the execution still waits
  for its token (the system task's timeout is an hour), so the case goes on. A message already
  sent back does nothing and says who sent it when; a message whose execution no longer waits is
  refused (restart the case instead);
- `redrive_office`: every dead-lettered message of this office that an execution still waits for;
- `resend_decision`: one such decision sent again as it was taken (`delivery.resend`); a second
  click finds it heard and sends nothing;
- `restart_case`: a new execution of a stuck case, named `<case_id>-r<n>`, beginning at a named
  step (the machine's `Mulai` routes on `resume_at`); the case is `submitted` again and holds the
  new execution. A second restart while one runs is refused.

Another office's case or message is "not found", exactly like one that does not exist.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.adapters import dead_letters, executions, workflow
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, Case, OfficeEvent, WorkItem, key_text_ok
from chalicelib.adapters.transact import Refused, Write, write_all, write_one
from chalicelib.domain.clock import iso, parse
from chalicelib.domain.failures import DEAD_LETTER, Explained, explain
from chalicelib.domain.tanggal import waktu
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import audit, delivery
from chalicelib.services.administration import office_log
from chalicelib.services.catalog import ServiceEntry, find_service
from chalicelib.settings import get_settings
from chalicelib.sop.compiler import step_id
from chalicelib.sop.loader import list_services
from chalicelib.sop.schema import ServiceStandard

ROLE = "admin"
CLOSED = frozenset({"completed", "rejected", "expired"})
# An execution that ended without success: its case may be restarted.
ENDED_BADLY = frozenset({"FAILED", "TIMED_OUT", "ABORTED"})
FAILED_LIMIT = 25  # failed executions shown, newest first
LABEL_LENGTH = 90

# What each worker task does, in words.
TASK_WORDS = {
    "send_email": "mengirim email ke pemohon",
    "issue_document": "menerbitkan dokumen",
    "number_letter": "memberi nomor surat",
    "publish_download": "membuka unduhan dokumen untuk pemohon",
    "escalate": "memberi tahu atasan bahwa langkah lewat waktu",
    "overdue_digest": "mengirim ringkasan berkas lewat waktu baku ke atasan",
    "return_to_applicant": "mengembalikan berkas ke pemohon",
    "close_case": "menutup berkas",
    "step_deadline": "menghitung batas waktu langkah",
    "check_upload": "memeriksa berkas unggahan pemohon (pindai virus, gambar dibuat ulang)",
    "send_receipt": "mengirim tanda terima berkas (kode berkas) ke pemohon",
    "applicant_step_closed": "menutup langkah pemohon yang tidak dikonfirmasi tepat waktu",
    "restamp_card": "menerbitkan ulang kartu dengan kotak laporan pemegang terisi",
    "holder_reminders": "mengirim pengingat laporan enam bulanan dan masa berlaku kartu",
    "evaluation_pdf": "membuat PDF evaluasi kinerja untuk rapat",
}
# Names of the state machine's states: which step a state belongs to (sop/compiler.py).
_STATE = re.compile(r"^(?:AW|AH|AX|[WPHEORXA])(\d{2})")
_CLOSING_STATES = {"Selesai": "penutupan berkas (selesai)", "Ditolak": "penutupan berkas (ditolak)"}
_EXECUTION_NAME = re.compile(r"^(?P<case>[a-z0-9]{1,64})(?:-r(?P<n>\d{1,4}))?$")
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9-]{1,100}$")

GONE = "Pesan ini tidak ada lagi di antrean dead-letter kantor ini (mungkin baru saja dikirim ulang)."
CASE_GONE = "Berkas tidak ditemukan di kantor ini."
OLD_RUN = "Pesan ini dari alur lama, sebelum berkas dimulai ulang; alur yang berjalan tidak menunggunya."


@dataclass(frozen=True)
class StepChoice:
    """A step to restart from: its id ("05") and its words ("Langkah 5 · Memeriksa ...")."""

    id: str
    label: str


@dataclass(frozen=True)
class FailedRun:
    """One failed execution of the office, as the desk lists it.

    `current`: it is the case's execution now (else the case was restarted as `restarted_as`);
    `restartable`: current and the case has not ended; `step`/`step_label`: where it failed
    (None when the history does not say, or for the closing states)."""

    case_id: str
    service: str
    service_title: str
    case_status: str
    execution: str
    execution_status: str
    started_at: str
    stopped_at: str | None
    error: Explained
    execution_error: str | None
    current: bool
    restartable: bool
    step: str | None = None
    step_label: str = ""
    restarted_as: str | None = None
    steps: list[StepChoice] = field(default_factory=list)


@dataclass(frozen=True)
class LetterRow:
    """One dead-lettered message of the office: `waiting` when an execution still waits for it
    (or nobody waits: a notice), else `blocked` says why sending it back would not help."""

    message_id: str
    case_id: str
    service: str
    service_title: str
    task: str
    task_words: str
    step: str | None
    step_label: str
    sent_at: str | None
    waiting: bool
    blocked: str | None = None


@dataclass(frozen=True)
class UndeliveredRow:
    """A decision kept on its work item that Step Functions has not heard, while the task waits:
    who decided what and when, and who is sending it again now (None: nobody)."""

    case_id: str
    item: str  # the work item's sort key, `WORK#<step>#<entered_at>`
    service_title: str
    step: str
    step_label: str
    decision: str
    decision_words: str
    decided_by: str
    decided_at: str
    resending_by: str | None


@dataclass(frozen=True)
class Desk:
    """Everything the desk page shows for one office. `letters_more`: the queue held more
    messages than one read takes (the list is partial)."""

    office: str
    stuck: list[FailedRun]
    failures: list[FailedRun]
    letters: list[LetterRow]
    letters_more: bool
    dead_letter: Explained
    log: list[OfficeEvent]
    undelivered: list[UndeliveredRow] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """What an action did, in one Indonesian sentence for the page; `changed` False when it did
    nothing (a second click)."""

    text: str
    changed: bool = True


# --- reading ------------------------------------------------------------------------------------


def _entry(office: str, service: str) -> ServiceEntry | None:
    return find_service(office, service)


def _step_label(sop: ServiceStandard | None, sid: str | None) -> str:
    if sid is None:
        return ""
    if sop is None or not sid.isdigit():
        return f"Langkah {sid}"
    try:
        activity = sop.step(int(sid)).activity
    except KeyError:
        return f"Langkah {int(sid)}"
    text = " ".join(str(activity).split())
    if len(text) > LABEL_LENGTH:
        text = text[: LABEL_LENGTH - 1].rstrip() + "…"
    return f"Langkah {int(sid)} · {text}"


def steps_of(sop: ServiceStandard) -> list[StepChoice]:
    """The process steps a case of this service may be restarted from, in the SOP's order."""
    return [StepChoice(step_id(s.number), _step_label(sop, step_id(s.number))) for s in sop.process_steps]


def _state_step(state: str | None) -> tuple[str | None, str]:
    """(step id, words) of a state of the compiled machine; (None, words) for a closing state."""
    if not state:
        return None, ""
    if state in _CLOSING_STATES:
        return None, _CLOSING_STATES[state]
    found = _STATE.match(state)
    return (found.group(1), "") if found else (None, "")


def _case(case_id: str) -> Case | None:
    if not key_text_ok(case_id):
        return None
    try:
        return Case.get(*Case.key(case_id), consistent_read=True)
    except Case.DoesNotExist:
        return None


def office_case(office: str, case_id: str) -> Case:
    """A case of this office; NotFound for anything else (another office's, a typo)."""
    case = _case(case_id.strip())
    if case is None or case.office != office:
        raise NotFound(CASE_GONE)
    return case


def _fault(case: Case) -> tuple[str | None, str | None]:
    """The stuck case's error as `Macet` kept it (JSON {Error, Cause})."""
    try:
        fault = json.loads(case.fault or "{}")
    except ValueError:
        return None, case.fault
    if not isinstance(fault, dict):
        return None, None
    return fault.get("Error"), fault.get("Cause")


def _run(office: str, found: executions.Execution) -> FailedRun | None:
    named = _EXECUTION_NAME.match(found.name)
    case = _case(named.group("case")) if named else None
    if case is None or case.office != office:
        return None
    entry = _entry(office, case.service)
    described = executions.describe(found.arn) or found
    current = case.execution_arn == found.arn
    restartable = current and case.status not in CLOSED
    error, cause = described.error, described.cause
    if current and case.fault:
        error, cause = _fault(case)
    elif not current:  # the case's fault went with the restart; its audit event kept the error
        kept = next(
            (e for e in _restarts(case.case_id) if (e.details or {}).get("previous") == found.name), None
        )
        if kept is not None and (kept.details or {}).get("error"):
            error, cause = str((kept.details or {})["error"]), None
    sid, words = (None, "")
    if restartable:
        sid, words = _state_step(executions.failed_state(found.arn))
    sop = entry.sop if entry else None
    return FailedRun(
        case_id=case.case_id,
        service=case.service,
        service_title=entry.title if entry else case.service,
        case_status=case.status,
        execution=found.name,
        execution_status=described.status,
        started_at=described.started_at,
        stopped_at=described.stopped_at,
        error=explain(error, cause),
        execution_error=described.error,
        current=current,
        restartable=restartable,
        step=sid,
        step_label=_step_label(sop, sid) if sid else words,
        restarted_as=None if current else (case.execution_arn or "").rsplit(":", 1)[-1] or None,
        steps=steps_of(sop) if sop and restartable else [],
    )


def failed_runs(office: str, limit: int = FAILED_LIMIT) -> list[FailedRun]:
    """The failed executions of the office's state machines, newest first (at most `limit`)."""
    found: list[executions.Execution] = []
    for service in list_services(office):
        entry = _entry(office, service)
        if entry is not None:
            found += executions.failed(entry.machine, limit)
    found.sort(key=lambda e: e.stopped_at or e.started_at, reverse=True)
    runs = [_run(office, e) for e in found[:limit]]
    return [r for r in runs if r is not None]


def _office_of(letter: dead_letters.DeadLetter) -> str | None:
    office = (letter.body or {}).get("office")
    return office if isinstance(office, str) else None


def wib(at: str | None) -> str:
    """An ISO time as office time (WIB), as the desk's sentences say it."""
    return waktu(_moment(at or ""))


def _moment(text: str) -> datetime | None:
    try:
        return parse(text)
    except (TypeError, ValueError):
        return None


class _Waits:
    """Whether an execution still waits for a dead-lettered message (cached per case for one read)."""

    def __init__(self) -> None:
        self.cases: dict[str, tuple[Case | None, executions.Execution | None]] = {}

    def state(self, case_id: str) -> tuple[Case | None, executions.Execution | None]:
        if case_id not in self.cases:
            case = _case(case_id)
            running = executions.describe(case.execution_arn) if case and case.execution_arn else None
            self.cases[case_id] = (case, running)
        return self.cases[case_id]

    def blocked(self, letter: dead_letters.DeadLetter) -> str | None:
        """Why sending the message back would not help; None when it would."""
        body = letter.body or {}
        case, execution = self.state(str(body.get("case_id", "")))
        if case is None:
            return "Berkasnya tidak ditemukan."
        if not body.get("task_token"):
            return None  # a notice (an escalation): nobody waits for it, sending it again is harmless
        if execution is None or execution.status != "RUNNING":
            return (
                "Alur berkas ini sudah berhenti, jadi tidak ada yang menunggu pesan ini; "
                "mulai ulang berkasnya dari langkah yang gagal."
            )
        entered = _moment(str(body.get("entered", "")))
        started = _moment(execution.started_at)
        if entered and started and entered < started:
            return OLD_RUN
        return None


def _letter_row(letter: dead_letters.DeadLetter, waits: _Waits) -> LetterRow:
    body = letter.body or {}
    case_id = str(body.get("case_id", ""))
    service = str(body.get("service", ""))
    entry = _entry(str(body.get("office", "")), service)
    task = str(body.get("task", ""))
    sid = str(body["step"]) if body.get("step") else None
    blocked = waits.blocked(letter)
    return LetterRow(
        message_id=letter.message_id,
        case_id=case_id,
        service=service,
        service_title=entry.title if entry else service,
        task=task,
        task_words=TASK_WORDS.get(task, "tugas sistem yang tidak dikenal"),
        step=sid,
        step_label=_step_label(entry.sop if entry else None, sid) if sid else "",
        sent_at=letter.sent_at,
        waiting=blocked is None,
        blocked=blocked,
    )


def desk(office: str) -> Desk:
    """What the operator's desk of `office` shows. Raises Loket's errors for AWS failures
    (translated by the entry point)."""
    runs = failed_runs(office)
    read = dead_letters.peek()
    waits = _Waits()
    letters = [_letter_row(m, waits) for m in read.messages if _office_of(m) == office]
    letters.sort(key=lambda r: r.sent_at or "")
    return Desk(
        office=office,
        stuck=[r for r in runs if r.restartable],
        failures=runs,
        letters=letters,
        letters_more=read.more,
        dead_letter=explain(DEAD_LETTER),
        log=[e for e in office_log.log(office) if e.action in office_log.DESK_ACTIONS],
        undelivered=[_undelivered_row(i) for i in delivery.undelivered(office)],
    )


def _undelivered_row(item: WorkItem) -> UndeliveredRow:
    entry = _entry(item.office, item.service)
    decision = str((item.pending_output or {}).get("decision") or item.decision or "")
    return UndeliveredRow(
        case_id=item.case_id,
        item=item.SK,
        service_title=entry.title if entry else item.service,
        step=item.step,
        step_label=_step_label(entry.sop if entry else None, item.step),
        decision=decision,
        decision_words=delivery.DECISION_WORDS.get(decision, decision),
        decided_by=item.answered_by or "",
        decided_at=item.answered_at or "",
        resending_by=item.resending_by,
    )


# --- acting -------------------------------------------------------------------------------------


def _retried(office: str, case_id: str, message_id: str) -> AuditEvent | None:
    """The audit event of an earlier retry of this message on this office's case, if any."""
    case = _case(case_id.strip())
    if case is None or case.office != office:
        return None
    for event in reversed(audit.trail(case.case_id)):
        if event.action == "dlq_retry" and (event.details or {}).get("message_id") == message_id:
            return event
    return None


def _record_retry(who: Principal, office: str, letter: dead_letters.DeadLetter, bulk: bool) -> None:
    body = letter.body or {}
    task = str(body.get("task", ""))
    step = str(body.get("step") or "-")
    case_id = str(body.get("case_id", ""))
    event = audit.event(
        case_id,
        who.username,
        ROLE,
        step,
        "dlq_retry",
        note=f"Pesan pekerja ({TASK_WORDS.get(task, task)}) dikirim ulang dari antrean dead-letter "
        "lewat meja operator.",
        details={"message_id": letter.message_id, "task": task, "all": bulk},
    )
    writes = [Write("save", event)]
    if not bulk:
        details = {"message_id": letter.message_id, "task": task, "step": step}
        writes.append(Write("save", office_log.event(office, who, "dlq_retry", case_id, details)))
    write_all(writes)


def retry_message(who: Principal, office: str, message_id: str, case_id: str) -> Outcome:
    """Send one dead-lettered message of the office back to the worker queue.

    A second retry of the same message does nothing (`changed` False) and says who sent it back
    when. Raises NotFound for a message that is not in the queue (or is another office's), and
    Conflict when no execution waits for it any more (the message stays in the queue)."""
    message_id = message_id.strip()
    if not _MESSAGE_ID.match(message_id):
        raise NotFound(GONE)
    waits = _Waits()
    blocked: list[str] = []

    def this_one(letter: dead_letters.DeadLetter) -> bool:
        if letter.message_id != message_id or _office_of(letter) != office:
            return False
        reason = waits.blocked(letter)
        if reason:
            blocked.append(reason)
            return False
        return True

    moved = dead_letters.move_back(this_one).messages
    if blocked:
        raise Conflict(f"{blocked[0]} Pesan tetap di antrean dead-letter.")
    if not moved:
        earlier = _retried(office, case_id, message_id)
        if earlier is None:
            raise NotFound(GONE)
        return Outcome(
            f"Pesan ini sudah dikirim ulang oleh {earlier.actor} pada {wib(earlier.at)}; tidak dikirim lagi.",
            changed=False,
        )
    letter = moved[0]
    _record_retry(who, office, letter, bulk=False)
    body = letter.body or {}
    task = str(body.get("task", ""))
    return Outcome(
        f"Pesan dikirim ulang ke pekerja ({TASK_WORDS.get(task, task)}): "
        f"berkas {body.get('case_id')} melanjutkan langkahnya. Muat ulang halaman ini untuk melihat hasilnya."
    )


def redrive_office(who: Principal, office: str) -> Outcome:
    """Send every dead-lettered message of the office that an execution still waits for (or
    that nobody waits for: a notice) back to the worker queue; the others stay, and are counted.
    A second click finds nothing to send and says so (`changed` False)."""
    waits = _Waits()
    skipped: list[str] = []

    def ours(letter: dead_letters.DeadLetter) -> bool:
        if _office_of(letter) != office:
            return False
        if waits.blocked(letter):
            skipped.append(letter.message_id)
            return False
        return True

    moved = dead_letters.move_back(ours)
    for letter in moved.messages:
        _record_retry(who, office, letter, bulk=True)
    left = f" {len(skipped)} pesan tetap di antrean karena alur berkasnya sudah berhenti." if skipped else ""
    if not moved.messages:
        return Outcome(
            "Tidak ada pesan kantor ini yang dapat dikirim ulang; tidak ada yang dikirim." + left,
            changed=False,
        )
    cases = sorted({str((m.body or {}).get("case_id", "")) for m in moved.messages})
    office_log.write(
        office, who, "dlq_redrive", f"{len(moved.messages)} pesan", {"cases": cases, "skipped": len(skipped)}
    )
    more = " Antrean masih berisi pesan lain: tekan lagi untuk sisanya." if moved.more else ""
    return Outcome(f"{len(moved.messages)} pesan dikirim ulang ke pekerja.{left}{more}")


def resend_decision(who: Principal, office: str, case_id: str, item_key: str) -> Outcome:
    """Send a decision Step Functions has not heard again, as it was taken, from the desk.

    Written with the delivered mark: the case's audit event (`decision_resent`, actor the
    administrator, role `admin`) and the office log's line. A second click sends nothing and
    says the decision was heard (`changed` False). Raises NotFound for an item that is not this
    office's, Conflict when the decision was taken back, is being sent by someone else, or its
    task ended without hearing it (the decision is then void, as the trail says)."""
    case = office_case(office, case_id)
    if not key_text_ok(item_key) or not item_key.startswith(WorkItem.PREFIX):
        raise NotFound(CASE_GONE)
    try:
        item = WorkItem.get(Case.partition(case.case_id), item_key, consistent_read=True)
    except WorkItem.DoesNotExist:
        raise NotFound(CASE_GONE) from None
    if item.office != office:
        raise NotFound(CASE_GONE)
    if not delivery.pending(item):
        if item.delivered_at:
            return Outcome(delivery.HEARD, changed=False)
        raise Conflict("Keputusan tugas ini tidak menunggu untuk dikirim; muat ulang halaman.")
    logged = office_log.event(
        office, who, "decision_resent", case.case_id, {"step": item.step, "decision": item.decision}
    )
    sent = delivery.resend(item, who.username, ROLE, "meja operator", also=[Write("save", logged)])
    return Outcome(sent.text, changed=sent.changed)


def _restart_number(execution_name: str) -> int:
    named = _EXECUTION_NAME.match(execution_name)
    return int(named.group("n") or 0) + 1 if named else 1


def _restarts(case_id: str) -> list[AuditEvent]:
    """The case's restarts from the desk, newest first."""
    return [e for e in reversed(audit.trail(case_id)) if e.action == "restarted"]


def _last_restart(case_id: str) -> AuditEvent | None:
    return next(iter(_restarts(case_id)), None)


def _not_restartable(case: Case, current: executions.Execution | None) -> Conflict:
    if current is None:
        return Conflict(
            "Berkas ini belum berjalan di alur layanan (belum diajukan); tidak ada yang dimulai ulang."
        )
    if current.status == "RUNNING":
        last = _last_restart(case.case_id)
        if last is not None and (last.details or {}).get("execution") == current.name:
            return Conflict(
                f"Berkas {case.case_id} sudah dimulai ulang oleh {last.actor} pada {wib(last.at)} dan "
                "sedang berjalan; tidak dimulai dua kali."
            )
        return Conflict(
            f"Berkas {case.case_id} sedang berjalan; hanya berkas yang macet atau gagal "
            "yang dapat dimulai ulang."
        )
    return Conflict(f"Alur berkas {case.case_id} berakhir tanpa kesalahan; tidak ada yang dimulai ulang.")


def _supersede_open_items(case_id: str) -> None:
    """Work items the failed execution left open wait for a token nobody holds: out of the queues."""
    items = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    for item in items:
        if isinstance(item, WorkItem) and item.status == "open":
            with contextlib.suppress(Refused):  # answered or changed meanwhile: not ours to close
                write_one(
                    Write(
                        "update",
                        item,
                        condition=(WorkItem.status == "open") & (WorkItem.task_token == item.task_token),
                        actions=[
                            WorkItem.status.set("superseded"),
                            WorkItem.GSI1PK.remove(),
                            WorkItem.GSI1SK.remove(),
                        ],
                    )
                )


def restart_case(who: Principal, office: str, case_id: str, step: str) -> Outcome:
    """Start a stuck (or failed) case again at `step` (a process step id of its SOP, e.g. "05").

    A new execution `<case_id>-r<n>` begins at that step's entry state (`resume_at`); the case is
    `submitted` again, without its fault, holding the new execution; work items the failed
    execution left open leave the queues; the audit trail and the office log say who did it.
    Raises NotFound (not this office's case), InvalidInput (not a step of its SOP, field `step`),
    Conflict (the case has ended, never ran, runs now, or changed meanwhile); if Step Functions
    refuses to start, the case is put back as it was and the error raised again."""
    case = office_case(office, case_id)
    entry = _entry(case.office, case.service)
    if entry is None:
        raise NotFound(CASE_GONE)
    steps = {s.id: s for s in steps_of(entry.sop)}
    step = step.strip()
    if step not in steps:
        raise InvalidInput("Pilih langkah SOP untuk memulai ulang berkas.", field="step")
    if case.status in CLOSED:
        raise Conflict(f"Berkas {case.case_id} sudah berakhir ({case.status}); tidak dimulai ulang.")
    current = executions.describe(case.execution_arn) if case.execution_arn else None
    if current is None or current.status not in ENDED_BADLY:
        raise _not_restartable(case, current)
    name = f"{case.case_id}-r{_restart_number(current.name)}"
    arn = workflow.execution_arn(executions.machine_arn(entry.machine), name)
    error, _ = _fault(case) if case.fault else (current.error, None)
    event = audit.event(
        case.case_id,
        who.username,
        ROLE,
        step,
        "restarted",
        note=f"Dimulai ulang dari langkah {int(step)} lewat meja operator.",
        details={"execution": name, "previous": current.name, "error": error},
    )
    logged = office_log.event(office, who, "case_restarted", case.case_id, {"step": step, "execution": name})
    restarted = [
        Case.status.set("submitted"),
        Case.status_note.remove(),
        Case.fault.remove(),
        Case.execution_arn.set(arn),
        Case.updated_at.set(iso()),
    ]
    try:
        write_all([Write("update", case, actions=restarted), Write("save", event), Write("save", logged)])
    except Refused:
        raise Conflict(
            "Berkas ini baru saja diubah di tempat lain (mungkin sudah dimulai ulang); muat ulang halaman."
        ) from None
    _supersede_open_items(case.case_id)
    payload = entry.start_input(
        {
            "case_id": case.case_id,
            "office": case.office,
            "service": case.service,
            "email": (case.data or {}).get("email", ""),
        },
        get_settings().time_scale,
    )
    try:
        workflow.start_case(entry.machine, name, {**payload, "resume_at": step})
    except Exception:
        _put_back(case, arn, event, logged)
        raise
    return Outcome(
        f"Berkas {case.case_id} dimulai ulang dari {steps[step].label} (alur {name}). "
        "Muat ulang halaman ini untuk melihat hasilnya."
    )


def _put_back(before: Case, arn: str, event: AuditEvent, logged: OfficeEvent) -> None:
    """Step Functions did not start the new execution: the case as it was, the records removed."""
    now_case = Case.get(*Case.key(before.case_id), consistent_read=True)
    actions: list[Any] = [Case.status.set(before.status), Case.execution_arn.set(before.execution_arn or "")]
    actions.append(
        Case.status_note.set(before.status_note) if before.status_note else Case.status_note.remove()
    )
    actions.append(Case.fault.set(before.fault) if before.fault else Case.fault.remove())
    with contextlib.suppress(Refused):  # changed meanwhile: leave it to the next look at the desk
        write_all(
            [
                Write("update", now_case, condition=Case.execution_arn == arn, actions=actions),
                Write("delete", event),
                Write("delete", logged),
            ]
        )
