"""Complaints (services/complaints.py, SOP pengaduan): filed with or without an account and from a
status page, recorded with a LAPOR! ticket, answered by email once, and kept to their office."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case
from chalicelib.domain import case_code
from chalicelib.domain.clock import office_today
from chalicelib.services import audit, complaints, evaluation, work
from tests.helpers import Applicant, body
from tests.walker import Walk

OFFICE = "kab-pasuruan"
ANSWER = "Terima kasih. Petugas loket sudah kami tegur dan jam layanan kami perpanjang."


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _complaint(**extra: str) -> dict[str, str]:
    return {
        "jenis": "Pengaduan",
        "nama": "",
        "email": "warga@contoh.id",
        "isi": "Antrean di loket terlalu lama dan petugas tidak ramah.",
        **extra,
    }


def _file(client, token: str | None = None, ip: str = "", **payload) -> object:
    headers = {"Content-Type": "application/json", "Idempotency-Key": payload.pop("key", str(uuid.uuid4()))}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = {"office": OFFICE, "complaint": _complaint(), **payload}
    return client.http.post("/api/complaints", headers=headers, body=json.dumps(data))


def _case_by_code(code: str) -> Case:
    from chalicelib.adapters.models import CaseCode

    owner = CaseCode.get(*CaseCode.key(code.replace("-", "").upper()), consistent_read=True)
    return Case.get(*Case.key(owner.case_id), consistent_read=True)


def _walk(client, aws, applicant, staff, case_id: str, office: str = OFFICE) -> Walk:
    walk = Walk(client, aws, applicant, staff, office, complaints.SERVICE, username="pelapor-walk")
    walk.case_id = case_id
    return walk


def _answer(walk: Walk, lapor: str = "") -> None:
    item = walk.next_item()
    assert item is not None and item.role == "staf" and item.step == "02"
    walk.officer("staf").decide(walk.case_id, item.SK, "approve", fields={"nomor_lapor": lapor})
    item = walk.next_item()
    assert item is not None and item.role in ("kasi_penempatan", "kasi") and item.step == "03"
    walk.officer(item.role).decide(walk.case_id, item.SK, "approve", fields={"jawaban": ANSWER})
    assert walk.next_item() is None


def _answer_mails(walk: Walk) -> list[str]:
    """Every answer email sent about the walk's case (its subject carries the case code; the
    email has no status link: a complaint without an account has no status page)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    code = Case.get(*Case.key(walk.case_id), consistent_read=True).code
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
    raw = [str(getattr(m, "raw_data", "")).replace("=\n", "") for m in sent]
    return [m for m in raw if "Jawaban atas pengaduan" in m and case_code.shown(code) in m]


def test_without_an_account_the_answer_is_emailed_once(client, aws, applicant, staff) -> None:
    filed = _file(client)
    assert filed.status_code == 201, filed.body
    shown = body(filed)
    assert shown["received"] and shown["code"] and shown["case_id"] is None  # no status page to open
    case = _case_by_code(shown["code"])
    assert case.service == "pengaduan" and case.applicant_sub == complaints.ANONYMOUS_SUB
    assert case.status == "submitted" and case.data["email"] == "warga@contoh.id"
    walk = _walk(client, aws, applicant, staff, case.case_id)
    _answer(walk, lapor="LAPOR-4412345")
    done = Case.get(*Case.key(case.case_id), consistent_read=True)
    assert done.status == "completed"
    assert done.records["02"]["nomor_lapor"] == "LAPOR-4412345"
    assert done.records["03"]["jawaban"] == ANSWER
    answers = _answer_mails(walk)
    assert len(answers) == 1, "the answer is emailed exactly once"
    assert "Petugas loket sudah kami tegur" in answers[0].replace("=\n", "")
    walk.pump()  # a worker delivery repeated sends nothing new
    assert len(_answer_mails(walk)) == 1
    trail = [e.action for e in audit.trail(case.case_id)]
    assert trail[0] == "submitted" and trail[-1] == "completed"


def test_without_an_account_the_email_is_required_and_the_name_is_not(client) -> None:
    no_email = _file(client, complaint=_complaint(email=""))
    assert no_email.status_code == 422, no_email.body
    assert "email" in json.dumps(body(no_email))
    no_text = _file(client, complaint=_complaint(isi=""))
    assert no_text.status_code == 422
    named = _file(client, complaint=_complaint(nama="Siti Aminah"))
    assert named.status_code == 201


