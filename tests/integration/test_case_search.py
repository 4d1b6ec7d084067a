"""Issue 13: the short case code, the receipt email, and the staff search.

"Cari nomor" found nothing for a name ("SITI RAHAYU"), a NIK, an AK-1 card number or the first
characters of a case number; the case number was 24 random characters. Each of the issue's
inputs finds the case here, only in its own office; the receipt email carries the code and is
sent once however often the applicant presses "Kirim" or SQS delivers its message.
"""

from __future__ import annotations

import email
import email.policy
import json
import re

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, CaseCode, SearchKey
from chalicelib.domain import case_code
from chalicelib.services import cases
from tests.conftest import wait_for
from tests.forms import NIK
from tests.helpers import Officer, body
from tests.walker import Walk

OFFICE = "kab-pasuruan"
NAME = "SITI RAHAYU"  # tests/forms.py's applicant
PHONE = "081234567890"


@pytest.fixture
def client(aws):  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


@pytest.fixture
def ak1(client, aws, applicant, staff) -> Walk:
    """An AK-1 case filed (form with name, NIK and phone; KTP, diploma, photo), at the officer."""
    walk = Walk(client, aws, applicant, staff, OFFICE, "ak1")
    walk.file()
    assert walk.next_item() is not None
    return walk


def code_of(walk: Walk) -> str:
    code = Case.get(*Case.key(walk.case_id), consistent_read=True).code
    assert code and case_code.parse(code) == code
    return str(code)


def found_ids(officer: Officer, typed: str) -> list[str]:
    answer = officer.post("/staff/cari", rujukan=typed)
    assert answer.status_code == 200, typed
    return re.findall(r'href="/staff/cases/([a-z2-7]{24})"', answer.body.decode())


def test_the_issues_inputs_find_the_case(ak1: Walk) -> None:
    officer = ak1.officer("petugas_antar_kerja")
    code = code_of(ak1)
    shown = case_code.shown(code)
    typed_ways = {
        "the name as typed in the issue": NAME,
        "the name's start, lower case": "siti ra",
        "a later word of the name": "Rahayu",
        "the name with an accent": "Sîti Rahayu",
        "the NIK": NIK,
        "the NIK in groups": "3514 0157 0895 0001",
        "the phone": PHONE,
        "the phone with the country code": "+62 812-3456-7890",
        "the code as shown": shown,
        "the code lower case without dashes": code.lower(),
        "the code's first 8 characters": code[:8],
        "the code read with O for 0 and spaces": " ".join(shown.split("-")).replace("0", "O"),
        "the full case id": ak1.case_id,
    }
    for way, typed in typed_ways.items():
        assert ak1.case_id in found_ids(officer, typed), way
    page = officer.post("/staff/cari", rujukan=NAME).body.decode()
    assert shown in page and "Nama pemohon" in page and "Sedang diproses" in page
    # A code one character off (the last one changed; "X" alone was the real code 1 time in 32).
    off_by_one = code[:8] + ("Y" if code[8:9] == "X" else "X")
    for typed in ("SITI RAHAYUNINGSIH", "AHAYU", "3514015708950002", off_by_one):
        assert found_ids(officer, typed) == [], typed


def test_another_office_never_finds_the_case_and_roles_without_the_service_need_its_code(
    client, ak1: Walk, staff
) -> None:
    elsewhere = Officer(client, *staff("petugas-tng", "kota-tangerang.petugas_antar_kerja"))
    code = code_of(ak1)
    for typed in (NAME, NIK, PHONE, code, ak1.case_id):
        assert found_ids(elsewhere, typed) == [], typed
    # The office's admin acts on no AK-1 step: no search by personal data, the code still works
    # and shows the name masked (services/personal_data.py).
    admin = Officer(client, *staff(f"{OFFICE}.admin.cari", f"{OFFICE}.admin"))
    for typed in (NAME, NIK, PHONE):
        assert found_ids(admin, typed) == [], typed
    page = admin.post("/staff/cari", rujukan=code).body.decode()
    assert ak1.case_id in found_ids(admin, code) and "SI** RA****" in page and NAME not in page
    # The index lives in the office's own partitions.
    keys = [k for k in SearchKey.scan() if k.case_id == ak1.case_id]
    assert keys and all(f"#{OFFICE}#" in k.PK for k in keys)


