"""`make load`'s report (infra/load/summary.py), its request types, settings, and the mail counting
it shares with `make chaos`."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from infra.load.__main__ import LoadError, Options
from infra.load.people import request_type
from infra.load.summary import Row, Summary, render, table
from infra.local import chaos
from tests.stack import free_port


def test_the_table_gives_throughput_errors_and_the_ratio_to_health() -> None:
    rows = [
        Row("GET /health", 100, 0, 2.0, 10.0, 20.0),
        Row("POST /staff/decide", 40, 2, 50.0, 200.0, 400.0),
        Row("GET /api/cases/{id}", 200, 0, 20.0, 60.0, 90.0),
    ]
    lines = table(rows, wall_seconds=100.0)
    assert lines[2] == "| GET /api/cases/{id} | 200 | 2.00 | 20 | 60 | 90 | 0 | 10.0 | 6.0 |"
    assert lines[3] == "| POST /staff/decide | 40 | 0.40 | 50 | 200 | 400 | 2 (5.0 %) | 25.0 | 20.0 |"
    assert lines[4].startswith("| GET /health | 100 | 1.00 |") and lines[4].endswith("| 1.0 | 1.0 |")
    assert lines[5] == "| all | 340 | 3.40 | | | | 2 | | |"


def test_without_health_the_ratio_is_a_dash_and_a_failed_check_is_named() -> None:
    summary = Summary(
        command="make load",
        machine="2 cores",
        settings={"LOAD_CASES": "1"},
        wall_seconds=10.0,
        rows=[Row("POST /api/cases", 1, 0, 80.0, 80.0, 80.0)],
        checks={"every case final": ["abc: submitted"], "exactly one card per completed case": []},
    )
    text = render(summary)
    assert "| POST /api/cases | 1 | 0.10 | 80 | 80 | 80 | 0 | - | - |" in text
    assert "- every case final: FAILED: abc: submitted" in text
    assert "- exactly one card per completed case: ok" in text
    assert "not reached" in text and not summary.passed


@pytest.mark.parametrize(
    ("method", "path", "named"),
    [
        ("GET", "/api/cases/abcdefghijklmnopqrstuvwx", "GET /api/cases/{id}"),
        (
            "PUT",
            "/api/cases/abcdefghijklmnopqrstuvwx/documents/pas_foto",
            "PUT /api/cases/{id}/documents/{document}",
        ),
        ("GET", "/staff/cases/abcdefghijklmnopqrstuvwx?tab=riwayat", "GET /staff/cases/{id}"),
        ("POST", "/api/cases", "POST /api/cases"),
        ("GET", "/staff", "GET /staff"),
    ],
)
def test_requests_are_counted_by_type(method: str, path: str, named: str) -> None:
    assert request_type(method, path) == named


def _mail(subject: str) -> str:
    message = EmailMessage()
    message["Subject"] = subject
    message.set_content("Yth. Pemohon,")
    return message.as_string()


def test_mail_is_counted_by_the_short_code_its_subject_ends_with() -> None:
    """Subjects name the case by its short code since the codes came (templates/email/*.txt);
    the count read the long id and found no email at all."""
    counted, digests = chaos.mail_kinds(
        [
            _mail("Kartu AK/I Anda telah terbit - K7Q-M3X-D2F"),
            _mail("Berkas diterima - K7Q-M3X-D2F"),
            _mail("Berkas Anda selesai - abcdefghijklmnopqrstuvwx"),
            _mail("3 berkas lewat waktu baku: Pengantar Kerja, Kabupaten Pasuruan"),
        ]
    )
    assert counted == {
        ("K7QM3XD2F", "documents_issued"): 1,
        ("K7QM3XD2F", "received"): 1,
        ("abcdefghijklmnopqrstuvwx", "closed_completed"): 1,
    }
    assert digests == 1
    ids = chaos.case_references([{"case_id": "abcdefghijklmnopqrstuvwx", "code": "K7QM3XD2F"}])
    assert ids["K7QM3XD2F"] == ids["abcdefghijklmnopqrstuvwx"] == "abcdefghijklmnopqrstuvwx"


def test_settings_have_defaults_and_bad_ones_are_one_line() -> None:
    options = Options.from_env({})
    assert (options.users, options.cases, options.seconds, options.officers) == (10, 40, 300, 2)
    with pytest.raises(LoadError, match="LOAD_CASES must be a number"):
        Options.from_env({"LOAD_CASES": "banyak"})
    with pytest.raises(LoadError, match="go together"):
        Options.from_env({"LOAD_API_URL": f"http://127.0.0.1:{free_port()}"})


def test_a_ratio_needs_thirty_requests_of_the_type_and_of_health() -> None:
    """With a handful of requests a p95 is one request: no ratio is printed for it."""
    lines = table(
        [Row("GET /health", 100, 0, 2.0, 10.0, 20.0), Row("POST /staff/login", 4, 0, 1.0, 4.0, 4.0)], 10.0
    )
    assert lines[2].endswith("| 0 | - | - |")
    few_health = table([Row("GET /health", 10, 0, 2.0, 90.0, 90.0), Row("GET /staff", 100, 0, 9, 9, 9)], 10.0)
    assert few_health[2].endswith("| 0 | - | - |")


def test_the_soak_report_names_itself_and_its_command() -> None:
    summary = Summary(
        command="make soak SOAK_CASES=6",
        machine="2 cores",
        settings={"LOAD_CASES": "6"},
        wall_seconds=10.0,
        rows=[],
        title="Loket over an hour at a steady rate (`make soak`)",
    )
    text = render(summary)
    assert text.startswith("# Loket over an hour at a steady rate (`make soak`)")
    assert "Written by `make soak`" in text and "Command: `make soak SOAK_CASES=6`" in text


def test_a_lost_connection_is_an_answer_without_a_body() -> None:
    """locust answers a request that found no server with status 0 and no content: the people
    read it as no answer (chaos.py slices the body), never a TypeError."""
    from infra.load.people import HttpGateway

    class Lost:
        status_code, headers, content = 0, {}, None

    class Session:
        cookies = __import__("requests").Session().cookies

        def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return Lost()

    answer = HttpGateway(Session(), "http://127.0.0.1:1", named=False).request("GET", "/health", {}, b"")
    assert answer.status_code == 0 and answer.body == b""


def test_the_burst_is_a_run_of_its_own_with_its_report_and_title() -> None:
    from infra.load.__main__ import REPORTS, TITLES

    options = Options.from_env({"LOAD_RUN": "burst", "LOAD_REPORT": "docs/burst.md", "LOAD_SECONDS": "14400"})
    assert options.run == "burst" and options.report in REPORTS and options.seconds == 14400
    assert "burst" in TITLES["burst"]
    with pytest.raises(LoadError, match="LOAD_RUN must be one of load, soak, burst"):
        Options.from_env({"LOAD_RUN": "ledakan"})
    with pytest.raises(LoadError, match="LOAD_REPORT must be"):
        Options.from_env({"LOAD_REPORT": "docs/performance.md"})


def test_the_bench_states_the_burst_from_the_largest_run_recorded(tmp_path: Path) -> None:
    from infra.bench.report import burst_line

    assert "no run is recorded" in burst_line(tmp_path / "none.md")
    report = tmp_path / "burst.md"
    checks = "- exactly one card per completed case: ok\n- exactly one card email per completed case: ok\n"
    report.write_text(
        "Wall time: 1000 s. Drain: 5 s.\n\nCases: planned 1000, submission accepted 1000, given up before "
        f"submitting 0, now completed 1000.\n\n{checks}",
        encoding="utf-8",
    )
    line = burst_line(report)
    assert "filed 1,000 cases in 1,000 s, 1,000 completed with one card and one card email each" in line
    assert "would take 1.4 hours" in line  # 5,000 at one a second
    good = report.read_text(encoding="utf-8")
    report.write_text(good.replace("per completed case: ok", "per completed case: FAILED"), encoding="utf-8")
    assert "its checks failed" in burst_line(report)
    assert not burst_line(report, planned=1000).startswith("- nothing")  # a failed check is not done
    report.write_text(good.replace("now completed 1000", "now completed 999"), encoding="utf-8")
    assert not burst_line(report, planned=1000).startswith("- nothing")  # nor is a case left open
    report.write_text(good, encoding="utf-8")
    assert burst_line(report, planned=1000).startswith("- nothing")


def test_the_command_line_shows_what_the_person_set_not_what_the_target_did() -> None:
    from infra.load.__main__ import command_line

    env = {
        "LOAD_RUN": "burst",
        "LOAD_CASES": "5000",
        "BURST_CASES": "1000",
        "LOAD_PACE_SECONDS": "3",
        "HOME": "/x",
    }
    assert command_line("burst", env) == "make burst BURST_CASES=1000 LOAD_PACE_SECONDS=3"
    assert command_line("load", {"LOAD_CASES": "8", "LOAD_RUN": "load"}) == "make load LOAD_CASES=8"
    assert command_line("soak", {"SOAK_CASES": "6", "LOAD_USERS": "2"}) == "make soak SOAK_CASES=6"


def test_an_unreadable_mail_dashboard_fails_the_email_check_and_keeps_the_rest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """moto's dashboard not answering in time fails the card-email check in words; the statuses
    and cards read before it are kept, so the run is still reported."""
    import requests

    from infra.load import outcome
    from infra.local import chaos

    monkeypatch.setattr(outcome, "aws", lambda url, service: None)
    monkeypatch.setattr(chaos, "case_fields", lambda *a: {"c1": {"status": "completed", "code": "X"}})
    monkeypatch.setattr(chaos, "card_versions", lambda *a: {"c1": {"v1"}})

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise requests.exceptions.ReadTimeout("read timed out")

    monkeypatch.setattr(outcome.requests, "get", slow)
    # Every reader is replaced above: the address is never dialled.
    got = outcome.read("http://moto.invalid", outcome.Resources("t", "d"), ["c1"])
    assert got.statuses == {"c1": "completed"} and got.cards == {"c1": 1} and got.not_one_card() == []
    assert got.not_one_card_email() == ["sent mail not read from moto's dashboard: ReadTimeout"]
