"""The audit trail in people's words (chalicelib/domain/audit_words.py): every action the code
writes has an Indonesian label, found by reading the code itself, so a new action without one
fails here; who did it is written once, by the office's role label."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from chalicelib.adapters.models import AuditEvent
from chalicelib.domain.audit_words import ACTIONS, action_label, actor_words
from chalicelib.sop.schema import OutcomeDecision
from chalicelib.staff import labels
from chalicelib.staff.case_view import trail_row
from chalicelib.staff.labels import role_label
from chalicelib.worker.tasks import CLOSING

ROOT = Path(__file__).resolve().parents[2] / "chalicelib"
# The calls that write an audit event, and the position of their `action` argument.
WRITERS = {"record": 2, "event": 4}
AUDIT_MODULES = {"audit", "audit_log"}  # how the code names chalicelib/services/audit.py


def _written_actions() -> tuple[set[str], list[str]]:
    """(actions written as literals or module constants, calls whose action is computed)."""
    found: set[str] = set()
    computed: list[str] = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITERS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in AUDIT_MODULES
            ):
                continue
            position = WRITERS[node.func.attr]
            arg = node.args[position] if len(node.args) > position else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.Name) and arg.id in constants:
                found.add(constants[arg.id])
            else:
                computed.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found, computed


def test_every_action_the_code_writes_has_a_label() -> None:
    found, computed = _written_actions()
    assert {"submitted", "overdue", "issue_document", "decision_resent", "restarted", "revoke"} <= found
    # Computed actions: a staff decision (an SOP outcome, or the applicant's resubmission) and
    # the end a case closes with; everything else is a literal or a constant, read above.
    # (By file, not line: other changes move the lines.)
    assert {c.split(":")[0] for c in computed} == {"services/work.py", "worker/tasks.py"}, computed
    possible = found | set(typing.get_args(OutcomeDecision)) | {"resubmit"} | set(CLOSING)
    assert sorted(possible - set(ACTIONS)) == []
    assert all(label and label[0].isupper() for label in ACTIONS.values())


def test_an_unknown_action_never_shows_its_id() -> None:
    assert action_label("approve") == "Disetujui"
    assert action_label("submitted") == "Berkas diajukan"
    assert action_label("something_new") == "Tindakan lain"


def test_who_did_it_is_written_once_by_name() -> None:
    def label(role: str) -> str:
        return role_label("kab-pasuruan", role)

    assert actor_words("pemohon", "pemohon", label) == ("Pemohon", "")  # not "pemohon / pemohon"
    assert actor_words("sistem", "sistem", label) == ("Loket (otomatis)", "")
    assert actor_words("kab-pasuruan.siti", "petugas_antar_kerja", label) == (
        "kab-pasuruan.siti",
        "Petugas Antar Kerja / Staf Pelayanan",
    )
    assert actor_words("kab-pasuruan.adi", "admin", label) == ("kab-pasuruan.adi", "Admin kantor")


def test_a_trail_row_reads_as_people_do() -> None:
    event = AuditEvent(
        "CASE#c1",
        "AUDIT#x",
        case_id="c1",
        at="2026-11-30T11:37:24.536Z",
        actor="pemohon",
        role="pemohon",
        step="-",
        action="submitted",
    )
    row = trail_row(event, "kab-pasuruan")
    assert (row["at"], row["action"], row["who"], row["role"]) == (
        "30 Nov 2026 18.37 WIB",
        "Berkas diajukan",
        "Pemohon",
        "",
    )


def test_a_trail_row_names_the_officer_and_a_substitute_signs_as_plh_under_the_absence() -> None:
    """Issue 14's probe: the "Oleh" column read `kab-pasuruan.kabid` (a login id); it names the
    officer, the role, and for a substitute "Plh." with the absence the decision recorded."""
    signature = {
        "signed_by": "kab-pasuruan.kabid.rina",
        "as_role": "kabid",
        "for_role": "kasi_perlindungan",
        "kind": "Plh",
        "decree": None,
        "absence": "dinas luar, 1 Desember 2026",
    }
    event = AuditEvent(
        "CASE#c1",
        "AUDIT#y",
        case_id="c1",
        at="2026-12-01T03:00:00.000Z",
        actor="kab-pasuruan.kabid.rina",
        role="kabid",
        step="09",
        action="approve",
        details={"records": {}, "signature": signature},
    )
    row = trail_row(event, "kab-pasuruan", {"kab-pasuruan.kabid.rina": "Rina Kartika"})
    kabid, kasi = (labels.role_label("kab-pasuruan", r) for r in ("kabid", "kasi_perlindungan"))
    assert row["who"] == "Rina Kartika" and "kab-pasuruan." not in row["who"]
    assert row["role"] == f"{kabid} · Plh. {kasi}"
    assert row["acting"] == "berhalangan: dinas luar, 1 Desember 2026"
    # Without a name on the account, the user name; a decree instead of an absence is named.
    decreed = {**signature, "kind": "a.n.", "absence": None, "decree": "SK 800/12/2026"}
    event.details = {"signature": decreed}
    row = trail_row(event, "kab-pasuruan")
    assert row["who"] == "kab-pasuruan.kabid.rina" and row["role"] == f"{kabid} · a.n. {kasi}"
    assert row["acting"] == "dengan SK 800/12/2026"
    # A decision in one's own role: the role once, nothing more.
    event.details = {"records": {}}
    row = trail_row(event, "kab-pasuruan", {"kab-pasuruan.kabid.rina": "Rina Kartika"})
    assert (row["who"], row["role"], row["acting"]) == ("Rina Kartika", kabid, "")


def test_the_operators_desk_names_every_worker_task() -> None:
    """A dead-lettered message is described by its task in words (operator.py TASK_WORDS): the
    overdue digest's own task too."""
    from chalicelib.services.administration.operator import TASK_WORDS
    from chalicelib.worker.tasks import TASKS

    assert sorted(set(TASKS) - set(TASK_WORDS)) == []
