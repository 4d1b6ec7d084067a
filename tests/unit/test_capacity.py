"""`make capacity`'s arithmetic: the cost per 1,000 cases from the counts and the list prices, and
a quota's share at the design peak, the report's wording, and the counts measured first when
out/bench/ lacks them (infra/capacity.py)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infra import capacity

CALLS = {
    "buka berkas (POST /api/cases)": {"samples": 1, "operations": {"dynamodb.PutItem": 2.0}},
    "status (GET /api/cases/{id})": {"samples": 3, "operations": {"dynamodb.GetItem": 1.0}},
    "keputusan petugas (POST /staff/decide)": {
        "samples": 2,
        "operations": {"dynamodb.TransactWriteItems": 1.0, "s3.GetObject": 1.0},
    },
    "worker send_email": {"samples": 1, "operations": {"sqs.SendMessage": 1.0}},
}


def test_one_case_counts_each_phase_as_often_as_a_case_makes_it() -> None:
    use = capacity.case_use(
        CALLS, {"transitions": 10, "mails": 2}, human_steps=2, system_steps=1, overdue=False
    )
    # open 1 + polls 5 + decisions 2 (one per human step); the worker task is no API request
    assert use.api_requests == 1 + capacity.POLLS_PER_CASE + 2
    assert use.worker_tasks == 1
    assert use.dynamodb_writes == 2 + 2 * 2  # a transactional write costs two
    assert use.dynamodb_reads == capacity.POLLS_PER_CASE
    assert use.s3_gets == 2 and use.s3_puts == 3  # the browser's three presigned POSTs
    assert use.transitions == 10 and use.emails == 2
    overdue = capacity.case_use(CALLS, {"transitions": 10, "mails": 2}, 2, 1, overdue=True)
    assert overdue.transitions == 10 + 2 * capacity.OVERDUE_TRANSITIONS_PER_HUMAN_STEP


def test_cost_per_1000_cases_is_units_times_list_price() -> None:
    use = capacity.CaseUse(12, 20, 4, 2, 30, 10, 15, 5, 6)
    cost = capacity.cost_per_1000(use)
    assert cost["Step Functions"] == pytest.approx(1000 * 12 * 0.025 / 1000)  # 0.30 USD
    assert cost["SES"] == pytest.approx(1000 * 2 * 0.10 / 1000)  # 0.20 USD
    assert cost["API Gateway"] == pytest.approx(1000 * 20 * 3.50 / 1e6)
    assert cost["DynamoDB"] == pytest.approx(1000 * (30 * 0.125 + 10 * 0.625) / 1e6)


def test_the_burst_loads_start_execution_at_its_submission_rate() -> None:
    use = capacity.CaseUse(12, 20, 4, 2, 30, 10, 15, 5, 6)
    loads = capacity.peak_loads(use)
    assert set(loads) == {q.name for q in capacity.QUOTAS}
    assert loads["Step Functions StartExecution"] == capacity.BURST_PER_SECOND
    assert loads["API Gateway requests"] == capacity.BURST_PER_SECOND * 20


AK1 = {"kab-pasuruan/ak1": {"steps": 6, "transitions": 11, "mails": 2}}


def _fake_probes(calls: dict[str, Any], transitions: dict[str, Any], ran: list[list[str]]) -> Any:
    """A stand-in for the count probes: records the command and writes the two files they write."""

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        ran.append(command)
        (capacity.BENCH / "aws_calls.json").write_text(json.dumps(calls))
        (capacity.BENCH / "transitions.json").write_text(json.dumps(transitions))
        return subprocess.CompletedProcess(command, 0)

    return run


def test_without_counts_it_runs_the_probes_first_and_reports_their_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(capacity, "BENCH", tmp_path)
    (tmp_path / "transitions.json").write_text(json.dumps({"stale/left": {}}))  # from a broken run
    ran: list[list[str]] = []
    monkeypatch.setattr(capacity.subprocess, "run", _fake_probes(CALLS, AK1, ran))
    capacity.main()
    out = capsys.readouterr().out
    assert len(ran) == 1 and ran[0][1:] == [*capacity.PROBES]
    assert "tests/bench/probe_counts.py" in ran[0]
    assert out.splitlines()[0].startswith("make capacity: out/bench/ has no measured counts: measuring them")
    assert "stale/left" not in out
    # AK-1's measured 11 transitions (no Succeed state), not a built-in 12: 11 x 0.025 USD
    assert "Step Functions 0.275" in out
    assert not hasattr(capacity, "FALLBACK_CALLS") and not hasattr(capacity, "FALLBACK_TRANSITIONS")


def test_with_counts_it_measures_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capacity, "BENCH", tmp_path)
    (tmp_path / "aws_calls.json").write_text(json.dumps(CALLS))
    (tmp_path / "transitions.json").write_text(json.dumps(AK1))
    monkeypatch.setattr(capacity.subprocess, "run", lambda *a, **k: pytest.fail("measured again"))
    calls, transitions, source = capacity.load_counts()
    assert calls == CALLS and transitions == AK1 and source.startswith("out/bench (measured earlier")


def test_a_failed_probe_run_stops_with_its_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capacity, "BENCH", tmp_path)
    monkeypatch.setattr(capacity.subprocess, "run", lambda c, **k: subprocess.CompletedProcess(c, 1))
    with pytest.raises(SystemExit, match="count probes failed \\(exit status 1\\)"):
        capacity.load_counts()


def _lines(use: capacity.CaseUse) -> dict[str, list[str]]:
    """quota_lines by quota: its row and the lines under it."""
    by: dict[str, list[str]] = {}
    for line in capacity.quota_lines(use)[1:]:
        name = next((q.name for q in capacity.QUOTAS if line.strip().startswith(q.name)), None)
        if name:
            by[name] = [line]
            last = name
        else:
            by[last].append(line)
    return by


USE = capacity.CaseUse(11, 20, 7, 2, 30, 10, 6, 5, 8)


def test_over_is_a_load_above_the_quota_and_near_is_above_half_of_it() -> None:
    text = "\n".join(capacity.quota_lines(USE))
    assert "BINDS" not in text and not re.search(r"\b0 s\b", text)
    by = _lines(USE)
    # Cognito: 50 sign-ups/s against 50/s is at the quota, not over it
    cognito = "\n".join(by["Cognito sign-ups"])
    assert "NEAR: no headroom left" in cognito and "OVER" not in cognito
    # SES: 50 receipts/s against 14/s for a minute: 2,160 queue, 155 s at 14/s; SES has no bucket
    ses = "\n".join(by["SES sending rate"])
    assert "OVER: " in ses and "2,160 beyond it" in ses and "about 155 s after the minute" in ses
    assert "bucket" not in ses
    assert not any("OVER" in line or "NEAR" in line for line in by["API Gateway requests"])


def test_over_subtracts_a_burst_bucket_and_never_drains_in_0_s() -> None:
    start = next(q for q in capacity.QUOTAS if q.name == "Step Functions StartExecution")  # 150/s, bucket 800
    # 200/s for 60 s is 3,000 beyond 150/s; the bucket takes 800; 2,200 drain at 150/s: 15 s
    assert "bucket of 800 absorbs 800: the other 2,200 queue and drain in about 15 s" in capacity.over(
        start, 200
    )
    assert capacity.over(start, 160).endswith("absorbs 600: nothing queues")
    ses = next(q for q in capacity.QUOTAS if q.name == "SES sending rate")
    assert "about 1 s after" in capacity.over(ses, 14.01)  # 0.6 emails over: still 1 s, never 0 s


def test_near_gives_the_headroom_left(monkeypatch: pytest.MonkeyPatch) -> None:
    raised = capacity.Quota("SES sending rate", 80, None, "raised", "emails wait in SQS")  # 50/s on 80/s
    monkeypatch.setattr(capacity, "QUOTAS", [raised if q.name == raised.name else q for q in capacity.QUOTAS])
    ses = "\n".join(_lines(USE)["SES sending rate"])
    assert "NEAR: 30.0/s left (38% of the quota); beyond it, emails wait in SQS" in ses
    assert "OVER" not in ses


def test_lambda_concurrency_is_a_count_at_once_and_the_api_load_an_upper_bound() -> None:
    use = dataclasses.replace(USE, polls=5, staff_requests=6)
    by = _lines(use)
    header = capacity.quota_lines(use)[0]
    assert "load/s" not in header and "quota/s" not in header
    assert " at once " in by["Lambda concurrency"][0]
    assert " /s " in by["SES sending rate"][0]
    api = " ".join(by["API Gateway requests"][1:])
    assert "an upper bound" in api and "20 requests a case" in api and "5 status polls" in api
    assert "lands in the burst second" in api


def test_numbering_says_its_factor() -> None:
    text = capacity.report(CALLS, AK1, "test")
    assert "2.8 cards/s x 2 WCU = 5.6 WCU/s" in text
    assert "(bucket" not in text
