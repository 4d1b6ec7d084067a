"""One valid AK-1 per NIK per office (services/one_card.py), through the API, the staff pages and
the worker on the real compiled AK-1 machine: two accounts file one NIK at once, one card is made,
a plain second filing is refused in words, a re-issue supersedes the old card on the verification
page, and the officer sees every earlier card and filing of the NIK and a region warning."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, Credential
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import Conflict, LoketError
from chalicelib.services import cases, reference_search, verification
from tests.forms import NIK, sample_form
from tests.helpers import body
from tests.walker import Walk

OFFICE, SERVICE = "kab-pasuruan", "ak1"
REISSUE = "Penggantian kartu hilang atau rusak"


@pytest.fixture
def client(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: no step times out mid-test
    reset_settings()
    with Client(app) as c:
        yield c


def _walk(client: Client, aws: Any, applicant: Any, staff: Any, username: str) -> Walk:
    return Walk(client, aws, applicant, staff, OFFICE, SERVICE, username=username)


def _form(walk: Walk, reason: str | None = None, nik: str = NIK) -> dict[str, Any]:
    form = sample_form(walk.entry.sop)  # type: ignore[union-attr]
    form["identitas"] = {**form["identitas"], "nik": nik}
    if reason is not None:
        form["permohonan"] = {"jenis_permohonan": reason}
    return form


def _check(walk: Walk, case_id: str, nik: str = NIK) -> Any:
    return walk.client.http.post(
        f"/api/cases/{case_id}/nik", headers=walk.applicant.headers(), body=json.dumps({"nik": nik})
    )


def _card(case_id: str) -> Credential:
    case = Case.get(*Case.key(case_id), consistent_read=True)
    issued = case.products["kartu_ak1"]
    assert issued.signed and issued.verify_id, issued
    found = verification.credential(issued.verify_id)
    assert found is not None
    return found


def test_one_nik_from_two_accounts_one_card_the_officer_warned_verification_consistent(
    client, aws, applicant, staff
) -> None:
    siti, other = _walk(client, aws, applicant, staff, "siti"), _walk(client, aws, applicant, staff, "lain")
    other.officers = siti.officers  # the same officers work both files
    ours, theirs = siti.file("nik-0001", submit=False), other.file("nik-0002", submit=False)
    subs = {c: Case.get(*Case.key(c)).applicant_sub for c in (ours, theirs)}

    # Both press "Kirim" at the same moment: one filing goes on, the other is refused in words.
    start = threading.Barrier(2)
    won: list[str] = []
    refused: list[LoketError] = []
    broken: list[BaseException] = []

    def submit(case_id: str) -> None:
        start.wait()
        try:
            cases.submit(subs[case_id], case_id)
            won.append(case_id)
        except LoketError as exc:
            refused.append(exc)
        except BaseException as exc:  # would be a 5xx
            broken.append(exc)

    threads = [threading.Thread(target=submit, args=(c,)) for c in (ours, theirs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not broken, broken
    assert len(won) == 1 and len(refused) == 1, (won, [e.message for e in refused])
    assert isinstance(refused[0], Conflict) and refused[0].field == "identitas.nik"
    assert "sedang dalam proses pengajuan" in refused[0].message
    first = _walk_for(siti, other, won[0])
    second = other if first is siti else siti
    second.case_id = theirs if first is siti else ours
    assert Case.get(*Case.key(second.case_id)).status == "draft"  # the loser started nothing

    assert first.run() == "completed"
    card = _card(first.case_id)
    assert verification.lookup(card.verify_id)["status"] == "valid"

    # A plain second filing of the NIK is refused at form time and at submit, and tells the other
    # account nothing of the card (no number, no date); it may ask a re-issue instead.
    checked = _check(second, second.case_id)
    assert checked.status_code == 200, checked.body
    told = body(checked)
    assert told["state"] == "other_card" and told["valid_until"] is None and told["number"] is None
    assert "penggantian" in told["message"] and str(card.number) not in told["message"]
    again = second.applicant.submit(second.case_id)
    assert again.status_code == 409, again.body
    error = body(again)["error"]
    assert error["field"] == "identitas.nik" and str(card.number) not in again.body.decode()
    assert "sudah memiliki Kartu AK-1 yang masih berlaku" in error["message"]
    saved = second.applicant.save_form(second.case_id, _form(second))
    assert saved.status_code == 422 and "identitas.nik" in body(saved)["errors"], saved.body

    saved = second.applicant.save_form(second.case_id, _form(second, REISSUE))
    assert saved.status_code == 200, saved.body
    assert second.applicant.submit(second.case_id).status_code == 200

    # The officer of the re-issue sees the earlier card (another account's), and that it is a re-issue.
    item = second.next_item()
    assert item is not None and item.step == "05"
    page = second.officer("petugas_antar_kerja").case_page(second.case_id).body.decode()
    assert 'id="kartu-nik"' in page and REISSUE in page and "digantikan" in page
    assert 'id="nik-sebelumnya"' in page and "akun lain" in page
    assert str(card.number) in page and "Berlaku" in page
    # The earlier filing by its case code, never a slice of its internal id.
    earlier = page.split('id="kartu-nik"', 1)[1].split("</section>", 1)[0]
    code = reference_search.code_of(Case.get(*Case.key(first.case_id)))
    assert (
        f'<span class="case-code">{code}</span>' in earlier
        and f"<code>{first.case_id[:8]}</code>" not in earlier
    )
    # Its last valid day as the page's other dates are written ("1 Des 2028"), not in a second format.
    assert f'data-label="Berlaku s.d.">{tanggal(card.valid_until)}</td>' in page
    assert re.search(r'data-label="Berlaku s.d.">\d{1,2} [A-Z][a-z]{2} \d{4}<', page)
    assert 'id="nik-wilayah"' not in page  # a Pasuruan NIK at the Pasuruan office

    assert second.run() == "completed"
    new = _card(second.case_id)
    old = verification.lookup(card.verify_id)
    assert old["status"] == "superseded" and old["superseded_by"] == new.number
    assert verification.lookup(new.verify_id)["status"] == "valid"
    valid = [c for c in (card.verify_id, new.verify_id) if verification.lookup(c)["status"] == "valid"]
    assert valid == [new.verify_id]  # never two valid cards for one NIK


def _walk_for(a: Walk, b: Walk, case_id: str) -> Walk:
    """The walk whose prepared case is `case_id` (Walk.file kept the last case it opened)."""
    return a if a.case_id == case_id else b


def test_own_card_is_told_with_its_date_and_a_filing_in_progress_refuses_even_a_reissue(
    client, aws, applicant, staff
) -> None:
    siti = _walk(client, aws, applicant, staff, "siti")
    first = siti.file("own-0001")
    # While the first filing is in progress, a second one of the same account is refused, re-issue or not.
    opened = siti.applicant.open("own-0002", office=OFFICE, service=SERVICE)
    assert opened.status_code == 201, opened.body
    second = str(body(opened)["case_id"])
    assert body(_check(siti, second))["state"] == "own_pending"
    saved = siti.applicant.save_form(second, _form(siti, REISSUE))
    assert saved.status_code == 422 and "masih diproses" in body(saved)["errors"]["identitas.nik"]
    siti.case_id = first
    assert siti.run() == "completed"
    card = _card(first)
    # Now the same account is told its card's number and last valid day at form time.
    siti.case_id = second
    told = body(_check(siti, second))
    assert told["state"] == "own_card" and told["valid_until"] == card.valid_until
    assert told["number"] == card.number and str(card.number) in told["message"]
    assert told["field"] == "permohonan.jenis_permohonan"
    # Another NIK is free; a malformed one is a 400 naming the field, never a 5xx.
    assert body(_check(siti, second, "3514015708950002"))["state"] == "free"
    bad = _check(siti, second, "12")
    assert bad.status_code == 400 and body(bad)["error"]["field"] == "nik"


def test_rejected_filing_frees_the_nik_and_a_nik_of_another_region_warns_the_officer(
    client, aws, applicant, staff
) -> None:
    siti = _walk(client, aws, applicant, staff, "siti")
    outside = "3515015708950001"  # Kabupaten Sidoarjo (35.15), filed at Pasuruan (35.14)
    case_id = siti.file("far-0001", submit=False)
    assert siti.applicant.save_form(case_id, _form(siti, nik=outside)).status_code == 200
    assert siti.applicant.submit(case_id).status_code == 200
    item = siti.next_item()
    assert item is not None
    page = siti.officer("petugas_antar_kerja").case_page(case_id).body.decode()
    assert 'id="nik-wilayah"' in page and "35.15" in page and "35.14" in page
    assert "Belum ada kartu atau pengajuan lain" in page
    assert siti.run({5: ("reject", "Data tidak sesuai KTP.")}) == "rejected"
    # The rejected filing no longer holds the NIK: a new filing goes on.
    again = siti.file("far-0002", submit=False)
    assert siti.applicant.save_form(again, _form(siti, nik=outside)).status_code == 200
    assert siti.applicant.submit(again).status_code == 200
    page = siti.officer("petugas_antar_kerja").case_page(again).body.decode()
    assert reference_search.code_of(Case.get(*Case.key(case_id))) in page and "Ditolak" in page
