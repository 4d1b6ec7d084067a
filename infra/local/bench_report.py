"""`make bench-report`: the office's monthly evaluation for BENCH_CASES (10,000) cases, timed, with
every DynamoDB call it makes counted (the figures must come from the aggregates alone).

In one process, moto in-process holds the template's table (nothing else). The month's history
is counted by the app's own code (infra/local/history.py walking each case, services/tallies.py
naming its counters), summed in memory instead of one transaction per event (60,000 of them
would only time moto), and the sums written as the DayTally items the app would have left. Then
`services/evaluation.report` runs BENCH_RUNS (5) times; printed: the cases counted, the items
read, the DynamoDB calls by operation, and the slowest and median time. Exit status 1 when the
slowest run takes BENCH_LIMIT_SECONDS (2) or more, or any call is not a Query of the aggregates.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

REGION = "ap-southeast-3"
OFFICE = "kab-pasuruan"


def _environment() -> None:
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        LOKET_TABLE="bench-table",
    )
    for name in (
        "LOKET_UPLOADS_BUCKET",
        "LOKET_DOCUMENTS_BUCKET",
        "LOKET_WORKER_QUEUE_URL",
        "LOKET_NOTICE_QUEUE_URL",
        "LOKET_STATE_MACHINE_PREFIX",
        "LOKET_STAFF_POOL_ID",
        "LOKET_STAFF_CLIENT_ID",
        "LOKET_APPLICANT_POOL_ID",
        "LOKET_APPLICANT_CLIENT_ID",
        "LOKET_MAIL_SENDER",
        "LOKET_PUBLIC_SITE_URL",
    ):
        os.environ.setdefault(name, "bench")


def _table() -> None:
    import boto3

    from infra.build import build_template

    props = build_template()["Resources"]["Table"]["Properties"]
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName=os.environ["LOKET_TABLE"],
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props.get("GlobalSecondaryIndexes", []),
        BillingMode="PAY_PER_REQUEST",
    )


def history(cases: int, month: date) -> int:
    """Count about `cases` cases of `month` with the app's counting code; write the sums as
    DayTally items. Returns the cases counted."""
    from chalicelib.adapters import tallies as store
    from chalicelib.adapters.models import DayTally
    from chalicelib.services.catalog import find_service
    from chalicelib.sop.loader import list_services
    from infra.local import history as demo

    sums: dict[tuple[str, str, str], dict[str, float]] = {}
    seen: set[str] = set()

    def add_in_memory(
        marker: str, office: str, service: str, day: str, counters: Mapping[str, float]
    ) -> bool:
        if marker in seen:
            return False
        seen.add(marker)
        into = sums.setdefault((office, service, day), {})
        for name, amount in counters.items():
            into[name] = into.get(name, 0.0) + amount
        return True

    services = [s for s in list_services(OFFICE) if (e := find_service(OFFICE, s)) and e.sop.public]
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    days = (following - month).days
    working = sum(1 for d in range(days) if (month + timedelta(days=d)).weekday() < 5)
    per_day = cases / working / len(services)
    end = datetime(following.year, following.month, following.day, 12)
    real_add = store.add_once
    store.add_once = add_in_memory
    try:
        written = demo.generate(
            days=days, end=end.astimezone(), per_day=per_day, offices=[OFFICE], events=False
        )
    finally:
        store.add_once = real_add
    # The items as the app's ADD updates would leave them (a put each: the same attributes).
    import boto3

    client = boto3.client("dynamodb", region_name=REGION)
    for (office, service, day), counters in sums.items():
        pk, sk = DayTally.key(office, day, service)
        item = {name: {"N": repr(float(v))} for name, v in counters.items()}
        item.update(PK={"S": pk}, SK={"S": sk}, office={"S": office}, service={"S": service}, day={"S": day})
        client.put_item(TableName=os.environ["LOKET_TABLE"], Item=item)
    return written.cases


def measure(month: date, runs: int) -> tuple[list[float], Counter[str], int, Any]:
    """Time `runs` reports of `month`, counting every DynamoDB call by operation."""
    from chalicelib.adapters.models import DayTally
    from chalicelib.services import evaluation

    calls: Counter[str] = Counter()

    def count(model: Any, params: Any, **_: Any) -> None:
        calls[model.name] += 1

    connection = DayTally._get_connection().connection
    connection.client.meta.events.register("before-call.dynamodb", count)
    first, last = evaluation.month(month.year, month.month)
    times = []
    report = None
    for _ in range(runs):
        started = time.perf_counter()
        report = evaluation.report(OFFICE, first, last)
        times.append(time.perf_counter() - started)
    return times, calls, len(report.days) if report else 0, report


def main() -> int:
    cases = int(os.environ.get("BENCH_CASES", "10000"))
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    limit = float(os.environ.get("BENCH_LIMIT_SECONDS", "2"))
    _environment()
    from moto import mock_aws

    from chalicelib.settings import reset_settings
    from infra.local import moto_json

    moto_json.install()  # moto answers items as DynamoDB does, without its slow generic serializer
    reset_settings()
    with mock_aws():
        _table()
        month = date(2026, 3, 1)
        counted = history(cases, month)
        times, calls, day_count, report = measure(month, runs)
    per_run = {op: n / runs for op, n in calls.items()}
    print(f"Kasus dihitung: {counted} (kantor {OFFICE}, {month:%B %Y}, {day_count} hari berisi data)")
    print(f"Berkas masuk menurut laporan: {report.office.intake}; selesai {report.office.completed}")
    print(f"Panggilan DynamoDB per laporan: {per_run}")
    slowest, median = max(times), statistics.median(times)
    print(f"Waktu per laporan: terlama {slowest:.3f} s, median {median:.3f} s ({runs} kali)")
    ok = max(times) < limit and set(calls) == {"Query"}
    print("LULUS" if ok else f"GAGAL: batas {limit} s, hanya Query atas agregat")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
