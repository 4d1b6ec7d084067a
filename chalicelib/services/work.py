"""Staff use cases on work items: the role queue, claiming, and a decision taken exactly once.

A decision is one DynamoDB transaction: the work item answered (only while open with this pass's
task token), the case's officer, records and signature for the step (only at the version read),
the audit event, and every claim its records make (a receipt used once, an SPR place, a national
reference). All of it is written or none; only then is the task token sent to Step Functions. A
second click, a stale page or two officers at once therefore find the item answered and are
refused (409, "sudah diputuskan"), the case holds exactly what Step Functions heard, and Step
Functions never hears a decision twice. If Step Functions does not take the decision, one
compensation puts the item back (or marks it expired), removes the audit event, restores the
case's parts for the step and frees the claims. The same transaction keeps the decision on the
item until Step Functions has heard it, so a decision whose compensation fails too is sent again
by the next click on the item, not lost (`services/delivery.py`).

What a step allows (its buttons, the data it records, who may sign) comes from the SOP.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, TypeVar

from chalicelib.adapters import national
from chalicelib.adapters.case_store import cases, change_case
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, Case, LoketItem, WorkItem, key_text_ok
from chalicelib.adapters.transact import Refused, Write, write_all, write_one
from chalicelib.domain import teks
from chalicelib.domain.case_records import Officer, Signing
from chalicelib.domain.clock import iso, now, parse
from chalicelib.domain.records import RecordError, StepRecords, clean_records
from chalicelib.errors import Conflict, Forbidden, InvalidInput, LoketError, NotFound
from chalicelib.services import absences, delegations, delivery, progress, record_checks, tallies
from chalicelib.services import audit as audit_log
from chalicelib.services.catalog import find_service
from chalicelib.sop.loader import list_services
from chalicelib.sop.schema import APPLICANT, Step

log = logging.getLogger("loket.work")

CLAIM_MINUTES = 30
MAX_NOTE = 1000
"""A decision's note (its reason, read by the applicant or the next officer), in characters."""
CONFIRMED = "confirmed"
"""The audit action of a confirmation of an applicant's own step (services/cases.py CONFIRMED)."""
ALREADY = "Tugas ini sudah diputuskan sebelumnya; muat ulang halaman."


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    items: tuple[str, ...] = ()  # on a return: the required documents the applicant must replace


@dataclass(frozen=True)
class Decided:
    """A decision's outcome: the item as answered, and what the officer reads ("Keputusan
    tersimpan.", or what a re-send of the decision kept on the item did)."""

    item: WorkItem
    message: str = "Keputusan tersimpan."


@dataclass(frozen=True)
class Choice:
    decision: str
    label: str


def sop_step(item: WorkItem) -> Step | None:
    """The SOP step of a work item; None for an item of a service no longer packaged, or of a
    step the packaged SOP no longer has (left in a queue after a deploy changed the SOP): such an
    item can be seen, not decided."""
    entry = find_service(item.office, item.service)
    if entry is None:
        return None
    try:
        return entry.sop.step(int(item.step))
    except (KeyError, ValueError):
        return None


def choices(item: WorkItem) -> list[Choice]:
    """The buttons of a step: its SOP outcomes, or one 'done' when the step simply continues;
    none for an item whose service is no longer packaged."""
    step = sop_step(item)
    if step is None:
        return []
    if step.outcomes:
        return [Choice(o.decision, o.label) for o in step.outcomes]
    if step.waits_for_applicant:  # the counter confirms for the applicant (ADR 0021)
        return [Choice("approve", "Konfirmasi atas nama pemohon: dokumen sudah diterima")]
    return [Choice("approve", "Tanda tangani" if step.kind == "signature" else "Selesai")]


def acting_roles(principal: Principal, office: str) -> dict[str, dict[str, Any] | None]:
    """Roles the principal may act as today: their own (None) and delegated ones (the decree).
    The decrees are read once per request (`Principal.memo`): a case page asks three times."""
    key = f"acting_roles:{office}"
    if key not in principal.memo:
        roles: dict[str, dict[str, Any] | None] = dict.fromkeys(principal.roles_in(office))
        for grant in delegations.active_for(office, principal.username):
            roles.setdefault(grant.from_role, grant.summary())
        principal.memo[key] = roles
    return dict(principal.memo[key])


