"""The engine's timers, delegations, numbering and claims, under moto with real executions."""

from __future__ import annotations

import email
import email.policy
import html
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import quote, unquote

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.domain.case_records import Signing
from chalicelib.domain.clock import office_today
from chalicelib.errors import LoketError
from chalicelib.services import absences, audit, delegations, reference_search, work
from chalicelib.sop.loader import load_office
from tests.conftest import due_within, wait_for
from tests.helpers import Applicant, Officer, body
from tests.walker import Walk

# The wall-clock seconds a returned file's 14 days last in test_returned_file_expires_with_a_notice.
# Any window will do (see the test): the expiry needs a pump after the one that marks the case
# returned. One second is the floor of a task's TimeoutSeconds.
RETURN_WINDOW = 2.0


def scale(monkeypatch, value: str) -> None:
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", value)
    reset_settings()


def test_overdue_step_escalates_and_keeps_waiting(aws, applicant, staff, monkeypatch) -> None:
    """AK-1 step 5 has 1 minute; at 1 s per minute it is overdue after 1 s: the Kasi gets the
    role's overdue digest (services/overdue.py) listing the file, the work item is flagged and
    still waits in the officer's queue (and is counted on it), then the case goes on."""
    scale(monkeypatch, "1")
    kasi = staff("kasi.ak1", "kab-pasuruan.kasi_penempatan")
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1")
        walk.file()

        def overdue_item() -> WorkItem | None:
            walk.pump()
            items = work.open_items(walk.case_id)
            return items[0] if items and items[0].overdue else None

        item = wait_for(overdue_item, timeout=due_within(standard_minutes=1))  # step 5's standard
        assert item.step == "05" and item.role == "petugas_antar_kerja"
        assert any(e.action == "overdue" for e in audit.trail(walk.case_id))
        digests = [m for m in _all_mail() if "lewat waktu baku" in str(m["Subject"])]
        assert len(digests) == 1 and str(digests[0]["To"]) == f"{kasi[0]}@disnaker.test"
        # The file by the short code people read (the long id stays internal).
        code = reference_search.code_of(cases().get(walk.case_id))
        assert code in digests[0].get_content() and walk.case_id not in digests[0].get_content()
        inbox = walk.officer("petugas_antar_kerja").inbox()
        # The workbench's queue counts: the office's overdue total and the role's queue row.
        assert '<span class="badge bad">1 lewat waktu baku</span>' in inbox
        assert "Petugas Antar Kerja / Staf Pelayanan · " in inbox
        queue = list(WorkItem.role_queue.query("QUEUE#kab-pasuruan#petugas_antar_kerja"))
        assert [i.case_id for i in queue] == [walk.case_id]
        scale(monkeypatch, "60")
        walk.act(item, "approve")
        assert walk.run() == "completed"
    overdue_decisions = [e for e in audit.trail(walk.case_id) if e.step == "05" and e.actor != "sistem"]
    assert overdue_decisions[0].overdue == 1 and overdue_decisions[0].duration_seconds > 1


def _all_mail() -> list[EmailMessage]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [
        email.message_from_string(m.raw_data, _class=EmailMessage, policy=email.policy.default)
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
    ]


def test_returned_file_expires_with_a_notice(aws, applicant, staff, monkeypatch) -> None:
    """14 days to complete a returned file (the office's return_expiry_days), scaled so that they
    pass in RETURN_WINDOW seconds; the returned file is seen first however short that is."""
    days = load_office("kab-pasuruan").return_expiry_days
    scale(monkeypatch, str(RETURN_WINDOW / (days * 24 * 60)))
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "validasi-tka")
        walk.file()
        item = walk.next_item()
        while item is not None and item.step != "04":
            walk.act(item, "approve")
            item = walk.next_item()
        assert item is not None
        walk.act(item, "return", "Bukti bayar belum terlihat di aplikasi.")

        def returned() -> dict | None:
            walk.pump()
            view = body(walk.applicant.get(walk.case_id))
            return view if view["status"] == "returned" else None

        # The applicant's status page says why, in the officer's words. It is seen before it can
        # expire whatever the machine's load: the worker task that marks it returned runs in
        # `pump` here, and the expiry timer starts only once that task is answered; the expiry
        # itself is the worker's too (so the first poll after the mark reads "returned"). The
        # wait is for the task's message, hence the slack, not the 14 scaled days.
        assert wait_for(returned)["status_note"] == "Bukti bayar belum terlihat di aplikasi."

        def expired() -> bool:
            walk.pump()
            return Case.get(*Case.key(walk.case_id), consistent_read=True).status == "expired"

        wait_for(expired, timeout=due_within(days * 24 * 60))
        assert wait_for(lambda: walk.status() == "SUCCEEDED")
        # The applicant can no longer resubmit it.
        assert Applicant(client, walk.applicant.token).submit(walk.case_id).status_code == 200
        assert Case.get(*Case.key(walk.case_id)).status == "expired"
    assert any("kedaluwarsa" in m for m in walk.mails())
    assert [e.action for e in audit.trail(walk.case_id)][-1] == "expired"


