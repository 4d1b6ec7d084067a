"""What staff record is checked beyond its type: a receipt pays for one validation, an SPR has a quota,
a national reference number is kept by the national adapter and finds its case again, and each
service is filed by the kind of account its standard names."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from botocore.exceptions import EndpointConnectionError
from chalice.test import Client

from app import app
from chalicelib.adapters import national, workflow
from chalicelib.adapters.models import Case, RecruitmentLetter, WorkItem
from chalicelib.adapters.transact import Refused, write_all
from chalicelib.domain.clock import office_today
from chalicelib.errors import LoketError
from chalicelib.services import record_checks, work
from chalicelib.sop.loader import load_service
from tests.helpers import Applicant, Officer, body
from tests.walker import ORGANISATION, RECORD_VALUES, Walk

PAYMENT = {"tanggal_pembayaran": "2026-11-02", "nomor_jurnal": "JRN-0042", "nominal": "1.200.000"}


@pytest.fixture
def client(aws, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # real standard times: nothing times out mid-test
    reset_settings()
    with Client(app) as c:
        yield c


def walk_to(walk: Walk, step: str, key: str) -> WorkItem:
    """File a case and approve every step before `step`; returns that step's work item."""
    walk.file(key)
    item = walk.next_item()
    while item is not None and item.step != step:
        options = [c.decision for c in work.choices(item)]
        walk.act(item, next((d for d in ("approve", "forward") if d in options), options[0]))
        item = walk.next_item()
    assert item is not None, f"the case never reached step {step}"
    return item


def decide(walk: Walk, item: WorkItem, decision: str, fields: dict[str, str], note: str = "") -> str:
    response = walk.officer(item.role).decide(walk.case_id, item.SK, decision, note, fields=fields)
    return unquote(str(response.headers["Location"]))


def test_a_receipt_number_pays_for_one_validation_only(client, aws, applicant, staff) -> None:
    first = Walk(client, aws, applicant, staff, "kab-pasuruan", "validasi-tka")
    item = walk_to(first, "06", "tka-0001")
    future = (office_today() + timedelta(days=1)).isoformat()
    assert "masa depan" in decide(first, item, "approve", {**PAYMENT, "tanggal_pembayaran": future})
    assert "lebih dari nol" in decide(first, item, "approve", {**PAYMENT, "nominal": "0"})
    assert "pesan=" in decide(first, item, "approve", PAYMENT)
    assert first.run() == "completed"
    notices = [m for m in first.mails() if "application/pdf" in m and "Validasi_TKA" in m.replace(" ", "_")]
    assert len(notices) == 1, "the company gets the validation notice once, as a PDF"

    second = Walk(client, aws, applicant, staff, "kab-pasuruan", "validasi-tka", username="pemohon2")
    second.officers = first.officers
    item = walk_to(second, "06", "tka-0002")
    refused = decide(second, item, "approve", {**PAYMENT, "nomor_jurnal": "jrn-0042 "})
    # Typed in lower case with a space: the number as Aplikasi TKA Daerah shows it, already used.
    assert "No jurnal / no bukti pembayaran JRN-0042 sudah dipakai untuk berkas lain" in refused
    assert WorkItem.get(item.PK, item.SK).status == "open"  # nothing decided
    assert "pesan=" in decide(second, item, "approve", {**PAYMENT, "nomor_jurnal": "JRN-0043"})


def test_an_exhausted_spr_stops_the_case_with_the_reason(client, aws, applicant, staff) -> None:
    walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "rekomendasi-paspor-cpmi")
    national.register_spr("kab-pasuruan", "SPR/2026/HABIS", ORGANISATION, 1, date(2099, 1, 1))
    spr = RecruitmentLetter.get(*RecruitmentLetter.key("kab-pasuruan", "SPR/2026/HABIS"))
    spr.update(actions=[RecruitmentLetter.used.set(1)])
    item = walk_to(walk, "04", "cpmi-0001")
    refused = decide(walk, item, "approve", {"nomor_spr": "SPR/2026/HABIS"})
    assert "Kuota SPR SPR/2026/HABIS sudah habis (1 dari 1 terpakai)" in refused
    note = "Kuota SPR SPR/2026/HABIS sudah habis; ajukan SPR baru."
    assert "pesan=" in decide(walk, item, "reject", {}, note)
    assert walk.next_item() is None
    view = body(walk.applicant.get(walk.case_id))
    assert view["status"] == "rejected" and view["status_note"] == note


def test_an_spr_of_another_company_or_unknown_is_refused(client, aws, applicant, staff) -> None:
    walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "rekomendasi-paspor-cpmi")
    national.register_spr("kab-pasuruan", "SPR/2026/LAIN", "PT PERUSAHAAN LAIN", 5, date(2099, 1, 1))
    item = walk_to(walk, "04", "cpmi-0002")
    assert "tidak sesuai dengan perusahaan pemohon" in decide(
        walk, item, "approve", {"nomor_spr": "SPR/2026/LAIN"}
    )
    assert "tidak ada di sistem" in decide(walk, item, "approve", {"nomor_spr": "SPR/2026/9999"})
    spr = RecruitmentLetter.get(*RecruitmentLetter.key("kab-pasuruan", "SPR/2026/LAIN"))
    assert spr.used == 0