def queue(principal: Principal, office: str, limit: int = 50) -> list[WorkItem]:
    """Open work items of every role the principal may act as in `office`: overdue first, then oldest."""
    roles = sorted(acting_roles(principal, office))
    if not roles:
        raise Forbidden("Anda tidak memiliki peran di kantor ini.")
    items: list[WorkItem] = []
    for role in roles:
        items.extend(
            item
            for item in WorkItem.role_queue.query(WorkItem.queue(office, role), limit=limit)
            if isinstance(item, WorkItem)
        )
    items.sort(key=lambda i: (-int(i.overdue or 0), i.entered_at))
    return items[:limit]


@dataclass(frozen=True)
class Authority:
    """Why this person may act on this step: as themselves, or for the signer and how."""

    role: str
    on_behalf_of: str | None = None
    kind: str | None = None
    decree: str | None = None
    absence: str | None = None
    """The holder's recorded absence the substitute acts under ("cuti, 2 s.d. 4 Juni 2026")."""


SUBSTITUTE_WAITS = "substitute_waits"
"""The `code` of `authority`'s refusal to a substitute the SOP names for a signature while
nothing lets them act yet (no absence of the holder recorded today, or no decree): the case page
and the inbox show its message to that substitute before they try (`refusal`)."""


def refusal(principal: Principal, item: WorkItem, step: Step | None) -> str | None:
    """What `authority` would tell a named substitute who may not act on `item` yet (its
    Indonesian message, word for word), or None: they may act, or the step is another role's
    with nothing to wait for (NotFound and other refusals are left to `authority`)."""
    try:
        authority(principal, item, step)
    except Forbidden as refused:
        return refused.message if refused.code == SUBSTITUTE_WAITS else None
    except LoketError:
        return None
    return None


def authority(principal: Principal, item: WorkItem, step: Step | None) -> Authority:
    """Why the principal may act on the item. Raises NotFound for another office's item (it is not
    theirs to see) and Forbidden for another role's step (with the reason in Indonesian).

    Who may act (ADR 0021, 0022): the role the item is queued for, any other role the SOP lists
    for the step (`Step.coactors`, "Kasi/Staf"), each as themselves or by a delegation decree; on
    an applicant's step after submission (`Step.waits_for_applicant`), the counter that handed
    the document over (`ServiceStandard.counter_step`), to confirm it for the applicant; on a
    signature, a substitute the SOP names, only while the signer's absence is recorded
    (`services/absences.py`) or under a decree."""
    if not principal.roles_in(item.office) and not delegations.active_for(item.office, principal.username):
        raise NotFound("Tugas tidak ditemukan.")
    acting = acting_roles(principal, item.office)
    own = set(principal.roles_in(item.office))
    allowed = allowed_roles(item, step)
    for role in allowed:
        if role in own:
            return Authority(role)
    for role in allowed:
        if role in acting:
            grant = acting[role] or {}
            return Authority(grant.get("delegate_role") or role, role, grant.get("kind"), grant.get("decree"))
    signing = step.signing if step is not None and step.kind == "signature" else None
    if signing is not None and item.role == signing.signer:
        mine = [s for s in signing.substitutes if s in own]
        if mine:
            if signing.substitute_needs_decree:
                raise Forbidden(
                    "Anda hanya dapat menandatangani atas nama pejabat ini dengan SK pendelegasian "
                    "yang berlaku hari ini.",
                    code=SUBSTITUTE_WAITS,
                )
            absence = absences.current(item.office, signing.signer)
            if absence is None:
                raise Forbidden(
                    f"Anda hanya dapat menyetujui langkah ini sebagai pengganti bila "
                    f"{_role_label(item.office, signing.signer)} berhalangan, dan admin kantor belum "
                    "mencatat ketidakhadirannya hari ini. Minta admin kantor mencatatnya di halaman "
                    "Admin kantor › Pejabat berhalangan, atau minta SK pendelegasian.",
                    code=SUBSTITUTE_WAITS,
                )
            return Authority(
                mine[0], signing.signer, absence_kind(signing.delegation_kinds), None, absence.summary()
            )
    raise Forbidden("Langkah ini dikerjakan oleh peran lain.")


