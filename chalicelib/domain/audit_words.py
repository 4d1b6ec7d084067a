"""The audit trail in people's words: each action Loket writes, as staff read it on the case page.

Every action the code writes has a label here (tests/unit/test_audit_words.py reads the code for
them and fails on one without): staff decisions (the SOP outcomes `approve`, `forward`, `return`,
`reject`, and the applicant's `resubmit`), the worker's tasks, the case's ends, and the
operator's desk. Who did it is written the same way: Loket itself, the applicant, or a person
and the role they acted in, by the office's label of that role, once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

ACTIONS: dict[str, str] = {
    # the applicant
    "submitted": "Berkas diajukan",
    "resubmit": "Berkas dikirim ulang oleh pemohon",
    "holder_report": "Laporan enam bulanan pemegang kartu",
    "confirmed": "Dikonfirmasi diterima",  # the applicant's own step after submission (services/cases.py)
    # staff decisions (sop/schema.py OutcomeDecision)
    "approve": "Disetujui",
    "forward": "Diteruskan",
    "return": "Dikembalikan ke pemohon",
    "reject": "Ditolak",
    # Loket itself (worker/tasks.py, services/issuing.py)
    "returned": "Berkas dibuka untuk dilengkapi pemohon; pemohon diberi tahu",
    "email": "Email dikirim ke pemohon",
    "issue_document": "Dokumen diterbitkan",
    "number_letter": "Nomor surat diberikan",
    "number_void": "Nomor surat dibatalkan",
    "photo_unreadable": "Pas foto tidak dapat dibaca",
    "publish_download": "Dokumen dapat diunduh pemohon",
    "overdue": "Lewat waktu baku; atasan diberi tahu",
    # the case's ends (worker/tasks.py close_case)
    "completed": "Berkas selesai",
    "rejected": "Berkas ditutup: ditolak",
    "expired": "Berkas kedaluwarsa: tidak dilengkapi tepat waktu",
    "closed_unconfirmed": "Langkah pemohon ditutup otomatis: tidak dikonfirmasi tepat waktu",
    # decisions kept until Step Functions hears them (services/delivery.py)
    "decision_resent": "Keputusan dikirim ulang ke mesin alur",
    "decision_void": "Keputusan batal: tidak sampai ke mesin alur",
    # the operator's desk (services/administration/operator.py) and verification
    "dlq_retry": "Tugas sistem dikirim ulang (meja operator)",
    "restarted": "Alur dimulai ulang (meja operator)",
    "revoke": "Dokumen dicabut",
}
SYSTEM_ACTOR = "sistem"  # services/audit.py SYSTEM
APPLICANT = "pemohon"


def action_label(action: str) -> str:
    """`approve` -> "Disetujui"; an action without a label reads "Tindakan lain" (never the id),
    which tests/unit/test_audit_words.py keeps from happening."""
    return ACTIONS.get(action, "Tindakan lain")


def actor_words(
    actor: str, role: str, role_label: Callable[[str], str], name: str | None = None
) -> tuple[str, str]:
    """(who, as what) for one trail line: ("Loket (otomatis)", ""), ("Pemohon", ""), or the
    person's name (`name`, from their staff account; the user name when there is none) and
    `role_label(role)` (the office's label); the second is "" when it would only repeat the
    first ("pemohon / pemohon" printed twice was issue 13's)."""
    if actor == SYSTEM_ACTOR:
        return "Loket (otomatis)", ""
    if actor == APPLICANT:
        return "Pemohon", ""
    label = role_label(role) if role else ""
    who = name or actor
    return who, "" if label.lower() in (actor.lower(), who.lower()) else label


def on_behalf_words(signature: Mapping[str, Any], role_label: Callable[[str], str]) -> tuple[str, str]:
    """(role, why) for a decision taken for another role (the audit event's `signature`,
    services/work.py; ADR 0022): ("Kepala Bidang · Plh. Kepala Seksi Perlindungan",
    "berhalangan: dinas luar, 1 Desember 2026") under a recorded absence, or the decree's
    number as the why; ("", "") when the signature was not for another role."""
    for_role = signature.get("for_role")
    if not for_role:
        return "", ""
    kind = str(signature.get("kind") or "a.n.")
    mark = kind if kind.endswith(".") else f"{kind}."
    own = role_label(str(signature.get("as_role") or ""))
    role = f"{own} · {mark} {role_label(str(for_role))}" if own else f"{mark} {role_label(str(for_role))}"
    if signature.get("absence"):
        return role, f"berhalangan: {signature['absence']}"
    if signature.get("decree"):
        return role, f"dengan {signature['decree']}"
    return role, ""
