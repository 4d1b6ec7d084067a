"""`make capacity`: the job-fair peak against the Jakarta (ap-southeast-3) quotas, and the cost per
1,000 cases of every service, from the counts tests/bench/probe_counts.py measures under moto:
out/bench/aws_calls.json (AWS calls per request and per worker task, one AK-1 case) and
out/bench/transitions.json (state transitions and emails per completed case of every service).
`make bench` writes both; when either is missing, this runs the probes first (about a minute).
There are no built-in figures: every count printed is a measured one.

The design peak (issue 16): 10,000 AK-1 cases in an hour at one office, and 50 submissions a second
for a minute. For each quota: the load at the peak, in the quota's unit (a rate per second; Lambda
concurrency a count of executions at once), its share, and
  - OVER (the load exceeds the quota): what queues the excess (Loket queues and tells the person
    how long; it never drops a request), how much of it a burst bucket absorbs where the quota has
    one, and how long the rest takes to drain after the minute;
  - NEAR (above 50 % of it): the headroom left, and what takes the excess beyond it.
Prices are list prices, printed as assumptions with where each comes from; they are not read from
AWS at run time.

    python -m infra.capacity
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "out" / "bench"

PEAK_PER_HOUR = 10_000  # AK-1 cases at one office
BURST_PER_SECOND = 50  # submissions a second, for a minute
BURST_SECONDS = 60
POLLS_PER_CASE = 5  # status polls an applicant's page makes (assumption)
TRANSITIONS_TO_FIRST_WAIT = 4  # a submission's transitions before its first human step waits (assumption)
API_SECONDS = 0.2  # Lambda duration of an API request (assumption; local figures in docs/performance.md)
WORKER_SECONDS = 0.5  # of a worker task (assumption)
API_MB, WORKER_MB = 512, 1024  # Lambda memory (assumption: the template's sizes may differ)
TARGET_AK1_PER_1000 = 0.40  # USD, issue 16, overdue steps included
OVERDUE_TRANSITIONS_PER_HUMAN_STEP = 2  # issue 16: AK-1 13-15 with overdue steps instead of 11
TRANSACT_WCU = 2  # a transactional write of a small item costs two write units (DynamoDB docs)


@dataclass(frozen=True)
class Price:
    """A list price in USD for `per` units, and where it comes from."""

    usd: float
    per: float
    unit: str
    source: str


PRICES = {
    "stepfunctions": Price(
        0.025,
        1_000,
        "state transitions",
        "AWS Step Functions pricing page, Standard; the Singapore and "
        "most regions' line (Jakarta's line not read: assume at most 15 % more)",
    ),
    "apigateway": Price(
        3.50,
        1_000_000,
        "REST API requests",
        "API Gateway pricing page, first 333 million, "
        "us-east-1 list (Asia Pacific lines are up to 20 % higher)",
    ),
    "lambda_requests": Price(0.20, 1_000_000, "Lambda requests", "AWS Lambda pricing page, x86"),
    "lambda_gb_s": Price(0.0000166667, 1, "Lambda GB-seconds", "AWS Lambda pricing page, x86, first tier"),
    "ses": Price(0.10, 1_000, "emails", "Amazon SES pricing page, outbound email (attachments' data extra)"),
    "dynamodb_write": Price(
        0.625, 1_000_000, "DynamoDB write requests", "DynamoDB on-demand, us-east-1 list since November 2024"
    ),
    "dynamodb_read": Price(
        0.125, 1_000_000, "DynamoDB read requests", "DynamoDB on-demand, us-east-1 list since November 2024"
    ),
    "s3_put": Price(0.005, 1_000, "S3 PUT, COPY, POST, LIST requests", "Amazon S3 pricing page, Standard"),
    "s3_get": Price(0.0004, 1_000, "S3 GET, HEAD and other requests", "Amazon S3 pricing page, Standard"),
    "sqs": Price(0.40, 1_000_000, "SQS requests", "Amazon SQS pricing page, standard queue"),
}


@dataclass(frozen=True)
class Quota:
    """A service quota in Jakarta: `limit` in `unit` ("/s", a rate per second, refilled at that rate;
    "at once", a count of concurrent executions), `burst` the size of its token bucket where AWS
    allows one (None: no bucket, the rate is the ceiling), and where the figure comes from."""

    name: str
    limit: float
    burst: float | None
    note: str
    queued_by: str  # what takes the excess beyond the quota
    unit: str = "/s"


QUOTAS = [
    Quota(
        "API Gateway requests",
        2_500,
        5_000,
        "issue 16's Jakarta figure (account, region)",
        "the static site retries with back-off and shows 'Antrean penuh, coba lagi dalam N detik'",
    ),
    Quota(
        "Step Functions StartExecution",
        150,
        800,
        "issue 16 (refill 150/s, bucket 800)",
        "submit queues the start in SQS and shows the case as 'diterima, sedang diproses'",
    ),
    Quota(
        "Step Functions state transitions",
        500,
        800,
        "issue 16 (refill 500/s, bucket 800)",
        "the engine throttles; waiting tasks wait in SQS, nothing is lost",
    ),
    Quota(
        "Cognito sign-ups",
        50,
        None,
        "issue 16 (per account and region)",
        "sign-up answers 'Terlalu banyak pendaftaran, coba lagi dalam N detik' (pre-registration "
        "before the fair spreads it)",
    ),
    Quota(
        "SES sending rate",
        14,
        None,
        "SES production default sending rate (assumption: raise before the fair)",
        "emails wait in the worker queue (SQS) behind a reserved concurrency; "
        "the card is on the case page at once",
    ),
    Quota(
        "Lambda concurrency",
        1_000,
        None,
        "Lambda default concurrent executions (assumption)",
        "reserved concurrency per function keeps the API's share",
        "at once",
    ),
    Quota(
        "DynamoDB writes to one partition",
        1_000,
        None,
        "DynamoDB per-partition limit (WCU/s)",
        "the office's numbering counter takes one transactional write (2 WCU) per card: see Numbering below",
    ),
]

COUNTS = ("aws_calls.json", "transitions.json")  # what tests/bench/probe_counts.py writes to out/bench/
PROBES = ["-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider", "tests/bench/probe_counts.py"]


def measure_counts() -> None:
    """Run the count probes (tests/bench/probe_counts.py, about a minute), as `make bench` does:
    any count file left from an earlier run goes first, so the two always come from one run."""
    for name in COUNTS:
        (BENCH / name).unlink(missing_ok=True)
    done = subprocess.run([sys.executable, *PROBES], cwd=ROOT, check=False)  # noqa: S603 - fixed arguments
    if done.returncode != 0 or not all((BENCH / name).exists() for name in COUNTS):
        sys.exit(f"make capacity: the count probes failed (exit status {done.returncode}); see above")


def load_counts() -> tuple[dict[str, Any], dict[str, Any], str]:
    """(calls per phase, transitions per service, where they came from), measuring them first when
    out/bench/ lacks either file."""
    source = "out/bench (measured earlier by make bench or make capacity)"
    if not all((BENCH / name).exists() for name in COUNTS):
        print(
            "make capacity: out/bench/ has no measured counts: measuring them first "
            "(python -m pytest -n 0 tests/bench/probe_counts.py, about a minute)",
            flush=True,
        )
        measure_counts()
        source = "out/bench (measured just now by tests/bench/probe_counts.py)"
    return (
        json.loads((BENCH / COUNTS[0]).read_text()),
        json.loads((BENCH / COUNTS[1]).read_text()),
        source,
    )


@dataclass(frozen=True)
class CaseUse:
    """What one case uses of each billed thing (and, of its API requests, how many are the
    applicant's status polls and the officers' pages and decisions)."""

    transitions: float
    api_requests: float
    worker_tasks: float
    emails: float
    dynamodb_reads: float
    dynamodb_writes: float
    s3_puts: float
    s3_gets: float
    sqs: float
    polls: float = 0
    staff_requests: float = 0


READS = ("GetItem", "Query", "BatchGetItem", "Scan", "TransactGetItems")
S3_PUTS = ("PutObject", "CopyObject", "DeleteObject", "ListObjectsV2")


def case_use(
    calls: dict[str, Any], transitions: dict[str, Any], human_steps: int, system_steps: int, overdue: bool
) -> CaseUse:
    """One case's use: the applicant's and the worker's requests as measured for AK-1 (its phases
    counted once per sample), the staff's three requests per human step (inbox, case page,
    decision), and the measured transitions (plus the overdue ones when `overdue`)."""
    api = worker = reads = writes = puts = gets = sqs = polls = staff = 0.0
    staff_phases = ("kotak masuk", "halaman berkas", "keputusan")
    for name, c in calls.items():
        per_case = c["samples"]
        if name.startswith("status"):
            per_case = POLLS_PER_CASE
            polls += per_case
        elif name.startswith(staff_phases):
            per_case = human_steps
            staff += per_case
        elif name.startswith("worker "):
            per_case = c["samples"]
        if name.startswith("worker "):
            worker += per_case
        else:
            api += per_case
        for op, mean in c["operations"].items():
            service, action = op.split(".", 1)
            n = mean * per_case
            if service == "dynamodb":
                if action in READS:
                    reads += n
                else:
                    writes += n * (2 if action.startswith("Transact") else 1)
            elif service == "s3":
                if action in S3_PUTS:
                    puts += n
                else:
                    gets += n
            elif service == "sqs":
                sqs += n
    puts += 3  # the three presigned POSTs the browser sends to S3 (not through Loket's clients)
    moved = transitions["transitions"] + (OVERDUE_TRANSITIONS_PER_HUMAN_STEP * human_steps if overdue else 0)
    return CaseUse(
        moved,
        api,
        worker + (human_steps if overdue else 0),
        transitions["mails"],
        reads,
        writes,
        puts,
        gets,
        sqs + worker,
        polls,
        staff,
    )


def cost_per_1000(use: CaseUse) -> dict[str, float]:
    """USD per 1,000 cases, by service."""

    def price(key: str, units: float) -> float:
        p = PRICES[key]
        return 1000 * units * p.usd / p.per

    gb_s = (
        use.api_requests * API_SECONDS * API_MB / 1024 + use.worker_tasks * WORKER_SECONDS * WORKER_MB / 1024
    )
    return {
        "Step Functions": price("stepfunctions", use.transitions),
        "API Gateway": price("apigateway", use.api_requests),
        "Lambda": price("lambda_requests", use.api_requests + use.worker_tasks) + price("lambda_gb_s", gb_s),
        "SES": price("ses", use.emails),
        "DynamoDB": price("dynamodb_read", use.dynamodb_reads) + price("dynamodb_write", use.dynamodb_writes),
        "S3": price("s3_put", use.s3_puts) + price("s3_get", use.s3_gets),
        "SQS": price("sqs", use.sqs),
    }


def peak_loads(use: CaseUse) -> dict[str, float]:
    """The load on each quota, in its unit (per second; Lambda concurrency: executions at once), at
    the burst (50 submissions/s) or the hourly peak, whichever is higher."""
    hourly = PEAK_PER_HOUR / 3600
    applicant_requests = use.api_requests  # an upper bound: the whole filing in the burst second
    return {
        "API Gateway requests": BURST_PER_SECOND * applicant_requests,
        "Step Functions StartExecution": BURST_PER_SECOND,
        "Step Functions state transitions": max(
            BURST_PER_SECOND * TRANSITIONS_TO_FIRST_WAIT, hourly * use.transitions
        ),
        "Cognito sign-ups": BURST_PER_SECOND,  # every submitter a new account (worst case)
        "SES sending rate": BURST_PER_SECOND * 1,  # the receipt of each submission
        "Lambda concurrency": BURST_PER_SECOND * applicant_requests * API_SECONDS
        + hourly * use.worker_tasks * WORKER_SECONDS,
        "DynamoDB writes to one partition": hourly * TRANSACT_WCU,  # the office's counter, one card each
    }


def quota_lines(use: CaseUse) -> list[str]:
    """The peak's table: each quota's load, limit and share, then OVER (the load exceeds the quota:
    what queues the excess, what a burst bucket absorbs, how long the rest drains) or NEAR (above
    50 % of it: the headroom left)."""
    staff = (
        f" and the officers' {use.staff_requests:.0f} inbox, case-page and decision requests"
        if use.staff_requests
        else ""
    )
    notes = {
        "API Gateway requests": f"an upper bound: assumes each of the {BURST_PER_SECOND} submitters' whole "
        f"filing, {use.api_requests:.0f} requests a case (its {use.polls:.0f} status polls{staff} "
        "included), lands in the burst second",
        "Lambda concurrency": f"the API's part is the same upper bound, at {API_SECONDS:g} s a request, "
        f"plus the hourly peak's worker tasks at {WORKER_SECONDS:g} s each",
    }
    pad = " " * 38
    out = [f"  {'quota':36} {'load':>9} {'limit':>9} {'unit':7} {'share':>6}"]
    for quota, load in zip(QUOTAS, peak_loads(use).values(), strict=True):
        share = load / quota.limit
        out.append(
            f"  {quota.name:36} {load:9.1f} {quota.limit:9,.0f} {quota.unit:7} {share:6.0%}  ({quota.note})"
        )
        if quota.name in notes:
            out.append(f"{pad}{notes[quota.name]}")
        if load > quota.limit:
            out.append(f"{pad}OVER: {over(quota, load)}; {quota.queued_by}")
        elif share > 0.5:
            left = quota.limit - load
            room = (
                f"{left:,.1f}{quota.unit if quota.unit == '/s' else ' ' + quota.unit} left "
                f"({left / quota.limit:.0%} of the quota)"
                if left > 0
                else "no headroom left (the load is the quota)"
            )
            out.append(f"{pad}NEAR: {room}; beyond it, {quota.queued_by}")
    return out


def over(quota: Quota, load: float) -> str:
    """What happens to the load beyond `quota`: for a rate, the burst minute's excess less what its
    bucket (if any) absorbs, and the seconds the rest takes to drain after the minute at the full
    rate (at least 1 s); for concurrency, the executions throttled."""
    if quota.unit != "/s":
        return f"{load - quota.limit:,.0f} executions {quota.unit} beyond it are throttled"
    excess = (load - quota.limit) * BURST_SECONDS
    absorbed = min(excess, quota.burst or 0)
    bucket = f", its bucket of {quota.burst:,.0f} absorbs {absorbed:,.0f}" if quota.burst else ""
    said = (
        f"{load:,.1f}/s for {BURST_SECONDS} s against {quota.limit:,.0f}/s is {excess:,.0f} beyond it{bucket}"
    )
    queued = excess - absorbed
    if queued <= 0:
        return f"{said}: nothing queues"
    drain = math.ceil(queued / quota.limit)
    what = f"the other {queued:,.0f}" if quota.burst else "they"
    return f"{said}: {what} queue and drain in about {drain} s after the minute (if no more arrive)"


def report(calls: dict[str, Any], transitions: dict[str, Any], source: str) -> str:
    """The printed plan."""
    from chalicelib.sop.loader import load_service

    out = [f"Counts from: {source}", "", "Prices (assumptions, USD, list):"]
    for p in PRICES.values():
        out.append(f"  {p.usd:g} per {p.per:,.0f} {p.unit}: {p.source}")
    out += [
        "",
        "Assumptions: "
        + ", ".join(
            f"{k}={v}"
            for k, v in {
                "status polls per case": POLLS_PER_CASE,
                "API Lambda s": API_SECONDS,
                "worker Lambda s": WORKER_SECONDS,
                "API MB": API_MB,
                "worker MB": WORKER_MB,
                "transitions before the first wait": TRANSITIONS_TO_FIRST_WAIT,
                "overdue transitions per human step": OVERDUE_TRANSITIONS_PER_HUMAN_STEP,
            }.items()
        ),
    ]
    ak1 = load_service("kab-pasuruan", "ak1")
    human = sum(1 for s in ak1.process_steps if s.is_human)
    system = len(ak1.process_steps) - human
    use = case_use(calls, transitions["kab-pasuruan/ak1"], human, system, overdue=True)
    out += [
        "",
        f"Design peak: {PEAK_PER_HOUR:,} AK-1 an hour at one office ({PEAK_PER_HOUR / 3600:.1f}/s), "
        f"{BURST_PER_SECOND} submissions/s for {BURST_SECONDS} s",
        "",
    ]
    out += quota_lines(use)
    cards = PEAK_PER_HOUR / 3600
    out += [
        "",
        "  Numbering: one counter item per office and year takes one transactional write per card: "
        f"{cards:.1f} cards/s x {TRANSACT_WCU} WCU = {cards * TRANSACT_WCU:.1f} WCU/s at the peak against "
        "1,000 per partition: no shard needed.",
        "",
    ]
    out.append(
        "Cost per 1,000 cases (USD), by service, with every human step going overdue once (AK-1's "
        "1-minute standard) and on the straight path:"
    )
    for name, t in sorted(transitions.items()):
        office, service = name.split("/")
        sop = load_service(office, service)
        human = sum(1 for s in sop.process_steps if s.is_human)
        system = len(sop.process_steps) - human
        for overdue in (False, True):
            costs = cost_per_1000(case_use(calls, t, human, system, overdue))
            total = sum(costs.values())
            parts = ", ".join(f"{k} {v:.3f}" for k, v in costs.items())
            label = "overdue " if overdue else "straight"
            target = "  (target 0.40)" if service == "ak1" else ""
            out.append(f"  {name:45} {label} {total:6.3f}{target}: {parts}")
            if service == "ak1" and overdue and total > TARGET_AK1_PER_1000:
                biggest = sorted(costs, key=lambda k: -costs[k])[:2]
                out.append(
                    f"  {'':45} GAP: above {TARGET_AK1_PER_1000:.2f}; most of it is {' and '.join(biggest)}: "
                    "fewer transitions per case (sop/compiler.py) and one email per case are the levers"
                )
    return "\n".join(out)


def main() -> None:
    print(report(*load_counts()))


if __name__ == "__main__":
    main()