def allowed_roles(item: WorkItem, step: Step | None) -> list[str]:
    """The office roles that may act on `item` as themselves, in the SOP's order: the item's own
    role and the step's other listed roles; for an applicant's step after submission, the roles
    of the counter step before it (who confirm for the applicant). Empty for a returned file's
    wait (only the applicant resubmits it)."""
    if step is None:
        return [item.role]
    if step.waits_for_applicant:
        entry = find_service(item.office, item.service)
        counter = entry.sop.counter_step(step) if entry is not None else None
        return counter.staff_roles if counter is not None else []
    if item.role == APPLICANT:
        return []
    if item.role == step.responsible_role:
        return [item.role, *step.coactors]
    return [item.role]


def absence_kind(kinds: Sequence[str]) -> str:
    """How a substitute marks a signature made while the holder is absent: "Plh" (pelaksana
    harian, the usual mark for a temporary absence) when the SOP allows it, else the SOP's first
    mark, else "a.n." (Permenpan 80/2012 on official letters; ADR 0022)."""
    if "Plh" in kinds:
        return "Plh"
    return kinds[0] if kinds else "a.n."


def _role_label(office: str, role: str) -> str:
    entry = next((find_service(office, s) for s in list_services(office)), None)
    roles = entry.office_sop.roles if entry is not None else {}
    return roles[role].label if role in roles else role


def shared_queue(principal: Principal, office: str, limit: int = 50) -> list[WorkItem]:
    """Open items queued for another role on steps where the SOP lists one of the principal's
    roles too ("Bisa dikerjakan juga", ADR 0021), or names it as the signer's substitute (ADR
    0022): overdue first, then oldest; never another office's (the queues are per office)."""
    acting = acting_roles(principal, office)
    wanted: dict[str, set[tuple[str, str]]] = {}
    for service_id in list_services(office):
        entry = find_service(office, service_id)
        if entry is None:
            continue
        for step in entry.sop.process_steps:
            owner = step.responsible_role
            if not step.is_human or owner is None or owner in acting:
                continue
            if any(role in acting for role in step.coactors):
                wanted.setdefault(owner, set()).add((service_id, f"{step.number:02d}"))
            # a substitute the SOP names "jika ... berhalangan": listed, with why they may or may
            # not sign today (`refusal`), so they need not find the file by search
            signing = step.signing if step.kind == "signature" else None
            if (
                signing is not None
                and signing.signer not in acting
                and any(role in acting for role in signing.substitutes)
            ):
                wanted.setdefault(signing.signer, set()).add((service_id, f"{step.number:02d}"))
    items: list[WorkItem] = []
    for owner, steps in sorted(wanted.items()):
        items.extend(
            item
            for item in WorkItem.role_queue.query(WorkItem.queue(office, owner), limit=limit * 4)
            if isinstance(item, WorkItem) and (item.service, item.step) in steps
        )
    items.sort(key=lambda i: (-int(i.overdue or 0), i.entered_at))
    return items[:limit]


def cases_of(case_ids: list[str]) -> dict[str, Case]:
    """The cases of the inbox rows by id, in one batch (a case gone meanwhile is left out)."""
    return {case.case_id: case for case in cases().many(case_ids)}


def find_item(case_id: str, step_key: str) -> WorkItem:
    """The work item named by a staff form's `case_id` and `item`; 404 for anything else, including
    text that cannot be a key (a form posted without them, or with a value too long for a key)."""
    if not key_text_ok(case_id) or not key_text_ok(step_key) or not step_key.startswith("WORK#"):
        raise NotFound("Tugas tidak ditemukan.")
    try:
        return WorkItem.get(Case.partition(case_id), step_key, consistent_read=True)
    except WorkItem.DoesNotExist:
        raise NotFound("Tugas tidak ditemukan.") from None