def _walk_to(walk: Walk, step: str) -> WorkItem:
    item = walk.next_item()
    while item is not None and item.step != step:
        options = [c.decision for c in work.choices(item)]
        walk.act(item, "forward" if "forward" in options else "approve")
        item = walk.next_item()
    assert item is not None, f"the case ended before step {step}"
    return item


def test_tangerang_kabid_signs_for_the_kadis_only_with_a_decree(aws, applicant, staff, monkeypatch) -> None:
    scale(monkeypatch, "60")
    with Client(app) as client:
        walk = Walk(
            client,
            aws,
            applicant,
            staff,
            "kota-tangerang",
            "id-rekomendasi-paspor-cpmi",
        )
        walk.file()
        item = _walk_to(walk, "14")
        assert item.role == "kadis"
        kabid = walk.officer("kabid")
        refused = kabid.decide(walk.case_id, item.SK, "approve")
        assert "SK%20pendelegasian" in refused.headers["Location"]
        assert WorkItem.get(item.PK, item.SK).status == "open"

        today = office_today()
        delegations.record(
            "kota-tangerang",
            "kadis",
            "kota-tangerang.kabid.walk",
            "a.n.",
            "SK Kadis No. 800/12/Disnaker/2026",
            today - timedelta(days=1),
            today + timedelta(days=1),
            "kota-tangerang.admin",
            delegate_role="kabid",
        )
        assert walk.case_id in kabid.inbox()
        # The signer reads the drafts the step signs, from the decision card itself.
        card = kabid.case_page(walk.case_id).body.decode().split('id="langkah-14"')[1].split("</section>")[0]
        assert "Periksa dokumen langkah ini" in card and card.count('class="badge bad">draf') == 3
        signed = kabid.decide(walk.case_id, item.SK, "approve")
        assert "pesan=" in signed.headers["Location"]
        assert walk.run() == "completed"
    signature = Case.get(*Case.key(walk.case_id)).signatures["14"]
    assert signature == Signing(
        signed_by="kota-tangerang.kabid.walk",
        as_role="kabid",
        for_role="kadis",
        kind="a.n.",
        decree="SK Kadis No. 800/12/Disnaker/2026",
    )
    products = Case.get(*Case.key(walk.case_id)).products
    assert products["rekomendasi_paspor"].signed is True and products["rekomendasi_paspor"].number


def test_expired_decree_does_not_count(aws, staff) -> None:
    today = office_today()
    delegations.record(
        "kota-tangerang",
        "kadis",
        "budi",
        "Plh",
        "SK 1",
        today - timedelta(days=10),
        today - timedelta(days=1),
        "adm",
    )
    assert delegations.active_for("kota-tangerang", "budi") == []
    with pytest.raises(delegations.DelegationError):
        delegations.record("kota-tangerang", "kadis", "budi", "wakil", "SK 2", today, today, "adm")


