"""The officer's workbench (issue 13): the compact inbox with its queue counts and filter links,
decisions only from the case page's form, and "Simpan & berikutnya" opening the next file of
the same queue (never the decided one)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.domain.clock import iso, now
from chalicelib.services import queues
from infra.local import chaos
from infra.local.demo import DecideForm
from tests.conftest import wait_for
from tests.helpers import OFFICE, SLICE, Applicant, Officer, body

ROLE = "petugas_antar_kerja"
ROLE_LABEL = "Petugas Antar Kerja / Staf Pelayanan"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _open_items(client: Client, applicant: Any, count: int) -> list[WorkItem]:
    """`count` submitted wiring-check cases of one applicant, each waiting at its first staff
    step; their work items, oldest first."""
    budi = Applicant(client, applicant("budi"))
    case_ids = []
    for n in range(count):
        case_id = body(budi.open(key=f"meja-{n:04d}"))["case_id"]
        budi.confirm(case_id, budi.upload(case_id))
        assert budi.submit(case_id).status_code == 200
        case_ids.append(case_id)

    def waiting() -> list[WorkItem] | None:
        items = [
            i
            for case_id in case_ids
            for i in WorkItem.query(Case.partition(case_id))
            if isinstance(i, WorkItem) and i.status == "open"
        ]
        return sorted(items, key=lambda i: i.entered_at) if len(items) == count else None

    return wait_for(waiting)


def _said(response: Any) -> tuple[str, str]:
    """(path, message) of a staff redirect: where it goes and its pesan/galat, unquoted."""
    location = unquote(response.headers["Location"])
    path, _, query = location.partition("?")
    return path, query.split("=", 1)[1] if "=" in query else ""


def test_the_inbox_is_one_line_per_file_with_counts_and_filter_links(client, applicant, staff) -> None:
    items = _open_items(client, applicant, 2)
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))
    page = officer.inbox()
    # Decisions are not taken here: no decision form, note box or button per row.
    assert "/staff/decide" not in page and "<textarea" not in page and "Ambil tugas" not in page
    rows = re.findall(r'<tr class="file[^"]*" data-case="([^"]+)"', page)
    assert rows == [i.case_id for i in items]  # one line each, the longest waiting first
    # The count of the queue (role and service), as a link that filters to it.
    assert re.search(rf"{re.escape(ROLE_LABEL)} · [^<]+</a></td>\s*<td class=\"num\">2</td>", page)
    assert f"peran={ROLE}&amp;layanan={SLICE}" in page
    assert "Kotak tugas · Kabupaten Pasuruan" in page and f">{ROLE_LABEL}</span>" in page
    assert "<kbd>j</kbd>" in page  # the keyboard hints are shown
    # Filters are links that apply at once, without a form to send.
    other = client.http.get("/staff?layanan=ak1", headers={"Cookie": officer.cookie}).body.decode()
    assert 'data-case="' not in other and "Tidak ada tugas yang menunggu dengan saringan ini" in other
    mine = client.http.get(f"/staff?peran={ROLE}&layanan={SLICE}", headers={"Cookie": officer.cookie})
    assert len(re.findall(r'<tr class="file', mine.body.decode())) == 2


def test_a_decision_comes_from_the_case_page_and_leads_to_the_next_file(client, applicant, staff) -> None:
    first, second = _open_items(client, applicant, 2)
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))

    # The case page's form carries what the server asks for, and the two ways to save.
    case_page = officer.case_page(first.case_id).body.decode()
    form = re.search(r'<form method="post" action="[^"]*/staff/decide".*?</form>', case_page, re.S)
    assert form is not None
    assert 'name="dari" value="berkas"' in form.group(0) and 'type="radio" name="decision"' in form.group(0)
    assert "Simpan &amp; berikutnya" in form.group(0) and 'data-key="a"' in form.group(0)
    # `make demo` reads the same form (its choices, hidden fields and the step's records) ...
    read = DecideForm()
    read.feed(case_page)
    assert read.fields["dari"] == "berkas" and read.fields["item"] == first.SK
    assert [d for d, _ in read.buttons] == ["approve", "return"]
    # ... and `make chaos` the inbox's lines (case, item) and its CSRF token.
    inbox = officer.inbox()
    assert chaos._INBOX_ROW.findall(inbox)[0] == (first.case_id, first.SK)
    assert chaos._CSRF.search(inbox) is not None

    # A decision posted without the case page's form (an old inbox form, a script) is refused.
    path, said = _said(officer.decide(first.case_id, first.SK, "approve", source=""))
    assert path == "/staff" and "halaman berkas" in said
    assert WorkItem.get(first.PK, first.SK, consistent_read=True).status == "open"

    # "Simpan & berikutnya": saved, and the next file of the same queue opens.
    path, said = _said(officer.decide(first.case_id, first.SK, "approve", go_on=True))
    assert path == f"/staff/cases/{second.case_id}", (path, said)
    assert said.startswith("Keputusan tersimpan.") and ROLE_LABEL in said
    assert WorkItem.get(first.PK, first.SK, consistent_read=True).status == "answered"
    shown = client.http.get(f"{path}?pesan=x", headers={"Cookie": officer.cookie}).body.decode()
    assert f'name="case_id" value="{second.case_id}"' in shown

    # The last one: the queue is empty, said on the inbox.
    path, said = _said(officer.decide(second.case_id, second.SK, "approve", go_on=True))
    assert path == "/staff" and "sudah kosong" in said


def test_plain_save_goes_back_to_the_inbox_and_a_refusal_back_to_the_case(client, applicant, staff) -> None:
    (item,) = _open_items(client, applicant, 1)
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))
    path, said = _said(officer.decide(item.case_id, item.SK, "return", "", back="case"))
    assert path == f"/staff/cases/{item.case_id}" and "alasannya" in said  # a return needs its reason
    path, said = _said(officer.decide(item.case_id, item.SK, "approve", back="case"))
    assert (path, said) == ("/staff", "Keputusan tersimpan.")


# --- the queues read on their own (items written as Step Functions writes them) -------------


def _waiting(
    case_id: str,
    minutes_ago: int,
    service: str = SLICE,
    overdue: int = 0,
    claimed_by: str | None = None,
) -> WorkItem:
    entered = iso(now() - timedelta(minutes=minutes_ago))
    item = WorkItem(
        Case.partition(case_id),
        f"WORK#05#{entered}",
        case_id=case_id,
        office=OFFICE,
        service=service,
        step="05",
        role=ROLE,
        task_token="t-" + case_id,
        entered_at=entered,
        standard_seconds=60,
        status="open",
        overdue=overdue,
        claimed_by=claimed_by,
        claimed_at=iso() if claimed_by else None,
    )
    item.GSI1PK, item.GSI1SK = item.queue_key()
    item.save()
    return item


def test_queue_counts_and_the_next_file_follow_the_inbox_order(aws) -> None:
    me = Principal("sub-1", "petugas1", (f"{OFFICE}.{ROLE}",))
    decided = _waiting("kasus-a", 50)
    _waiting("kasus-b", 40)
    late = _waiting("kasus-c", 10, overdue=1)  # overdue: first, though it came in last
    _waiting("kasus-d", 60, claimed_by="petugas2")  # a colleague works on it
    _waiting("kasus-e", 70, service="ak1", overdue=1)  # another queue (service)

    counted = {(c.role, c.service): (c.total, c.overdue) for c in queues.counts(me, OFFICE)}
    assert counted == {(ROLE, SLICE): (4, 1), (ROLE, "ak1"): (1, 1)}
    following = queues.next_item(me, decided)
    assert following is not None and following.case_id == late.case_id
    late.delete()
    following = queues.next_item(me, decided)
    assert following is not None and following.case_id == "kasus-b"
    # The colleague's file (the longest waiting) is next for the colleague, never for me.
    colleague = Principal("sub-2", "petugas2", (f"{OFFICE}.{ROLE}",))
    theirs = queues.next_item(colleague, decided)
    assert theirs is not None and theirs.case_id == "kasus-d"


def test_a_saved_decision_is_said_saved_when_the_next_file_cannot_be_read(
    client, applicant, staff, monkeypatch
) -> None:
    (item,) = _open_items(client, applicant, 1)
    officer = Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))

    def unreadable(*args: Any) -> None:
        raise RuntimeError("queue read failed")

    monkeypatch.setattr(queues, "next_item", unreadable)
    path, said = _said(officer.decide(item.case_id, item.SK, "approve", go_on=True))
    assert (path, said) == ("/staff", "Keputusan tersimpan.")
    assert WorkItem.get(item.PK, item.SK, consistent_read=True).status == "answered"


def test_coactor_sees_the_step_in_its_own_section_and_decides_it(aws, applicant, staff, monkeypatch) -> None:
    """Lapor Keberadaan TKA step 2 ("Kasi/Staf", ADR 0021): queued for the staf, the Kasi finds it
    under "Bisa dikerjakan juga" and decides it; another office's Kasi never sees it."""
    from chalicelib.settings import reset_settings
    from tests.walker import Walk

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, "kab-pasuruan", "lapor-keberadaan-tka")
        walk.file()
        item = walk.next_item()
        assert item is not None and (item.step, item.role) == ("02", "staf")
        page = walk.officer("kasi_penempatan").inbox()
        assert "Bisa dikerjakan juga" in page
        assert walk.case_id in page.split("Bisa dikerjakan juga")[1]
        elsewhere = Officer(client, *staff("kota-tangerang.kasi.x", "kota-tangerang.kasi")).inbox()
        assert walk.case_id not in elsewhere
        decided = walk.officer("kasi_penempatan").decide(walk.case_id, item.SK, "approve")
        assert "pesan=" in decided.headers["Location"]
        nxt = walk.next_item()
        assert nxt is not None and nxt.step == "03"