def find_item_and_case(case_id: str, step_key: str) -> tuple[WorkItem, Case | None]:
    """`find_item`'s item and its case (None if the case is gone), in one consistent
    BatchGetItem (issue 16: a decision read them in two calls). NotFound as `find_item`."""
    if not key_text_ok(case_id) or not key_text_ok(step_key) or not step_key.startswith("WORK#"):
        raise NotFound("Tugas tidak ditemukan.")
    found = list(
        LoketItem.batch_get([(Case.partition(case_id), step_key), Case.key(case_id)], consistent_read=True)
    )
    item = next((i for i in found if isinstance(i, WorkItem)), None)
    if item is None:
        raise NotFound("Tugas tidak ditemukan.")
    return item, next((i for i in found if isinstance(i, Case)), None)


def claim(principal: Principal, case_id: str, step_key: str) -> WorkItem:
    """Take the item for oneself, so colleagues see it is being worked on; stale claims expire."""
    item = find_item(case_id, step_key)
    authority(principal, item, sop_step(item))
    if item.status != "open":
        raise Conflict(ALREADY)
    stale = iso(now() - timedelta(minutes=CLAIM_MINUTES))
    free = (
        WorkItem.claimed_by.does_not_exist()
        | (WorkItem.claimed_by == principal.username)
        | (WorkItem.claimed_at < stale)
    )
    taken = [WorkItem.claimed_by.set(principal.username), WorkItem.claimed_at.set(iso())]
    try:
        write_one(Write("update", item, condition=(WorkItem.status == "open") & free, actions=taken))
    except Refused:
        item.refresh(consistent_read=True)
        raise Conflict(f"Tugas ini sedang dikerjakan oleh {item.claimed_by}.") from None
    return item


def claimed_by_other(item: WorkItem, username: str) -> bool:
    if not item.claimed_by or item.claimed_by == username:
        return False
    return bool(item.claimed_at and parse(item.claimed_at) > now() - timedelta(minutes=CLAIM_MINUTES))


def decide(principal: Principal, case_id: str, step_key: str, decision: Decision) -> Decided:
    """Answer a staff work item once and pass the decision on to the waiting execution.

    An item answered earlier whose decision Step Functions has not heard (its SendTaskSuccess and
    its compensation both failed) is not refused once its own request has ended
    (`delivery.settled`): its decision, as it was taken, is sent again (`delivery.resend`),
    whatever this click chose, and `message` says so. Before that it is Conflict (already
    decided), as for any click that lost the race."""
    item, case = find_item_and_case(case_id, step_key)
    step = sop_step(item)
    who = authority(principal, item, step)
    if delivery.pending(item):
        if not delivery.settled(item):  # its own request may still be delivering it
            raise Conflict(ALREADY)
        sent = delivery.resend(item, principal.username, who.role, "langkah")
        return Decided(item, sent.text)
    if decision.decision not in {c.decision for c in choices(item)}:
        raise InvalidInput("Keputusan ini tidak tersedia pada langkah ini.")
    if item.status != "open":
        raise Conflict(ALREADY)
    if claimed_by_other(item, principal.username):
        raise Conflict(f"Tugas ini sedang dikerjakan oleh {item.claimed_by}.")
    note = teks.isian(decision.note, "Catatan", "catatan", field="note", multiline=True, max_length=MAX_NOTE)
    decision = replace(decision, note=note)
    if decision.decision in ("return", "reject") and not decision.note:
        raise InvalidInput("Tuliskan alasannya: pemohon atau petugas sebelumnya akan membacanya.")
    records: StepRecords = {}
    if step is not None and step.records and decision.decision in ("approve", "forward"):
        try:
            records = clean_records(step.records, decision.fields)
        except RecordError as exc:
            raise InvalidInput(str(exc)) from None
        for spec in step.records:  # a national system's number is kept as that system shows it
            if spec.system and spec.key in records:
                records[spec.key] = national.normalise_reference(str(records[spec.key]))
    output: dict[str, Any] = {"records": records}
    signature: Signing | None = None
    if who.on_behalf_of:
        signature = Signing(
            signed_by=principal.username,
            as_role=who.role,
            for_role=who.on_behalf_of,
            kind=who.kind,
            decree=who.decree,
            absence=who.absence,
        )
        output["signature"] = signature.as_dict()
    elif step is not None and step.kind == "signature":
        signature = Signing(signed_by=principal.username, as_role=who.role)
    returned_items = _returned_items(item, decision) if decision.decision == "return" else []
    if returned_items:
        output["items"] = returned_items
    office = find_service(item.office, item.service)
    role_label = (
        office.office_sop.roles[who.role].label
        if office and who.role in office.office_sop.roles
        else who.role
    )
    officer = Officer(
        username=principal.username,
        name=principal.name,
        nip=principal.nip,
        role=who.role,
        role_label=role_label,
        decision=decision.decision,
        at=iso(),
    )
    parts = StepParts(officer, records or None, signature)
    checked = step if step is not None and records and _checks_records(step) else None
    # The counter confirming the applicant's own step for them reads as that confirmation in the
    # trail ("Dikonfirmasi diterima", by the officer), not as an approval (domain/audit_words.py).
    action = CONFIRMED if step is not None and step.waits_for_applicant else None
    answered, case, _claims = _commit(
        item, principal.username, who.role, decision, output, parts, returned_items, checked, action, case
    )
    if case is not None and checked is not None:
        try:
            record_checks.release_replaced(case, checked, records)
        except Exception:  # the decision stands; a value left held is freed by hand, not by failing it
            log.exception("case %s step %s: earlier recorded values stay held", item.case_id, item.step)
    return Decided(answered)