def test_pasuruan_kabid_may_sign_for_the_kasie_only_while_an_absence_is_recorded(
    aws, applicant, staff, monkeypatch
) -> None:
    """CPMI Pasuruan step 9: the Kasie Perlindungan, or "jika Kasie ... berhalangan" the Kabid or
    a Pengantar Kerja: refused until the office administrator records the Kasie's absence, then
    signed as Plh. with the absence on the case and in the audit trail (ADR 0022)."""
    scale(monkeypatch, "60")
    with Client(app) as client:
        walk = Walk(
            client,
            aws,
            applicant,
            staff,
            "kab-pasuruan",
            "rekomendasi-paspor-cpmi",
        )
        walk.file()
        item = _walk_to(walk, "09")
        # Another role of the office (a staff member) may not.
        refused = walk.officer("staf_perlindungan").decide(walk.case_id, item.SK, "approve")
        assert "peran%20lain" in refused.headers["Location"]
        # Nor the Kabid while nobody recorded the Kasie away.
        kabid = walk.officer("kabid")
        refused = kabid.decide(walk.case_id, item.SK, "approve")
        assert "berhalangan" in refused.headers["Location"]
        assert WorkItem.get(item.PK, item.SK).status == "open"
        # ... which the Kabid reads before trying, in the refusal's own words: on the case page
        # and in the inbox's "Bisa dikerjakan juga", pointing to where the absence is recorded.
        said = unquote(refused.headers["Location"]).split("galat=", 1)[1]
        assert "Admin kantor › Pejabat berhalangan" in said
        page = kabid.case_page(walk.case_id).body.decode()
        waiting = page.split("Menunggu peran lain", 1)[1].split("</section>", 1)[0]
        assert "data-substitute" in waiting and html.escape(said, quote=False) in waiting
        inbox = kabid.inbox()
        assert "Bisa dikerjakan juga" in inbox
        shared = inbox.split("Bisa dikerjakan juga", 1)[1]
        assert f'data-case="{walk.case_id}"' in shared and html.escape(said, quote=False) in shared
        today = office_today()
        absences.record("kab-pasuruan", "kasi_perlindungan", "dinas_luar", today, today, "kab-pasuruan.admin")
        # Recorded: the hint is gone, the decision form is there.
        page = kabid.case_page(walk.case_id).body.decode()
        assert "data-substitute" not in page and 'id="putuskan-09"' in page
        assert "data-substitute" not in kabid.inbox()
        assert "pesan=" in walk.officer("kabid").decide(walk.case_id, item.SK, "approve").headers["Location"]
        assert walk.run() == "completed"
        page = kabid.case_page(walk.case_id).body.decode()
    signature = Case.get(*Case.key(walk.case_id)).signatures["09"]
    assert (signature.kind, signature.for_role, signature.as_role) == ("Plh", "kasi_perlindungan", "kabid")
    assert signature.absence is not None and signature.absence.startswith("dinas luar, ")
    decided = next(e for e in audit.trail(walk.case_id) if e.step == "09" and e.role == "kabid")
    assert decided.details["signature"]["absence"] == signature.absence
    # The case page's trail says who by name, "Plh." of whom, and under which absence.
    trail = page.split('id="jejak"', 1)[1].split("</section>", 1)[0]
    row = next(r for r in trail.split("<tr>") if "Plh." in r)
    assert "kab-pasuruan.kabid.walk" not in trail  # no login ids in the trail
    assert f"berhalangan: {html.escape(signature.absence)}" in row


def test_an_absence_counts_only_on_its_days(aws) -> None:
    today = office_today()
    away = absences.record(
        "kab-pasuruan", "kasi_perlindungan", "cuti", today, today + timedelta(days=2), "adm"
    )
    assert absences.current("kab-pasuruan", "kasi_perlindungan") == away
    assert absences.current("kab-pasuruan", "kasi_perlindungan", today + timedelta(days=3)) is None
    assert absences.current("kab-pasuruan", "kabid") is None
    assert away.summary().startswith("cuti, ") and " s.d. " in away.summary()
    absences.end("kab-pasuruan", "kasi_perlindungan", away.absence_id, "adm")
    assert absences.current("kab-pasuruan", "kasi_perlindungan") is None  # removed: it began today
    with pytest.raises(LoketError):
        absences.record("kab-pasuruan", "kasi_perlindungan", "cuti", today, today - timedelta(days=1), "adm")
    with pytest.raises(LoketError):
        absences.record("kab-pasuruan", "kasi_perlindungan", "libur", today, today, "adm")


def test_two_different_absences_of_one_role_sent_at_once_are_not_both_recorded(aws, monkeypatch) -> None:
    """A second administrator records another absence of the same role between this record's
    overlap check and its write: the role's register has moved, so this one checks again and is
    refused in words; the role is never recorded absent twice for one day."""
    today = office_today()
    real = absences._all
    raced: list[absences.Away] = []

    def with_a_rival(office: str) -> list:  # type: ignore[type-arg]
        found = real(office)
        if not raced:  # the rival's whole record, while this one is between its check and write
            monkeypatch.setattr(absences, "_all", real)
            raced.append(absences.record(office, "kasi_perlindungan", "dinas_luar", today, today, "admin2"))
            monkeypatch.setattr(absences, "_all", with_a_rival)
        return found

    monkeypatch.setattr(absences, "_all", with_a_rival)
    with pytest.raises(LoketError) as refused:
        absences.record(
            "kab-pasuruan", "kasi_perlindungan", "cuti", today, today + timedelta(days=1), "admin1"
        )
    assert "sudah dicatat berhalangan" in refused.value.message and raced
    kept = [a for a in real("kab-pasuruan") if a.role == "kasi_perlindungan"]
    assert [(a.reason, a.created_by) for a in kept] == [("dinas_luar", "admin2")]


# The wall-clock seconds an applicant's step waits before it closes by itself in
# test_untouched_applicant_step_closes_by_itself.
APPLICANT_WINDOW = 6.0


