"""The service clock on the pages (issue 14): a submitted case carries its published service time
as a due date, which the applicant's status, the inbox row and the case page show; a case past
it is flagged as a case (a count and a filter in the inbox, a badge on its page); the office
administrator records the year's SKB cuti bersama, which the clock then skips."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.adapters.case_store import change_case
from chalicelib.adapters.models import Case, JointLeave, OfficeEvent
from chalicelib.domain.clock import WIB, iso, now, parse
from chalicelib.domain.tanggal import waktu
from chalicelib.services import service_clock
from chalicelib.settings import get_settings
from chalicelib.sop.loader import load_office, load_service
from chalicelib.sop.schema import WorkingHours
from tests.conftest import wait_for
from tests.deadlines import SLACK_SECONDS
from tests.helpers import OFFICE, SLICE, Applicant, Officer, body
from tests.walker import Walk

ROLE = "petugas_antar_kerja"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _submitted(client: Client, applicant) -> tuple[Applicant, str]:
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open(key="jam-0001"))["case_id"]
    budi.confirm(case_id, budi.upload(case_id))
    assert budi.submit(case_id).status_code == 200
    return budi, case_id


def test_a_submitted_case_carries_its_due_date_and_is_flagged_when_past_it(client, applicant, staff) -> None:
    started = now()
    budi, case_id = _submitted(client, applicant)
    case = Case.get(*Case.key(case_id))
    assert case.submitted_at and abs((parse(case.submitted_at) - started).total_seconds()) < 30
    # Kabupaten Pasuruan sets no office hours: the wiring check's published time runs around the
    # clock, scaled like every timer in tests.
    minutes = load_service(OFFICE, SLICE).duration.max_minutes
    expected = started + timedelta(seconds=minutes * get_settings().time_scale)
    assert case.due_at and abs((parse(case.due_at) - expected).total_seconds()) < 30
    # A second press keeps the first due date.
    assert budi.submit(case_id).status_code == 200
    again = Case.get(*Case.key(case_id))
    assert (again.due_at, again.submitted_at) == (case.due_at, case.submitted_at)
    status = body(budi.get(case_id))
    assert status["due_at"] == case.due_at and status["overdue"] is False

    officer = Officer(client, *staff("petugas1", f"{OFFICE}.{ROLE}"))
    wait_for(lambda: case_id in officer.inbox())
    page = officer.inbox()
    assert "Selesai paling lambat" in page and waktu(case.due_at) in page
    assert "data-late-cases" not in page and "data-case-overdue" not in page

    # Past its due date while the office still holds it: flagged as a case.
    past = iso(now() - timedelta(minutes=5))
    change_case(case_id, lambda current: [Case.due_at.set(past)])
    page = officer.inbox()
    assert re.search(
        r'data-late-cases href="[^"]*keadaan=terlambat">1 berkas lewat jangka waktu layanan', page
    )
    row = re.search(rf'<tr class="file[^"]*" data-case="{case_id}".*?</tr>', page, re.S)
    assert row and "data-case-overdue" in row.group(0) and waktu(past) in row.group(0)
    only_late = client.http.get("/staff?keadaan=terlambat", headers={"Cookie": officer.cookie}).body.decode()
    assert f'data-case="{case_id}"' in only_late
    case_page = officer.case_page(case_id).body.decode()
    assert "Selesai paling lambat" in case_page and "lewat jangka waktu pelayanan" in case_page
    assert body(budi.get(case_id))["overdue"] is True


@pytest.fixture
def admin(client, staff) -> Officer:
    return Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))


def _post(officer: Officer, form: dict[str, str]) -> object:
    payload = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in {"csrf": officer.csrf(), **form}.items())
    return officer.client.http.post(
        "/staff/admin/joint-leave",
        headers={"Content-Type": Officer.FORM, "Cookie": officer.cookie},
        body=payload,
    )


def test_the_admin_records_the_years_joint_leave_and_the_clock_skips_it(admin) -> None:
    page = admin.client.http.get("/staff/admin", headers={"Cookie": admin.cookie}).body.decode()
    assert 'id="libur"' in page and "Hari kerja dan hari libur" in page
    assert "Cuti Bersama Hari Raya Natal" in page  # this year's joint leave, from the library
    decree = "SKB Nomor 9 Tahun 2026 (contoh)"
    refused = _post(admin, {"kantor": OFFICE, "year": "2027", "decree": decree, "days": "2027-02-06 Sabtu"})
    assert refused.status_code == 400
    text = refused.body.decode()
    assert "Sabtu/Minggu" in text and "2027-02-06 Sabtu" in text  # the error, and the form kept
    assert JointLeave.count(JointLeave.partition(OFFICE), JointLeave.SK.startswith(JointLeave.PREFIX)) == 0

    days = "2027-02-05 Cuti bersama Tahun Baru Imlek\n2027-04-05 Cuti bersama (contoh)"
    response = _post(admin, {"kantor": OFFICE, "year": "2027", "decree": decree, "days": days})
    assert response.status_code == 303, response.body
    assert "Cuti bersama 2027 dicatat: 2 hari" in unquote(response.headers["Location"])
    item = JointLeave.get(*JointLeave.key(OFFICE, 2027))
    assert item.decree == decree and [d["date"] for d in item.days] == ["2027-02-05", "2027-04-05"]
    logged = [
        e
        for e in OfficeEvent.query(
            OfficeEvent.partition(OFFICE), OfficeEvent.SK.startswith(OfficeEvent.PREFIX)
        )
        if isinstance(e, OfficeEvent) and e.action == "joint_leave"
    ]
    assert len(logged) == 1 and logged[0].subject == decree and logged[0].actor == "kab-pasuruan.admin"
    page = admin.client.http.get("/staff/admin", headers={"Cookie": admin.cookie}).body.decode()
    assert "SKB cuti bersama dicatat" in page

    # The clock reads the recorded decree: Monday 5 Apr 2027 is now joint leave (the library has
    # none then), so "1 Hari" filed on Friday 2 Apr 2027 at 14.00 is due on Tuesday 6 Apr.
    office = load_office(OFFICE).model_copy(
        update={"working_hours": WorkingHours(days=[1, 2, 3, 4, 5], start="08:00", end="16:00")}
    )
    sop = load_service(OFFICE, "lapor-keberadaan-tka")
    received = datetime(2027, 4, 2, 14, 0, tzinfo=WIB)
    due = service_clock.due_at(sop, office, received, time_scale=60).astimezone(WIB)
    assert due == datetime(2027, 4, 6, 14, 0, tzinfo=WIB)


def test_the_clock_stops_while_a_returned_file_is_with_the_applicant(
    aws, applicant, staff, monkeypatch
) -> None:
    """AK-1 step 5 returns the file: while it is with the applicant the status page and the staff
    case page say the clock has stopped, and at resubmission the due date moves on by the time
    it was away (Kabupaten Pasuruan sets no hours: wall-clock time), which the case keeps."""
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")  # full-length timers: nothing times out meanwhile
    reset_settings()
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, OFFICE, "ak1")
        case_id = walk.file()
        walk.act(walk.next_item(), "return", "Foto kartu keluarga buram, mohon unggah ulang.")
        wait_for(lambda: walk.pump() >= 0 and Case.get(*Case.key(case_id)).status == "returned")
        returned = Case.get(*Case.key(case_id))
        due = parse(str(returned.due_at))
        assert body(walk.applicant.get(case_id))["clock_paused"] is True
        assert (
            "data-case-clock-paused" in walk.officer("petugas_antar_kerja").case_page(case_id).body.decode()
        )

        away = timedelta(hours=2)  # as if the applicant took two hours to fix it
        earlier = iso(parse(str((returned.data or {})["returned_at"])) - away)
        change_case(case_id, lambda c: [Case.data.set({**(c.data or {}), "returned_at": earlier})])
        walk.act(walk.next_item(), "resubmit")
        back = Case.get(*Case.key(case_id))
        moved = parse(str(back.due_at)) - due
        assert back.status == "submitted"
        assert away <= moved <= away + timedelta(seconds=SLACK_SECONDS)
        assert (
            away.total_seconds()
            <= int((back.data or {})["clock_paused_seconds"])
            <= moved.total_seconds() + 1
        )
        view = body(walk.applicant.get(case_id))
        assert view["clock_paused"] is False and view["due_at"] == back.due_at