def _checks_records(step: Step) -> bool:
    return any(s.unique or s.check or s.system for s in step.records)


@dataclass(frozen=True)
class StepParts:
    """The case's parts of one step that a decision writes: who decided, what they recorded and
    who signed (None: none of that kind)."""

    officer: Officer | None
    records: StepRecords | None
    signature: Signing | None

    @staticmethod
    def of(case: Case, step: str) -> StepParts:
        """The case's parts for `step` as they are (to restore them if the decision is undone)."""
        return StepParts(case.officers.get(step), case.records.get(step), case.signatures.get(step))

    def written(self, case: Case, step: str) -> list[Any]:
        """The case's update that records these parts on `step` (a part that is None is left as
        the case has it)."""
        actions: list[Any] = []
        if self.officer is not None:
            actions.append(Case.officers.set(_with(case.officers, step, self.officer)))
        if self.records is not None:
            actions.append(Case.records.set(_with(case.records, step, self.records)))
        if self.signature is not None:
            actions.append(Case.signatures.set(_with(case.signatures, step, self.signature)))
        return actions

    def restored(self, case: Case, step: str) -> list[Any]:
        """The case's update that puts these parts back on `step` exactly: a part that is None
        is removed from the step."""
        return [
            Case.officers.set(_with(case.officers, step, self.officer)),
            Case.records.set(_with(case.records, step, self.records)),
            Case.signatures.set(_with(case.signatures, step, self.signature)),
        ]


Part = TypeVar("Part")


def _with(parts: dict[str, Part], step: str, value: Part | None) -> dict[str, Part]:
    """`parts` with `step` set to `value`, or without `step` when `value` is None."""
    changed = dict(parts)
    if value is None:
        changed.pop(step, None)
    else:
        changed[step] = value
    return changed


_ITEM_DECIDED = object()  # refusal of the item's write: decided, or written again meanwhile
_CASE_CHANGED = object()  # refusal of the case's write: its version moved on (worker, applicant)
ATTEMPTS = 5