def test_untouched_applicant_step_closes_by_itself(aws, applicant, staff, monkeypatch) -> None:
    """Lapor Keberadaan TKA step 9 left undone for the office's applicant_step_days (scaled to
    APPLICANT_WINDOW seconds): it closes by itself, the applicant is told, the case goes on to
    the archive step and completes (ADR 0021)."""
    days = load_office("kab-pasuruan").applicant_step_days
    scale(monkeypatch, str(APPLICANT_WINDOW / (days * 24 * 60)))
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "lapor-keberadaan-tka")
        walk.file()
        item = _walk_to(walk, "09")
        assert item.role == "pemohon"

        def moved_on() -> WorkItem | None:
            walk.pump()
            nxt = work.open_items(walk.case_id)
            return nxt[0] if nxt and nxt[0].step == "10" else None

        archive = wait_for(moved_on, timeout=due_within(days * 24 * 60))
        assert archive.role == "staf"
        assert body(walk.applicant.get(walk.case_id))["confirm"] is None
        assert walk.applicant.confirm_step(walk.case_id).status_code == 409
        assert walk.run() == "completed"
    closed = [e for e in audit.trail(walk.case_id) if e.step == "09"]
    assert "closed_unconfirmed" in [e.action for e in closed]
    assert not any(e.actor == "pemohon" for e in closed)
    assert any("ditutup otomatis" in m for m in walk.mails())


def test_claimed_item_is_refused_to_a_colleague(aws, applicant, staff, monkeypatch) -> None:
    scale(monkeypatch, "60")
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1")
        walk.file()
        item = walk.next_item()
        assert item is not None
        first = walk.officer("petugas_antar_kerja")
        second = Officer(client, *staff("petugas.dua", "kab-pasuruan.petugas_antar_kerja"))
        form = {"Content-Type": Officer.FORM, "Cookie": first.cookie}
        body = f"csrf={first.csrf()}&case_id={walk.case_id}&item={quote(item.SK)}"
        claimed = client.http.post("/staff/claim", headers=form, body=body)
        assert "pesan=" in claimed.headers["Location"]
        assert "Sedang dikerjakan oleh kab-pasuruan.petugas_antar_kerja.walk" in second.inbox()
        assert "sedang%20dikerjakan" in second.decide(walk.case_id, item.SK, "approve").headers["Location"]
        second_claim = client.http.post(
            "/staff/claim",
            headers={"Content-Type": Officer.FORM, "Cookie": second.cookie},
            body=f"csrf={second.csrf()}&case_id={walk.case_id}&item={quote(item.SK)}",
        )
        assert "sedang%20dikerjakan" in second_claim.headers["Location"]
        assert "pesan=" in first.decide(walk.case_id, item.SK, "approve").headers["Location"]


def test_case_page_shows_the_file_and_audit_trail_to_its_office_only(
    aws, applicant, staff, monkeypatch
) -> None:
    scale(monkeypatch, "60")
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1")
        walk.file()
        item = walk.next_item()
        assert item is not None
        walk.act(item, "approve", "Lengkap.")
        officer = walk.officer("petugas_antar_kerja")
        page = client.http.get(f"/staff/cases/{walk.case_id}", headers={"Cookie": officer.cookie})
        html = page.body.decode()
        assert page.status_code == 200 and "Jejak audit" in html and "Lengkap." in html
        assert "Kartu Tanda Penduduk" in html or "KTP" in html  # the uploads, by requirement name
        assert "X-Amz-Signature" in html  # documents open through short-lived links only
        other = Officer(client, *staff("tng", "kota-tangerang.staf"))
        refused = client.http.get(f"/staff/cases/{walk.case_id}", headers={"Cookie": other.cookie})
        assert refused.status_code == 404 and walk.case_id not in refused.body.decode().split("</header>")[1]


def test_stale_decision_after_the_step_was_rewritten_is_refused(aws, applicant, staff, monkeypatch) -> None:
    """A page opened before a timeout rewrote the step (new token) cannot answer the old pass."""
    scale(monkeypatch, "60")
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "ak1")
        walk.file()
        item = walk.next_item()
        assert item is not None
        stale = WorkItem.get(item.PK, item.SK)
        item.update(actions=[WorkItem.task_token.set("a-newer-token")])
        monkeypatch.setattr(work, "find_item_and_case", lambda case_id, key: (stale, None))
        officer = Principal("x", "p", ("kab-pasuruan.petugas_antar_kerja",))
        with pytest.raises(LoketError) as refused:
            work.decide(officer, walk.case_id, item.SK, work.Decision("approve"))
        assert refused.value.status == 409
        assert WorkItem.get(item.PK, item.SK).status == "open"
