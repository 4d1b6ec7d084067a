"""The audit trail in people's words: each action Loket writes, as staff read it on the case page.

Every action the code writes has a label here (tests/unit/test_audit_words.py reads the code for
them and fails on one without): staff decisions (the SOP outcomes `approve`, `forward`, `return`,
`reject`, and the applicant's `resubmit`), the worker's tasks, the case's ends, and the
operator's desk. Who did it is written the same way: Loket itself, the applicant, or a person
and the role they acted in, by the office's label of that role, once.
"""

from __future__ import annotations

from collections.abc import Callable

ACTIONS: dict[str, str] = {
    # the applicant
    "submitted": "Berkas diajukan",
    "resubmit": "Berkas dikirim ulang oleh pemohon",
    "holder_report": "Laporan enam bulanan pemegang kartu",
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


def actor_words(actor: str, role: str, role_label: Callable[[str], str]) -> tuple[str, str]:
    """(who, as what) for one trail line: ("Loket (otomatis)", ""), ("Pemohon", ""), or the
    person's user name and `role_label(role)` (the office's label); the second is "" when it would
    only repeat the first ("pemohon / pemohon" printed twice was issue 13's)."""
    if actor == SYSTEM_ACTOR:
        return "Loket (otomatis)", ""
    if actor == APPLICANT:
        return "Pemohon", ""
    label = role_label(role) if role else ""
    return actor, "" if label.lower() == actor.lower() else label