def _commit(
    item: WorkItem,
    actor: str,
    role: str,
    decision: Decision,
    output: dict[str, Any],
    parts: StepParts,
    returned_items: list[str],
    checked: Step | None,
    action: str | None = None,
    read: Case | None = None,
) -> tuple[WorkItem, Case | None, record_checks.Claims]:
    """Write the decision in one transaction, then tell Step Functions (`delivery.deliver`).

    The transaction holds the work item answered (only while open with this pass's token) with
    the decision kept on it until Step Functions hears it, the
    case's officer, records and signature for the step and the returned documents (only at the
    version read), the audit event and every claim of the records (a receipt used once, an SPR
    place, a national reference). A case changed meanwhile is read again and the whole is tried
    again; an item decided meanwhile is Conflict (ALREADY); a claim someone else holds is that
    claim's Conflict. Returns the answered item, the case as it was before (None when the step
    records nothing checked) and the claims made. `action`: the audit event's action when it is
    not the decision sent (the counter's confirmation for the applicant). `read`: the case as
    the caller just read it (consistently, with the item), used for the first attempt."""
    for attempt in range(ATTEMPTS):
        # Read from the table itself, not the cases port: the transaction below writes the case
        # at this version, together with the item, the audit event and the claims.
        if attempt == 0 and read is not None:
            case = read
        else:
            case = Case.get(*Case.key(item.case_id), consistent_read=True)
        claims = record_checks.claims(case, checked, output["records"]) if checked else record_checks.Claims()
        audit = _audit(item, actor, role, action or decision.decision, decision.note, output)
        sent = delivery.message(
            decision.decision, decision.note, audit.at, {"by": actor, "role": role, **output}
        )
        writes = [
            _answered_write(item, actor, decision.decision, decision.note, audit, sent),
            Write(
                "update",
                case,
                actions=_case_actions(case, item.step, parts, returned_items),
                refusal=_CASE_CHANGED,
            ),
            Write("save", audit, condition=AuditEvent.PK.does_not_exist()),
            *claims.writes,
        ]
        try:
            write_all(writes)
        except Refused as refused:
            reasons = refused.refusals()
            if _ITEM_DECIDED in reasons:
                raise Conflict(ALREADY) from None
            if _CASE_CHANGED in reasons:
                continue
            for reason in reasons:
                if isinstance(reason, LoketError):
                    raise reason from None
            raise
        before = StepParts.of(case, item.step)
        returned_before = (case.data or {}).get("returned_items")
        answered = delivery.deliver(
            item, audit, sent, functools.partial(_undo, item, before, returned_before, claims)
        )
        tallies.decided(item, audit)
        return answered, case, claims
    raise Conflict("Berkas sedang diubah di tempat lain; coba lagi.")


def _case_actions(case: Case, step: str, parts: StepParts, returned_items: list[str]) -> list[Any]:
    """The case's update for a decision on `step`: who decided, what was recorded and who signed."""
    actions: list[Any] = [Case.updated_at.set(iso()), *parts.written(case, step)]
    if returned_items:
        actions.append(Case.data.set({**(case.data or {}), "returned_items": returned_items}))
    return actions


def _undo(
    item: WorkItem, before: StepParts, returned_before: list[str] | None, claims: record_checks.Claims
) -> None:
    """The decision did not reach Step Functions: the case must not say it happened, and what its
    records claimed is free again."""
    _restore_decision(item, before, returned_before)
    claims.undo()


def _returned_items(item: WorkItem, decision: Decision) -> list[str]:
    """The checklist's unticked documents, checked against the service's requirements."""
    entry = find_service(item.office, item.service)
    known = [d.key for d in entry.documents] if entry else []
    unknown = [k for k in decision.items if k not in known]
    if unknown:
        raise InvalidInput("Dokumen yang dipilih tidak dikenal untuk layanan ini.")
    return [k for k in known if k in decision.items]


def answer(
    item: WorkItem,
    actor: str,
    role: str,
    decision: str,
    note: str,
    extra: dict[str, Any],
    action: str | None = None,
) -> WorkItem:
    """Answer a work item that changes nothing on the case (the applicant's resubmission or
    confirmation): the item answered and its audit event in one transaction, then Step
    Functions. `action`: the audit event's action when it is not the decision sent (an
    applicant's "confirmed", domain/audit_words.py). Raises Conflict when the item was answered
    meanwhile or its task is gone."""
    audit = _audit(item, actor, role, action or decision, note, extra)
    sent = delivery.message(decision, note, audit.at, {"by": actor, "role": role, **extra})
    try:
        write_all(
            [
                _answered_write(item, actor, decision, note, audit, sent),
                Write("save", audit, condition=AuditEvent.PK.does_not_exist()),
            ]
        )
    except Refused:
        raise Conflict(ALREADY) from None
    return delivery.deliver(item, audit, sent, None)


