"""What the staff case page shows, gathered from the case, its SOP and the viewer's authority.

Kept apart from the page handler so the rules (which documents are shown inline, who sees a
decision form, who may revoke an issued document) are plain functions with their own tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.adapters import national, staff_directory, storage
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import AuditEvent, Case, Credential, WorkItem, key_text_ok
from chalicelib.domain import holder_reports as holder_rules
from chalicelib.domain import nik, teks
from chalicelib.domain.audit_words import APPLICANT, SYSTEM_ACTOR, action_label, actor_words, on_behalf_words
from chalicelib.domain.clock import now, parse
from chalicelib.domain.files import EXTENSIONS
from chalicelib.domain.records import as_read
from chalicelib.domain.tanggal import tanggal, waktu
from chalicelib.domain.uploads import REFUSED, STATE_LABELS, is_checked, state_of
from chalicelib.errors import Forbidden, InvalidInput, LoketError, NotFound
from chalicelib.services import (
    holder,
    one_card,
    personal_data,
    reference_search,
    service_clock,
    verification,
    work,
)
from chalicelib.services.cases import STATUS_LABELS
from chalicelib.services.catalog import DocumentRule, find_service
from chalicelib.services.forms import applicant_sections
from chalicelib.settings import get_settings
from chalicelib.sop.schema import ServiceStandard, Step
from chalicelib.staff import labels

LINK_SECONDS = 300
# The applicant's labels, but staff say whom a returned file waits for.
STATUS_TEXT = {**STATUS_LABELS, "returned": "Dikembalikan ke pemohon"}


def wib(at: str | None) -> str:
    """An ISO timestamp as office time, `30 Nov 2026 18.37 WIB` (chalicelib/domain/tanggal.py)."""
    return waktu(at)


def trail_row(event: AuditEvent, office_id: str, names: dict[str, str] | None = None) -> dict[str, Any]:
    """One line of the audit trail in people's words: when (WIB), what (domain/audit_words.py),
    who by name (`names`: user name -> full name, `officer_names`) and in which role (the
    office's label, printed once); a decision for another role says so, "Plh." or "a.n." and the
    recorded absence or the decree it was taken under (the event's `signature`, ADR 0022)."""
    label = lambda r: labels.role_label(office_id, r)  # noqa: E731
    who, role = actor_words(event.actor, event.role, label, (names or {}).get(event.actor))
    details = event.details if isinstance(event.details, dict) else {}
    signature = details.get("signature") if isinstance(details.get("signature"), dict) else None
    acting, why = on_behalf_words(signature, label) if signature else ("", "")
    return {
        "event": event,
        "at": wib(event.at),
        "action": action_label(event.action),
        "who": who,
        "role": acting or role,
        "acting": why,
    }


def officer_names(case: Case, trail: list[AuditEvent]) -> dict[str, str]:
    """The full names of the people in a case's trail, by user name: from the case's officer
    records (written with each decision), then from the staff directory for the others; a user
    name without a name on its account is left out (the trail shows the user name)."""
    names = {o.username: o.name for o in case.officers.values() if o.username and o.name}
    others = {e.actor for e in trail} - set(names) - {SYSTEM_ACTOR, APPLICANT}
    for username in sorted(others):
        account = staff_directory.find(username) if key_text_ok(username) else None
        if account is not None and account.name:
            names[username] = account.name
    return names


def time_left(item: WorkItem) -> str:
    """What is left of the step's standard time (or how far past it), as staff say it."""
    scale = get_settings().time_scale / 60  # LOKET_TIME_SCALE: seconds per standard minute
    allowed = float(item.standard_seconds or 0) * scale
    used = (now() - parse(item.entered_at)).total_seconds()
    minutes = round(abs(allowed - used) / max(scale, 1e-9) / 60)
    span = f"{minutes // 60} jam {minutes % 60} mnt" if minutes >= 60 else f"{minutes} mnt"
    return f"sisa {span}" if used <= allowed else f"lewat {span}"


@dataclass(frozen=True)
class Action:
    """An open step the viewer may decide, with what the form needs."""

    item: WorkItem
    step: Step | None
    choices: list[work.Choice]
    checklist: bool  # the step can return the file: offer the per-document checklist
    claimed_by_other: bool
    documents: list[dict[str, Any]] = field(default_factory=list)  # the step's drafts, to read first


def masked_niks(sop: ServiceStandard, form: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, masked NIK) of every NIK field the form holds, for staff who do not see personal
    data (services/personal_data.py)."""
    shown = []
    for section in applicant_sections(sop):
        values = form.get(section.key)
        entries = values if isinstance(values, list) else [values] if isinstance(values, dict) else []
        for entry in entries:
            for spec in section.fields:
                if spec.type == "nik" and isinstance(entry, dict) and entry.get(spec.key):
                    shown.append((spec.label, nik.mask(str(entry[spec.key]))))
    return shown


def _because(sop: ServiceStandard, rule: DocumentRule) -> str | None:
    """The answer a conditional document depends on, as the checklist says it:
    "Status Perkawinan: Kawin"."""
    if rule.when is None:
        return None
    spec = sop.form_field(rule.when.field)
    return f"{spec.label if spec else rule.when.field}: {' / '.join(rule.when.values)}"


def build(who: Principal, file: work.CaseFile) -> dict[str, Any]:
    """What the case page shows `who`. Personal data (the form, the NIK, document and issued
    document links, what staff recorded) only when `who` acts on the service's steps
    (`personal_data.sees_personal_data`); otherwise the NIK and name masked and no link is made."""
    case = file.case
    entry = find_service(case.office, case.service)
    settings = get_settings()
    data = case.data or {}
    form = data.get("form") or {}
    personal = personal_data.sees_personal_data(who, case.office, case.service)
    name = str(data.get("name") or "")
    code = reference_search.code_of(case)  # in file names: the code people read, not the id
    sections = []
    if entry is not None and personal:
        for section in applicant_sections(entry.sop):
            values = form.get(section.key)
            entries = values if isinstance(values, list) else [values] if values else []
            sections.append(
                {
                    "title": section.title,
                    "entries": [
                        [
                            (f.label, as_read(e.get(f.key), f.type))
                            for f in section.fields
                            if e.get(f.key) not in (None, "")
                        ]
                        for e in entries
                    ],
                }
            )
    documents = []
    sop = entry.sop if entry else None
    for rule in entry.documents if entry else ():
        uploaded = (case.documents or {}).get(rule.key)
        if not rule.asked(form) and not uploaded:
            continue  # asked only for another answer (the SOP's `required_when`): not on the checklist
        # Only a checked file (scanned clean, an image re-encoded) is ever linked: one still being
        # checked, or refused, is named with its state (domain/uploads.py).
        state = state_of(uploaded)
        documents.append(
            {
                "key": rule.key,
                "name": rule.name,
                "required": rule.needed(form),
                # why it is asked: the form answer it depends on, in the form's own words
                # (only to those who see the form: it tells an answer of it)
                "because": _because(sop, rule) if sop and personal and rule.needed(form) else None,
                "kind": uploaded.get("kind") if uploaded else None,
                "uploaded": bool(uploaded),
                "state": state,
                "state_label": STATE_LABELS.get(state or "", ""),
                "message": (uploaded or {}).get("message") if state == REFUSED else None,
                "url": storage.objects().view_link(
                    settings.uploads_bucket,
                    uploaded["key"],
                    uploaded.get("kind"),
                    f"{rule.name} {code}.{EXTENSIONS.get(uploaded.get('kind') or '', 'bin')}",
                    LINK_SECONDS,
                )
                if uploaded and personal and is_checked(uploaded)
                else None,
                "checked_at": wib(uploaded.get("checked_at")) if uploaded else None,
                "returned": rule.key in (data.get("returned_items") or []),
            }
        )
    actions, waiting = [], []
    for item in file.open_items:
        step = work.sop_step(item)
        try:
            work.authority(who, item, step)
        except LoketError as refused:
            waiting.append(
                {
                    "item": item,
                    "step": step,
                    "entered": wib(item.entered_at),
                    "role": labels.role_label(item.office, item.role),
                    # a substitute the SOP names, before anything lets them sign: the refusal's
                    # own words (services/work.py `refusal`), so they need not try to learn it
                    "substitute": refused.message if refused.code == work.SUBSTITUTE_WAITS else None,
                }
            )
            continue
        choices = work.choices(item)
        actions.append(
            Action(
                item,
                step,
                choices,
                checklist=any(c.decision == "return" for c in choices) and bool(documents),
                claimed_by_other=work.claimed_by_other(item, who.username),
            )
        )
    issued = []
    for key, product in case.products.items():
        verdict = None
        if product.verify_id:
            try:
                credential = Credential.get(*Credential.key(product.verify_id))
                verdict = verification.status_of(credential)
            except Credential.DoesNotExist:
                verdict = None
        issued.append(
            {
                # a draft has no number yet, a letter no validity
                "name": product.name or key,
                "number": product.number,
                "version": product.version or None,
                "signed": product.signed,
                "valid_until": product.valid_until,
                "key": product.key,  # the PDF's object key, once rendered
                "product": key,
                "url": storage.objects().view_link(
                    settings.documents_bucket,
                    product.key,
                    "pdf",
                    f"{product.name or key} {code}.pdf",
                    LINK_SECONDS,
                )
                if product.key and personal
                else None,
                "verify_url": verification.verify_url(product.verify_id) if product.verify_id else None,
                "verify_status": verification.STATUS_TEXT.get(verdict or ""),
                "can_revoke": verdict == "valid" and may_revoke(who, case.office, case.service, key),
            }
        )
    by_product = {doc["product"]: doc for doc in issued}
    actions = [
        replace(a, documents=[by_product[k] for k in a.step.documents if by_product.get(k, {}).get("url")])
        if a.step is not None
        else a
        for a in actions
    ]
    names = officer_names(case, file.trail)  # the trail's people by name, not by login
    return {
        "case": case,
        "title": entry.title if entry else case.service,
        "status": STATUS_TEXT.get(case.status, case.status),
        "personal": personal,
        "applicant_name": name if personal or not name else verification.mask_name(name),
        "masked_niks": [] if personal or entry is None else masked_niks(entry.sop, form),
        # who filed: the organisation of the account (company, school, agency) and what it is
        "filed_by": data.get("organisation"),
        "filed_as": entry.sop.applicant.label if entry else None,
        "submitted": wib(case.created_at),
        # the published service time's end and whether it has passed (services/service_clock.py)
        "clock": service_clock.shown(case),
        "sections": sections,
        "documents": documents,
        "actions": actions,
        # the step whose decision bar stays in reach (the first the viewer may decide now)
        "main_action": next((a for a in actions if not a.claimed_by_other), None),
        "office_name": labels.office_name(case.office),
        "waiting": waiting,
        "office_admin": f"{case.office}.admin" in who.groups,  # may record an absence
        "issued": issued,
        "recorded": recorded(case, entry.sop if entry else None) if personal else [],
        # One card per NIK: earlier cards and filings of the NIK here, and the region warning.
        "one_card": one_card.history(case, entry) if entry is not None and personal else None,
        # The card holder's six-monthly reports (services/holder.py), once the card is issued.
        "holder": holder_reports(case, personal),
        "trail": [trail_row(e, case.office, names) for e in file.trail],
        "link_minutes": LINK_SECONDS // 60,
    }


def holder_reports(case: Case, personal: bool) -> dict[str, Any] | None:
    """What the case page shows of the card holder's six-monthly reports (None for a case
    without a card that takes them): {"name", "number", "closed": bool, "boxes": [{"box",
    "scheduled" ("Mei 2027"), "status" ("Masih mencari kerja" | "Sudah bekerja" | "Belum
    dilaporkan"), "reported" ("3 Juni 2027" or None), "employer", "start_date" ("1 Juni 2027")}]}.
    The employer and start date only for `personal` viewers (personal_data.sees_personal_data)."""
    shown = holder.view(case)
    if shown is None:
        return None
    boxes = []
    for box in shown["boxes"]:
        report = box["report"]
        found = bool(report and report["kind"] == holder_rules.FOUND_WORK)
        boxes.append(
            {
                "box": box["box"],
                "scheduled": box["scheduled"],
                "status": holder_rules.KINDS[report["kind"]] if report else "Belum dilaporkan",
                "reported": tanggal(report["on"]) if report else None,
                "employer": report["employer"] if found and personal else None,
                "start_date": tanggal(report["start_date"])
                if found and personal and report["start_date"]
                else None,
            }
        )
    return {
        "name": shown["name"],
        "number": shown["number"],
        "closed": shown["closed"] is not None,
        "boxes": boxes,
    }


def recorded(case: Case, sop: ServiceStandard | None) -> list[dict[str, Any]]:
    """What staff recorded at each step (payments, SPR, national reference numbers), in step order,
    with who recorded it: the part of the file that lives in the national systems."""
    rows = []
    for step_key, values in sorted(case.records.items()):
        step = next((s for s in sop.steps if str(s.number) == step_key.lstrip("0")), None) if sop else None
        specs = {spec.key: spec for spec in (step.records if step else [])}
        officer = case.officers.get(step_key)
        entries = []
        for key, value in values.items():
            spec = specs.get(key)
            system = national.SYSTEMS.get(spec.system, spec.system) if spec and spec.system else None
            shown = as_read(value, spec.type if spec else "")
            entries.append({"label": spec.label if spec else key, "value": shown, "system": system})
        rows.append(
            {
                "step": int(step_key) if step_key.isdigit() else step_key,
                "entries": entries,
                "by": officer.shown_name if officer else None,
                "at": wib(officer.at if officer else None),
            }
        )
    return rows


def may_revoke(who: Principal, office: str, service: str, product: str) -> bool:
    """The role that issues the document, and the roles above it, may revoke it."""
    entry = find_service(office, service)
    if entry is None:
        return False
    issuers = {
        s.actors[0] for s in entry.sop.process_steps if product in s.documents and s.actors[0] != "pemohon"
    }
    allowed: set[str] = set()
    for role in issuers:
        current: str | None = role
        while current and current not in allowed:
            allowed.add(current)
            current = (
                entry.office_sop.roles[current].escalates_to if current in entry.office_sop.roles else None
            )
    return bool(allowed & who.roles_in(office))


def revoke(who: Principal, case_id: str, product: str, reason: str) -> None:
    file = work.case_file(who, case_id)  # 404 for another office's case
    issued = file.case.products.get(product)
    if issued is None or not issued.verify_id:
        raise NotFound("Dokumen ini tidak dapat dicabut.")
    if not may_revoke(who, file.case.office, file.case.service, product):
        raise Forbidden("Peran Anda tidak berwenang mencabut dokumen ini.")
    reason = teks.isian(
        reason, "Alasan pencabutan", "catatan", field="reason", multiline=True, max_length=300
    )
    if not reason:
        raise InvalidInput("Tuliskan alasan pencabutan.")
    roles = sorted(who.roles_in(file.case.office))
    verification.revoke(issued.verify_id, file.case.office, who.username, roles[0] if roles else "-", reason)