def test_a_decision_that_fails_gives_the_spr_place_back(client, aws, applicant, staff, monkeypatch) -> None:
    walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "rekomendasi-paspor-cpmi")
    item = walk_to(walk, "04", "cpmi-0003")

    def unreachable(token: str, output: dict) -> None:
        raise EndpointConnectionError(endpoint_url="https://states.ap-southeast-3.amazonaws.com")

    monkeypatch.setattr(workflow, "answer_task", unreachable)
    officer = walk.officer(item.role)
    failed = officer.decide(walk.case_id, item.SK, "approve", fields={"nomor_spr": RECORD_VALUES["text"]})
    assert failed.status_code == 503
    spr = RecruitmentLetter.get(*RecruitmentLetter.key("kab-pasuruan", RECORD_VALUES["text"]))
    assert spr.used == 0 and WorkItem.get(item.PK, item.SK).status == "open"
    monkeypatch.undo()
    assert "pesan=" in decide(walk, item, "approve", {"nomor_spr": RECORD_VALUES["text"]})
    spr.refresh()
    assert spr.used == 1


def test_national_references_are_kept_by_the_adapter_and_find_their_case(
    client, aws, applicant, staff, monkeypatch
) -> None:
    walk = Walk(client, aws, applicant, staff, "kota-tangerang", "id-rekomendasi-paspor-cpmi")
    item = walk_to(walk, "10", "tng-ref-0001")
    references = {"referensi_siskotkln": "id-cpmi  2026/000123", "nomor_berita_acara": "BA/0456/2026"}

    refused = decide(walk, item, "approve", {**references, "nomor_berita_acara": "BA#0456?"})
    assert "Nomor Berita Acara CPMI di SISKOTKLN: 'BA#0456?' bukan nomor SISKOTKLN yang sah" in refused
    # Nothing of the refused decision is kept: not the other reference, not its 'used once' claim.
    assert national.find_reference("kota-tangerang", "ID-CPMI 2026/000123") == []
    assert WorkItem.get(item.PK, item.SK).status == "open"

    def unreachable(token: str, output: dict) -> None:
        raise EndpointConnectionError(endpoint_url="https://states.ap-southeast-3.amazonaws.com")

    monkeypatch.setattr(workflow, "answer_task", unreachable)
    failed = walk.officer(item.role).decide(walk.case_id, item.SK, "approve", fields=references)
    assert failed.status_code == 503
    assert national.find_reference("kota-tangerang", "BA/0456/2026") == []  # the decision did not happen
    monkeypatch.undo()

    assert "pesan=" in decide(walk, item, "approve", references)
    kept = national.find_reference("kota-tangerang", "ID-CPMI 2026/000123")
    assert [(r.case_id, r.system, r.field) for r in kept] == [
        (walk.case_id, "siskotkln", "referensi_siskotkln")
    ]

    officer = walk.officer(item.role)
    found = officer.post("/staff/cari", rujukan="ba/0456/2026")
    page = found.body.decode()
    assert found.status_code == 200 and walk.case_id in page and "SISKOTKLN" in page
    case_page = officer.case_page(walk.case_id).body.decode()
    assert "Catatan petugas" in case_page and "ID-CPMI 2026/000123" in case_page
    assert f"Diajukan oleh <strong>{ORGANISATION}</strong>" in case_page  # the agency that filed it

    # The same number on two fields of one case: one case found, both records listed, and the
    # case read once (DynamoDB's BatchGetItem refuses a repeated key; moto does not check it).
    national.record_reference(
        "kota-tangerang",
        "biometrik",
        "Biometrik",
        "BA/0456/2026",
        walk.case_id,
        walk.service,
        "referensi_biometrik",
    )
    batch_get = Case.batch_get

    def distinct_keys(keys, *args, **kwargs):  # type: ignore[no-untyped-def]
        keys = list(keys)
        assert len(set(keys)) == len(keys), f"repeated keys {keys}"
        return batch_get(keys, *args, **kwargs)

    monkeypatch.setattr(Case, "batch_get", distinct_keys)
    twice = officer.post("/staff/cari", rujukan="BA/0456/2026").body.decode()
    assert "1 berkas ditemukan (2 kecocokan)" in twice
    monkeypatch.undo()

    pasuruan = Officer(client, *staff("staf-psr", "kab-pasuruan.staf_perlindungan"))
    elsewhere = pasuruan.post("/staff/cari", rujukan="BA/0456/2026")
    assert walk.case_id not in elsewhere.body.decode() and "Tidak ada berkas" in elsewhere.body.decode()

    # Loket's own case number, as the applicant shows it at the counter: this office only.
    mine = officer.post("/staff/cari", rujukan=walk.case_id.upper()).body.decode()
    assert f'href="/staff/cases/{walk.case_id}"' in mine and "Nomor berkas lengkap" in mine
    theirs = pasuruan.post("/staff/cari", rujukan=walk.case_id.upper()).body.decode()
    assert walk.case_id.upper() in theirs and f"/staff/cases/{walk.case_id}" not in theirs