def receipts(walk: Walk) -> list[tuple[str, str]]:
    """(subject, text) of each receipt email sent for the walk's case, decoded."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    found = []
    for sent in ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages:
        message = email.message_from_string(sent.raw_data, policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        if message["Subject"].startswith("Berkas diterima") and walk.case_id in text:
            found.append((str(message["Subject"]), text))
    return found


def test_one_code_and_one_receipt_however_often_it_is_submitted(ak1: Walk) -> None:
    code = code_of(ak1)
    shown = case_code.shown(code)
    got = wait_for(lambda: ak1.pump() >= 0 and receipts(ak1))
    assert len(got) == 1 and got[0][0] == f"Berkas diterima - {shown}"
    assert f"Kode berkas: {shown}" in got[0][1] and "AK-1" in got[0][1] and "20 Menit" in got[0][1]
    # The status page shows the code; the same form's key opens the same case with the same code.
    assert body(ak1.applicant.get(ak1.case_id))["code"] == shown
    again = ak1.applicant.open("walk-0001", office=OFFICE, service="ak1")
    assert body(again)["case_id"] == ak1.case_id and body(again)["code"] == shown
    assert [c.case_id for c in CaseCode.scan()] == [ak1.case_id]
    # A second press, and SQS delivering the receipt's message again: no second email.
    assert ak1.applicant.submit(ak1.case_id).status_code == 200
    case = Case.get(*Case.key(ak1.case_id), consistent_read=True)
    event = ak1.client.events.generate_sqs_event(
        queue_name="loket-worker", message_bodies=[json.dumps(cases.receipt_message(case))] * 2
    )
    ak1.client.lambda_.invoke("worker", event)
    ak1.pump()
    assert len(receipts(ak1)) == 1


def test_a_taken_code_is_skipped_for_the_next(aws) -> None:
    first = cases.code_for("a" * 24, OFFICE)
    assert first == case_code.candidate("a" * 24)
    assert cases.code_for("a" * 24, OFFICE) == first  # the same case again: the same code
    # Another case whose first candidate is taken gets its second.
    taken = case_code.candidate("b" * 24)
    CaseCode(*CaseCode.key(taken), case_id="c" * 24, office=OFFICE, at="2026-12-01T00:00:00Z").save()
    assert cases.code_for("b" * 24, OFFICE) == case_code.candidate("b" * 24, 1)


def test_a_mistyped_code_an_empty_box_and_bidi_controls_are_told_plainly(client, staff) -> None:
    """Issue 14's probe: a code whose check character is wrong says so; an empty (or all-space)
    box says what to type; bidi controls are taken out before the text is shown back."""
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.petugas_antar_kerja"))
    body_ = "K7QM3XD2"
    right = body_ + case_code.check_character(body_)
    wrong = body_ + next(c for c in case_code.ALPHABET if c != right[-1])
    for typed in (wrong, case_code.shown(wrong), wrong.lower()):
        page = officer.post("/staff/cari", rujukan=typed).body.decode()
        assert "Kode berkas salah ketik: periksa lagi karakter terakhirnya." in page, typed
        assert "Tidak ada berkas di kantor Anda" not in page, typed
    # A valid code of no case here: not found, without the typo notice.
    page = officer.post("/staff/cari", rujukan=right).body.decode()
    assert "salah ketik" not in page and "Tidak ada berkas di kantor Anda" in page

    for typed in ("", "   ", "\u202e\u2066  "):
        answer = officer.post("/staff/cari", rujukan=typed)
        page = answer.body.decode()
        assert answer.status_code == 400 and "Kotak pencarian masih kosong" in page, repr(typed)
        assert "K7Q-M3X-D2F" in page

    hostile = "\u202eSITI\u2066 RA\u2069\u202a\u202b\u202c\u202d\u2067\u2068"
    page = officer.post("/staff/cari", rujukan=hostile).body.decode()
    assert not any(chr(c) in page for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
    assert "<strong>SITI RA</strong>" in page and 'value="SITI RA"' in page