def test_same_key_files_one_complaint(client) -> None:
    first = _file(client, key="pengaduan-0001")
    again = _file(client, key="pengaduan-0001")
    assert first.status_code == again.status_code == 201
    assert body(first)["code"] == body(again)["code"]


def test_honeypot_filing_is_dropped(client) -> None:
    dropped = _file(client, situs_web="http://spam.example")
    assert dropped.status_code == 201 and body(dropped)["code"] is None
    assert not [c for c in Case.scan() if c.service == "pengaduan"]


def test_anonymous_filings_are_limited_per_client(client) -> None:
    codes = [_file(client).status_code for _ in range(complaints.ANONYMOUS.most)]
    assert codes == [201] * complaints.ANONYMOUS.most
    refused = _file(client)
    assert refused.status_code == 429 and refused.headers.get("Retry-After")
    assert "Coba lagi" in body(refused)["error"]["message"]


def test_with_an_account_it_is_the_accounts_case(client, applicant) -> None:
    token = applicant("pelapor1")
    filed = _file(client, token)
    assert filed.status_code == 201, filed.body
    case_id = body(filed)["case_id"]
    listed = Applicant(client, token).get(case_id)
    assert listed.status_code == 200 and body(listed)["service"] == "pengaduan"
    # a signed-in filer is not counted against the anonymous limit
    assert all(_file(client, token).status_code == 201 for _ in range(complaints.ANONYMOUS.most + 1))


def test_a_bad_token_is_401_not_anonymous(client) -> None:
    assert _file(client, "not-a-token").status_code == 401


def test_from_a_status_page_it_names_the_case_and_its_office(client, aws, applicant, staff) -> None:
    walk = Walk(client, aws, applicant, staff, "kota-tangerang", "uji-sambungan", username="pemohon-sp")
    case_id = walk.file("uji-status-1")
    token = walk.applicant.token  # the account that filed it
    filed = _file(client, token, case_id=case_id, office=OFFICE)
    assert filed.status_code == 201, filed.body
    complaint = Case.get(*Case.key(body(filed)["case_id"]), consistent_read=True)
    own = Case.get(*Case.key(case_id), consistent_read=True)
    assert complaint.office == "kota-tangerang"  # the case's office, whatever the body said
    assert complaint.data["related_case"] == case_id
    assert complaint.data["form"]["pengaduan"]["kode_berkas"].replace("-", "") == own.code
    other = applicant("orang-lain")
    assert _file(client, other, case_id=case_id).status_code == 404


def test_complaints_stay_in_their_office(client, aws, applicant, staff) -> None:
    filed = _file(client, office="kota-tangerang")
    case = _case_by_code(body(filed)["code"])
    assert case.office == "kota-tangerang"
    walk = _walk(client, aws, applicant, staff, case.case_id, office="kota-tangerang")
    item = walk.next_item()
    assert item is not None and item.GSI1PK == "QUEUE#kota-tangerang#staf"
    pasuruan = Walk(client, aws, applicant, staff, OFFICE, "pengaduan", username="pelapor-x1").officer("staf")
    refused = pasuruan.decide(case.case_id, item.SK, "approve")
    assert "galat=" in refused.headers.get("Location", "")
    assert work.open_items(case.case_id)[0].task_token == item.task_token


def test_counts_for_the_evaluation(client, aws, applicant, staff) -> None:
    """Complaints are counted on their own in the monthly evaluation (filed, answered, answer
    time, through SP4N-LAPOR!), never in the office's intake of services."""
    answered = _case_by_code(body(_file(client))["code"])
    _answer(_walk(client, aws, applicant, staff, answered.case_id), lapor="LAPOR-1")
    _file(client)
    today = office_today()
    report = evaluation.report(OFFICE, today - timedelta(days=1), today + timedelta(days=1))
    filed = report.complaints
    assert (filed.intake, filed.completed, filed.rejected, filed.lapor) == (2, 1, 0, 1)
    assert filed.case.n == 1 and filed.case.median is not None
    assert report.office.intake == 0 and sum(day[1] for day in report.days) == 0
    assert list(report.services)[-1] == "pengaduan"
