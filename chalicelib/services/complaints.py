"""Complaints, suggestions and input (pengaduan, saran dan masukan) filed from the public site.

A complaint is a case of its office's `pengaduan` SOP (chalicelib/sop/offices/<office>/
pengaduan.yaml), opened and submitted in one request by `file`, so it runs on the same engine as
every service: the compiled Step Functions machine puts it in the staff's queues, the overdue
digest and escalation see it, every decision is in its audit trail, and its last step emails the
Kasi's answer (worker/tasks.send_email with the step's `answer_record`). Staff record the
national SP4N-LAPOR! ticket number at step 2 (record `nomor_lapor`).

Three ways in:
- signed in (any kind of account): the case is the account's, listed with its other cases;
- from a case's status page (signed in): the complaint names that case (`kode_berkas` = its code,
  at the case's own office);
- without an account: the name may be empty, the email is required (the answer goes there).
  Such filings are limited per client address (ANONYMOUS, the sign-in counters of
  adapters/sign_in_attempts.py) and a form whose honeypot field (HONEYPOT, hidden from people) is
  filled is answered as received and dropped.

Figures for the monthly evaluation: `counts(office, cases)` (complaints, answered, answer times)
over the office's complaint cases of a period, read by the caller.
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.adapters import sign_in_attempts
from chalicelib.adapters.case_store import change_case
from chalicelib.adapters.models import Case
from chalicelib.domain import case_code, clock, teks
from chalicelib.domain.sign_in_limits import Limit, allowed, client_key, wait_seconds
from chalicelib.errors import NotFound, TooManyAttempts
from chalicelib.services import cases, forms
from chalicelib.services.catalog import find_service
from chalicelib.services.evaluation import COMPLAINTS

log = logging.getLogger(__name__)

SERVICE = COMPLAINTS
"""The service id of every office's complaint SOP (the evaluation counts it apart)."""
SECTION = "pengaduan"
"""The form section holding the complaint (jenis, nama, email, isi, kode_berkas)."""
ANONYMOUS_SUB = "anonim"
"""The owner of complaints filed without an account: no token names it, so nobody lists them."""
ANONYMOUS = Limit("client", 5)
"""Complaints one client address may file without an account per window (15 minutes, doubling
after a window that reached it: domain/sign_in_limits.py). A phone or a home line files one or
two; five stops a script without hindering a family."""
POOL = "complaint"
HONEYPOT = "situs_web"
"""A form field people never see (hidden by CSS, out of the tab order); a bot fills it."""


def file(
    office: str,
    raw: Any,
    idempotency_key: str,
    *,
    applicant_sub: str | None = None,
    related_case_id: str | None = None,
    honeypot: str = "",
    source_ip: str | None = None,
) -> dict[str, Any]:
    """File a complaint at `office` and start its case; safe to repeat with the same key.

    `raw` is the complaint section {jenis, nama, email, isi, kode_berkas}; `applicant_sub` the
    signed-in account or None; `related_case_id` a case of that account the complaint is about
    (its office is then the complaint's office). Returns {"received": True, "code": the case's
    short code (None for a dropped honeypot filing), "case_id": the case id for a signed-in
    filer (None without an account: there is no status page to open)}.

    Raises NotFound (no such office, or a related case not the account's), FormInvalid (422, per
    field), InvalidInput (a bad email), TooManyAttempts (429 with retry_after: an anonymous
    client over ANONYMOUS)."""
    if not teks.kosong(honeypot):
        log.warning("complaint dropped: honeypot filled")  # no content, no address
        return {"received": True, "code": None, "case_id": None}
    entry = find_service(office, SERVICE)
    raw = dict(raw) if isinstance(raw, dict) else {}
    related: Case | None = None
    if related_case_id:
        if applicant_sub is None:
            raise NotFound("Berkas tidak ditemukan.", field="case_id")
        related = cases.own_case(applicant_sub, related_case_id)
        office = related.office
        entry = find_service(office, SERVICE)
        raw["kode_berkas"] = case_code.shown(related.code) if related.code else related.case_id[:20]
    if entry is None:
        raise NotFound("Kantor ini belum menerima pengaduan melalui Loket.", field="office")
    form = forms.clean_form(entry.sop, {SECTION: raw})
    email = str(form[SECTION].get("email") or "")
    if applicant_sub is None:
        _count_anonymous(source_ip)
    sub = applicant_sub or ANONYMOUS_SUB
    opened = cases.open_case(sub, email, office, SERVICE, idempotency_key, kind="masyarakat")
    data = {"form": form, **forms.summary(entry.sop, form)}
    if related is not None:
        data["related_case"] = related.case_id

    def keep(current: Case) -> list[Any]:
        if current.status != "draft" or (current.data or {}).get("form"):
            return []
        return [Case.data.set({**(current.data or {}), **data})]

    change_case(opened.case.case_id, keep)
    submitted = cases.submit(sub, opened.case.case_id)
    return {
        "received": True,
        "code": case_code.shown(submitted.code) if submitted.code else None,
        "case_id": submitted.case_id if applicant_sub else None,
        "status": submitted.status,
    }


def _count_anonymous(source_ip: str | None) -> None:
    """Count one anonymous filing of the client; TooManyAttempts (429) over ANONYMOUS."""
    client = client_key(source_ip)
    now = clock.now().timestamp()
    window = sign_in_attempts.take(POOL, ANONYMOUS, client, now)
    if not allowed(ANONYMOUS, window):
        seconds = wait_seconds(window, now)
        minutes = max(1, -(-seconds // 60))
        raise TooManyAttempts(
            f"Terlalu banyak pengaduan dari jaringan ini. Coba lagi dalam {minutes} menit, atau masuk "
            "dengan akun Loket.",
            code="too_many_complaints",
            retry_after=seconds,
        )