def _audit(
    item: WorkItem, actor: str, role: str, decision: str, note: str, extra: dict[str, Any]
) -> AuditEvent:
    """The decision's audit event, with its real and its standard time (seconds)."""
    duration = (now() - parse(item.entered_at)).total_seconds()
    return audit_log.event(
        item.case_id,
        actor,
        role,
        item.step,
        decision,
        note,
        extra,
        duration_seconds=round(duration, 3),
        standard_seconds=item.standard_seconds,
        overdue=int(item.overdue or 0),
    )


def _answered_write(
    item: WorkItem, actor: str, decision: str, note: str, audit: AuditEvent, sent: dict[str, Any]
) -> Write:
    """The work item answered and out of its queue, only while it is still open in the same pass
    of the step (a timeout rewrites the item with a new token), with the decision (`sent`, the
    task's output) kept among its office's undelivered ones until Step Functions hears it."""
    return Write(
        "update",
        item,
        condition=(WorkItem.status == "open") & (WorkItem.task_token == item.task_token),
        actions=[
            WorkItem.status.set("answered"),
            WorkItem.answered_by.set(actor),
            WorkItem.answered_at.set(audit.at),
            WorkItem.decision.set(decision),
            *([WorkItem.note.set(note)] if note else []),
            *delivery.kept(item, sent, audit),
        ],
        refusal=_ITEM_DECIDED,
    )


def _restore_decision(item: WorkItem, before: StepParts, returned_before: list[str] | None) -> None:
    """The decision did not happen: the case must not say it did."""

    def restore(case: Case) -> list[Any]:
        actions = before.restored(case, item.step)
        data = dict(case.data or {})
        if returned_before is None:
            data.pop("returned_items", None)
        else:
            data["returned_items"] = returned_before
        actions.append(Case.data.set(data))
        return actions

    change_case(item.case_id, restore)


def open_items(case_id: str, role: str | None = None) -> list[WorkItem]:
    """The open work items of one case (for its case page, and the applicant's resubmission)."""
    items = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    return [
        i
        for i in items
        if isinstance(i, WorkItem) and i.status == "open" and (role is None or i.role == role)
    ]


def undelivered_items(case_id: str, role: str | None = None) -> list[WorkItem]:
    """The case's answered items whose decision Step Functions has not heard (`delivery.pending`)."""
    items = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    return [
        i
        for i in items
        if isinstance(i, WorkItem) and delivery.pending(i) and (role is None or i.role == role)
    ]


def resubmitted_since(case_id: str, returned_at: str) -> bool:
    """Whether the applicant's resubmission of the file returned at `returned_at` was answered."""
    items = WorkItem.query(
        Case.partition(case_id), WorkItem.SK.startswith(WorkItem.PREFIX), consistent_read=True
    )
    return any(
        isinstance(i, WorkItem)
        and i.role == "pemohon"
        and i.status == "answered"
        and (i.answered_at or "") >= returned_at
        for i in items
    )


@dataclass(frozen=True)
class CaseFile:
    """What a staff member of the case's office sees on the case page."""

    case: Case
    open_items: list[WorkItem]
    trail: list[Any]


def case_file(principal: Principal, case_id: str) -> CaseFile:
    """The whole file of a case, for staff of its office only (another office's is 'not found')."""
    if not key_text_ok(case_id):
        raise NotFound("Berkas tidak ditemukan.")
    # The case, its audit trail and its work items in one consistent Query of its partition
    # (issue 16: the case page read them in three calls).
    case, partition = progress.case_with_partition(case_id)
    if case is None or not acting_roles(principal, case.office):
        raise NotFound("Berkas tidak ditemukan.")
    items = [i for i in partition if isinstance(i, WorkItem) and i.status == "open"]
    return CaseFile(case, items, [e for e in partition if isinstance(e, AuditEvent)])
