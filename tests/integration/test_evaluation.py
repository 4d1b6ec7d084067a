"""The monthly evaluation against a small history counted by hand, and the aggregates' exactly-once
update (services/tallies.py, services/evaluation.py, adapters/tallies.py on moto)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.adapters import tallies as tally_store
from chalicelib.adapters.models import AuditEvent, Case, WorkItem
from chalicelib.domain.clock import iso
from chalicelib.services import evaluation, tallies

OFFICE = "kab-pasuruan"
AK1 = "ak1"
BKK = "tanda-daftar-bkk"
T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


def _case(case_id: str, service: str = AK1, created: datetime = T0) -> Case:
    return Case(
        *Case.key(case_id),
        case_id=case_id,
        office=OFFICE,
        service=service,
        applicant_sub="s",
        status="submitted",
        created_at=iso(created),
        updated_at=iso(created),
    )


def _decide(
    case: Case, step: str, who: str, seconds: float, standard: float, overdue: int, at: datetime
) -> bool:
    item = WorkItem(
        *Case.key(case.case_id),
        case_id=case.case_id,
        office=case.office,
        service=case.service,
        step=step,
        role="petugas",
        task_token="t",
        entered_at=iso(at - timedelta(seconds=seconds)),
        standard_seconds=standard,
        status="answered",
        overdue=overdue,
    )
    event = AuditEvent(
        *AuditEvent.key(case.case_id, iso(at), f"{step}{who}"),
        case_id=case.case_id,
        at=iso(at),
        actor=who,
        role="petugas",
        step=step,
        action="setuju",
        duration_seconds=seconds,
        standard_seconds=standard,
        overdue=overdue,
    )
    return tallies.decided(item, event)


def test_the_report_counts_a_small_history_as_by_hand(aws) -> None:
    # AK-1: three files in, two completed (1 h and 3 h), one returned for its photo then expired.
    a, b, c = _case("a"), _case("b"), _case("c")
    for case in (a, b, c):
        assert tallies.submitted(case, T0)
    _decide(a, "02", "ani", 600, 1800, 0, T0 + timedelta(minutes=10))
    _decide(b, "02", "ani", 1200, 1800, 0, T0 + timedelta(minutes=20))
    _decide(c, "02", "budi", 3600, 1800, 1, T0 + timedelta(hours=1))
    _decide(a, "03", "budi", 300, 600, 0, T0 + timedelta(minutes=30))
    assert tallies.returned("c:02:return:x", c, ["pas_foto"], T0 + timedelta(hours=1))
    assert tallies.closed(a, "completed", T0 + timedelta(hours=1))
    assert tallies.closed(b, "completed", T0 + timedelta(hours=3))
    assert tallies.closed(c, "expired", T0 + timedelta(days=15))
    # BKK: one file in (the next day), rejected; one return without a named document.
    d = _case("d", BKK, T0 + timedelta(days=1))
    assert tallies.submitted(d, T0 + timedelta(days=1))
    assert tallies.returned("d:01:return:x", d, [], T0 + timedelta(days=1))
    assert tallies.closed(d, "rejected", T0 + timedelta(days=2))
    # Outside the period: not counted.
    assert tallies.submitted(_case("e"), datetime(2025, 4, 1, 2, tzinfo=UTC))

    tally_store.READS.calls = 0
    report = evaluation.report(OFFICE, *evaluation.month(2025, 3))
    assert tally_store.READS.calls == 1

    ak1 = report.services[AK1]
    assert (ak1.intake, ak1.completed, ak1.returned, ak1.rejected, ak1.expired) == (3, 2, 1, 0, 1)
    assert ak1.reasons == {"pas_foto": 1}
    step2 = ak1.steps["02"]
    assert step2.n == 3
    assert step2.mean == pytest.approx((600 + 1200 + 3600) / 3)
    assert step2.on_time == pytest.approx(2 / 3)
    assert step2.standard == pytest.approx(1800)
    # The median is the 2nd of 600, 1200, 3600: within 25 % of 1200 s (durations.py).
    assert 1200 / 1.25 <= (step2.median or 0) <= 1200 * 1.25
    assert 3600 / 1.25 <= (step2.p90 or 0) <= 3600 * 1.25
    assert ak1.steps["03"].n == 1 and ak1.steps["03"].on_time == 1
    assert ak1.case.n == 2 and ak1.case.mean == pytest.approx((3600 + 3 * 3600) / 2)
    assert 3600 / 1.25 <= (ak1.case.median or 0) <= 3600 * 1.25

    bkk = report.services[BKK]
    assert (bkk.intake, bkk.completed, bkk.returned, bkk.rejected, bkk.expired) == (1, 0, 1, 1, 0)
    assert bkk.reasons == {"lainnya": 1}

    office = report.office
    assert (office.intake, office.completed, office.returned, office.rejected, office.expired) == (
        4,
        2,
        2,
        1,
        1,
    )
    assert office.reasons == {"lainnya": 1, "pas_foto": 1}
    officers = {o.who: o for o in office.officers}
    assert officers["ani"].decided == 2 and officers["ani"].on_time == 1
    assert officers["ani"].mean == pytest.approx(900)
    assert officers["budi"].decided == 2 and officers["budi"].on_time == pytest.approx(0.5)
    # Every day of the month is on the chart, a quiet one as zeros (March 2025 is long past).
    assert [d[0] for d in report.days] == [f"2025-03-{n:02d}" for n in range(1, 32)]
    days = {d[0]: d[1:] for d in report.days}
    assert days["2025-03-03"] == (3, 2, 1) and days["2025-03-04"] == (1, 0, 1)
    assert days["2025-03-01"] == days["2025-03-05"] == (0, 0, 0)


def test_a_case_is_on_time_when_it_closes_by_its_due_date(aws) -> None:
    """The whole case is held against the published service time as its clock counted it
    (`due_at`: office hours, holidays, moved on by the time it was back with the applicant): one
    closed two hours after submission with a 3-hour due date and one hour with the applicant is on
    time, with a standard of 2 office hours; one closed after its due date is late."""
    on_time, late = _case("a"), _case("b")
    for case in (on_time, late):
        case.submitted_at = iso(T0)
        case.due_at = iso(T0 + timedelta(hours=3))
    on_time.data = {"clock_paused_seconds": 3600}
    assert tallies.closed(on_time, "completed", T0 + timedelta(hours=2))
    assert tallies.closed(late, "completed", T0 + timedelta(hours=4))
    whole = evaluation.report(OFFICE, date(2025, 3, 1), date(2025, 3, 31)).office.case
    assert whole.n == 2 and whole.on_time == pytest.approx(0.5)
    assert whole.mean == pytest.approx((3600 + 4 * 3600) / 2)  # 2 h less the hour away; 4 h
    assert whole.standard == pytest.approx((2 * 3600 + 3 * 3600) / 2)


def test_a_replayed_event_is_counted_once(aws) -> None:
    case = _case("a")
    at = T0 + timedelta(minutes=10)
    assert _decide(case, "02", "ani", 600, 1800, 0, at)
    assert not _decide(case, "02", "ani", 600, 1800, 0, at)  # the same event again
    assert tallies.submitted(case, T0) and not tallies.submitted(case, T0)
    assert tallies.closed(case, "completed", at) and not tallies.closed(case, "completed", at)
    assert tallies.returned("k", case, []) and not tallies.returned("k", case, [])
    figures = evaluation.report(OFFICE, date(2025, 3, 1), date(2025, 3, 31)).office
    assert (figures.intake, figures.completed, figures.steps["02"].n) == (1, 1, 1)
    assert figures.officers[0].decided == 1


def test_a_period_is_checked() -> None:
    with pytest.raises(Exception, match="TTTT-BB-HH"):
        evaluation.period("2025-13-01", "2025-13-31")
    with pytest.raises(Exception, match="sebelum"):
        evaluation.period("2025-03-31", "2025-03-01")
    assert evaluation.month(2024, 12) == (date(2024, 12, 1), date(2024, 12, 31))


def test_the_demo_history_fills_the_report_once(aws) -> None:
    from infra.local import history

    end = datetime(2025, 3, 29, 5, tzinfo=UTC)
    first = history.generate(days=2, end=end, per_day=1.5, offices=[OFFICE])
    assert first.cases > 3 and first.counted > first.cases
    again = history.generate(days=2, end=end, per_day=1.5, offices=[OFFICE])
    assert again.counted == 0  # the same history again: every count already has its marker
    report = evaluation.report(OFFICE, date(2025, 3, 1), date(2025, 3, 31))
    o = report.office
    assert o.intake > 3 and o.completed > 0 and o.steps and o.officers
    assert o.completed + o.rejected + o.expired <= o.intake
    assert all(0 <= (t.on_time or 0) <= 1 for t in o.steps.values())
    # Complaints come too, counted apart from the services.
    complaints = history.generate(days=2, end=end, per_day=0, offices=[OFFICE], complaint_share=1.0)
    assert complaints.cases == 2
    report = evaluation.report(OFFICE, date(2025, 3, 1), date(2025, 3, 31))
    assert report.complaints.intake == 2 and report.complaints.completed + report.complaints.rejected == 2
    assert report.office.intake == sum(f.intake for s, f in report.services.items() if s != "pengaduan")