def test_each_service_is_filed_by_the_account_its_standard_names(client, applicant) -> None:
    job_seeker = Applicant(client, applicant("budi"))
    company = Applicant(client, applicant("hrd", kind="perusahaan", organisation="PT MAJU"))
    refused = job_seeker.open("form-0001", service="validasi-tka")
    assert refused.status_code == 403 and "Perusahaan" in body(refused)["error"]["message"]
    assert company.open("form-0002", service="ak1").status_code == 403
    opened = company.open("form-0003", service="validasi-tka")
    assert opened.status_code == 201


def _new_case(case_id: str, service: str) -> Case:
    case = Case(
        *Case.key(case_id),
        case_id=case_id,
        office="kab-pasuruan",
        service=service,
        applicant_sub="sub-1",
        status="submitted",
        created_at="2026-11-23T01:00:00.000Z",
        updated_at="2026-11-23T01:00:00.000Z",
        data={"organisation": ORGANISATION},
    )
    case.save()
    return case


def _claim(case, step, records):  # type: ignore[no-untyped-def]
    """What a decision does with its records' claims: writes them (in its one transaction, alone
    here), raising the refusal of a claim someone else holds; returns how to give them back."""
    claims = record_checks.claims(case, step, records)
    if claims.writes:
        try:
            write_all(claims.writes)
        except Refused as refused:
            raise next(r for r in refused.refusals() if isinstance(r, LoketError)) from None
    return claims.undo


def test_a_step_done_again_keeps_what_it_held_and_frees_what_it_replaced(aws) -> None:
    """A returned draft sends the case back to a step that recorded numbers: recording the same
    ones again holds nothing twice (and a failed decision frees nothing it did not take); a
    corrected number frees the old one for other cases."""
    validation = load_service("kab-pasuruan", "validasi-tka").step(6)
    case = _new_case("case-again", "validasi-tka")
    _claim(case, validation, {"nomor_jurnal": "JRN-7"})
    case.update(actions=[Case.records.set({"06": {"nomor_jurnal": "JRN-7"}})])  # as the decision wrote it

    undo = _claim(case, validation, {"nomor_jurnal": "JRN-7"})
    undo()  # that second decision failed: the first one's claim and reference stand
    other = _new_case("case-other", "validasi-tka")
    with pytest.raises(LoketError):
        _claim(other, validation, {"nomor_jurnal": "JRN-7"})
    assert [r.case_id for r in national.find_reference("kab-pasuruan", "JRN-7")] == ["case-again"]

    # The same number typed again in other letters is the same claim: nothing freed, nothing twice.
    _claim(case, validation, {"nomor_jurnal": "jrn-7 "})()
    record_checks.release_replaced(case, validation, {"nomor_jurnal": "jrn-7 "})
    with pytest.raises(LoketError):
        _claim(other, validation, {"nomor_jurnal": "JRN-7"})

    _claim(case, validation, {"nomor_jurnal": "JRN-8"})
    record_checks.release_replaced(case, validation, {"nomor_jurnal": "JRN-8"})
    assert national.find_reference("kab-pasuruan", "JRN-7") == []
    _claim(other, validation, {"nomor_jurnal": "JRN-7"})  # free for another case now

    spr_step = load_service("kab-pasuruan", "rekomendasi-paspor-cpmi").step(4)
    national.register_spr("kab-pasuruan", "SPR/A", ORGANISATION, 1, date(2099, 1, 1))
    national.register_spr("kab-pasuruan", "SPR/B", ORGANISATION, 1, date(2099, 1, 1))
    cpmi = _new_case("case-cpmi", "rekomendasi-paspor-cpmi")
    _claim(cpmi, spr_step, {"nomor_spr": "SPR/A"})
    cpmi.update(actions=[Case.records.set({"04": {"nomor_spr": "SPR/A"}})])
    _claim(cpmi, spr_step, {"nomor_spr": "SPR/A"})()  # done again, then failed
    assert RecruitmentLetter.get(*RecruitmentLetter.key("kab-pasuruan", "SPR/A")).used == 1
    _claim(cpmi, spr_step, {"nomor_spr": "SPR/B"})
    record_checks.release_replaced(cpmi, spr_step, {"nomor_spr": "SPR/B"})
    used = [RecruitmentLetter.get(*RecruitmentLetter.key("kab-pasuruan", n)).used for n in ("SPR/A", "SPR/B")]
    assert used == [0, 1]
