"""`make capacity`'s arithmetic: the cost per 1,000 cases from the counts and the list prices, and
a quota's share at the design peak (infra/capacity.py)."""

from __future__ import annotations

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
