"""`make load`: LOAD_CASES AK-1 cases filed by LOAD_USERS job seekers and worked to the end by the
officers, with locust (headless, in this process) against the local stack.

    python -m infra.load          # make load

The stack is `make run`'s (infra/local/run.py: moto, `chalice local`, the worker pumps), started
here on free loopback ports and stopped at the end; or one already running, named by
LOAD_API_URL and LOAD_MOTO_URL (its demo staff passwords are then set again, as `make demo`
does, and the job seekers' numbers continue after the accounts an earlier run left).

The run ends when every case is in its final state, or after LOAD_SECONDS (the bound of the
whole run once the stack is up). Then the figures: per request type the throughput, p50/p95/p99
and errors, against `/health` on the same server; the worker backlog's drain time (last
submission until every case final); each completed case's cards and emails counted from the
stack (exactly one card and one card email each). Printed and written to docs/load.md.

Settings (environment): LOAD_USERS (10 job seekers at once), LOAD_CASES (40), LOAD_SECONDS (300),
LOAD_OFFICERS (2 per AK-1 role), LOAD_SPAWN_RATE (2 users a second), LOAD_API_URL and
LOAD_MOTO_URL (a running stack instead of a new one), LOAD_PACE_SECONDS (0: a case starts every
that many seconds at most, a steady rate), LOAD_IDLE_SECONDS (0: the stack is watched that long
after the run with no traffic), LOAD_REPORT (docs/load.md; `make soak` writes docs/soak.md,
`make burst` docs/burst.md).
A stack started here is watched throughout (infra/load/watch.py: its memory and CPU).
Exit status: 0 when every case completed with one card and one card email, no request met a
5xx and the watched stack kept within its bounds; 1 otherwise; 2 for bad settings or a stack
that does not start.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "load"
PROGRESS_SECONDS = 15.0
# What a run may write: its own two reports, or anything under out/ (never the bench's or an ADR).
REPORTS = (ROOT / "docs" / "load.md", ROOT / "docs" / "soak.md", ROOT / "docs" / "burst.md")
# What `make soak` and `make burst` set themselves (Makefile): the command line shows their own
# SOAK_/BURST_ settings and any other LOAD_ one the person exported.
MAKE_SETS = {
    "load": {"LOAD_RUN"},
    "soak": {
        "LOAD_RUN",
        "LOAD_USERS",
        "LOAD_CASES",
        "LOAD_PACE_SECONDS",
        "LOAD_SECONDS",
        "LOAD_IDLE_SECONDS",
        "LOAD_REPORT",
    },
    "burst": {
        "LOAD_RUN",
        "LOAD_CASES",
        "LOAD_USERS",
        "LOAD_OFFICERS",
        "LOAD_SECONDS",
        "LOAD_SPAWN_RATE",
        "LOAD_REPORT",
    },
}
# LOAD_RUN: which make target runs it, for the report's title and command line.
TITLES = {
    "load": "Loket under load (`make load`)",
    "soak": "Loket over an hour at a steady rate (`make soak`)",
    "burst": "A job fair's burst: thousands of AK-1 cases at once (`make burst`)",
}


class LoadError(RuntimeError):
    """The run cannot go on; printed as one line."""


@dataclass(frozen=True)
class Options:
    users: int
    cases: int
    seconds: float
    officers: int
    spawn_rate: float
    api_url: str
    moto_url: str
    pace_seconds: float = 0.0
    idle_seconds: float = 0.0
    report: Path = ROOT / "docs" / "load.md"
    run: str = "load"  # "soak" or "burst" when that target runs it (LOAD_RUN): the report's title and command

    @staticmethod
    def from_env(env: Mapping[str, str]) -> Options:
        from infra.local import chaos

        def number(name: str, default: float, low: float, high: float) -> float:
            try:
                return chaos.number_setting(env, name, default, low, high)
            except chaos.ChaosError as exc:
                raise LoadError(str(exc)) from None

        def count(name: str, default: int, low: int, high: int) -> int:
            value = number(name, default, low, high)
            if value != int(value):
                raise LoadError(f"{name} must be a whole number, not {env.get(name, '').strip()!r}")
            return int(value)

        api, moto = env.get("LOAD_API_URL", "").strip(), env.get("LOAD_MOTO_URL", "").strip()
        if bool(api) != bool(moto):
            raise LoadError("LOAD_API_URL and LOAD_MOTO_URL go together (a running stack's API and moto)")
        given = env.get("LOAD_REPORT", "").strip() or "docs/load.md"
        report = (ROOT / given).resolve()
        if report.suffix != ".md" or not (report in REPORTS or report.is_relative_to(ROOT / "out")):
            raise LoadError(
                "LOAD_REPORT must be docs/load.md, docs/soak.md, docs/burst.md or a .md file under out/, "
                f"not {given!r}"
            )
        run = env.get("LOAD_RUN", "").strip() or "load"
        if run not in TITLES:
            raise LoadError(f"LOAD_RUN must be one of {', '.join(TITLES)}, not {run!r}")
        return Options(
            run=run,
            pace_seconds=number("LOAD_PACE_SECONDS", 0, 0, 3600),
            idle_seconds=number("LOAD_IDLE_SECONDS", 0, 0, 3600),
            report=report,
            users=count("LOAD_USERS", 10, 1, 500),
            cases=count("LOAD_CASES", 40, 1, 9999),
            seconds=number("LOAD_SECONDS", 300, 10, 86400),
            officers=count("LOAD_OFFICERS", 2, 1, 20),
            spawn_rate=number("LOAD_SPAWN_RATE", 2, 0.1, 100),
            api_url=api.rstrip("/"),
            moto_url=moto.rstrip("/"),
        )

    def settings(self) -> dict[str, str]:
        """The settings as the report prints them."""
        shown = {
            "LOAD_USERS": str(self.users),
            "LOAD_CASES": str(self.cases),
            "LOAD_SECONDS": f"{self.seconds:g}",
            "LOAD_OFFICERS": f"{self.officers} per role",
            "LOAD_SPAWN_RATE": f"{self.spawn_rate:g}/s",
        }
        if self.pace_seconds:
            shown["LOAD_PACE_SECONDS"] = f"{self.pace_seconds:g}"
        if self.idle_seconds:
            shown["LOAD_IDLE_SECONDS"] = f"{self.idle_seconds:g}"
        if self.api_url:
            shown["stack"] = f"reused ({self.api_url})"
        return shown


def command_line(run: str, env: Mapping[str, str]) -> str:
    """`make <run>` with the settings the person gave: the run's own (SOAK_, BURST_; LOAD_ for
    `make load`) and any LOAD_ one the target does not set itself (MAKE_SETS)."""
    given = sorted(
        k
        for k in env
        if k != "LOAD_RUN"
        and (k.startswith(f"{run.upper()}_") or (k.startswith("LOAD_") and k not in MAKE_SETS[run]))
    )
    return f"make {run}" + "".join(f" {k}={env[k]}" for k in given)


def start_or_reuse(options: Options) -> Any:
    """demo.py's stack: the one named by LOAD_API_URL/LOAD_MOTO_URL, or `make run`'s started on
    free loopback ports (its output in out/load/<run>-stack.log: a soak and a burst can run at
    once, each on its own stack)."""
    import socket

    from infra.local import demo

    if options.api_url:
        stack = demo.Stack(options.api_url, "", options.moto_url)
        if not demo._up(stack.api):
            raise LoadError(f"no Loket answers at {stack.api}/health (LOAD_API_URL)")
        return stack
    for name in ("MOTO_PORT", "API_PORT", "SITE_PORT"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            os.environ[name] = str(probe.getsockname()[1])
    os.environ["LOKET_HOST"] = "127.0.0.1"
    try:
        return demo.find_or_start_stack(
            log_path=OUT / f"{options.run}-stack.log",
            starting=f"make {options.run}: menjalankan Loket lokal (infra.local.run) pada port bebas ...",
        )
    except demo.DemoError as exc:
        raise LoadError(str(exc)) from None


def first_person(moto_url: str, cases: int) -> int:
    """The first job-seeker number whose `cases` accounts (`pencari<n>`) the applicant pool does
    not hold yet: 1 on a new stack; after an earlier run's block on a reused one."""
    from infra.load.outcome import aws

    cognito = aws(moto_url, "cognito-idp")
    pools = [p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if "applicant" in p["Name"]]
    first = 1
    while pools and first + cases - 1 <= 9999:
        taken = cognito.list_users(UserPoolId=pools[-1], Filter=f'username = "pencari{first:05d}"')["Users"]
        if not taken:
            return first
        first += cases
    if first + cases - 1 > 9999:
        raise LoadError("the reused stack has no free block of job-seeker numbers left: start a new one")
    return first


def rows_of(stats: Any) -> list[Any]:
    """locust's statistics (`RequestStats`) as summary rows, one per request type."""
    from infra.load.summary import Row

    return [
        Row(
            name=e.name,
            count=e.num_requests,
            failures=e.num_failures,
            p50_ms=e.get_response_time_percentile(0.5) or 0.0,
            p95_ms=e.get_response_time_percentile(0.95) or 0.0,
            p99_ms=e.get_response_time_percentile(0.99) or 0.0,
        )
        for e in stats.entries.values()
    ]


WATCH_SECONDS = 10.0  # between two samples of the stack's memory and CPU


def swarm(
    options: Options, stack: Any, campaign: Any, table: str, watch: Any = None
) -> tuple[Any, float, float | None]:
    """Run locust until every case is final or LOAD_SECONDS pass, sampling `watch` (a
    watch.StackWatch, or None) every WATCH_SECONDS. Returns locust's statistics, the wall seconds
    of the run and the monotonic time every case was final (None if never)."""
    import gevent
    import locust
    from locust.env import Environment

    from infra.load import locustfile, outcome
    from infra.load.people import FINAL
    from infra.local import demo

    users = locustfile.configure(campaign, demo.PASSWORD, options.officers)
    environment = Environment(user_classes=users, host=stack.api, events=locust.events)
    runner = environment.create_local_runner()
    began = time.monotonic()
    runner.start(options.users + 2 * options.officers + 1, spawn_rate=options.spawn_rate)
    settled_at = None
    shown = began
    watched = began - WATCH_SECONDS
    while time.monotonic() < campaign.deadline:
        if watch is not None and time.monotonic() - watched >= WATCH_SECONDS:
            watched = time.monotonic()
            watch.sample("load", len(campaign.filed))
        gevent.sleep(1)
        ids = list(campaign.filed)
        states = outcome.statuses(stack.moto, table, ids) if ids else {}
        final = sum(1 for s in states.values() if s in FINAL)
        if time.monotonic() - shown >= PROGRESS_SECONDS:
            shown = time.monotonic()
            print(
                f"  {shown - began:5.0f}s  submitted {len(ids)}/{options.cases}  final {final}  "
                f"gave up {len(campaign.gave_up)}  requests {environment.stats.total.num_requests}  "
                f"errors {environment.stats.total.num_failures}",
                flush=True,
            )
        if campaign.all_handed_out_and_settled() and final == len(ids):
            settled_at = time.monotonic()
            break
    runner.quit()
    if watch is not None:
        watch.sample("load", len(campaign.filed))
    return environment.stats, time.monotonic() - began, settled_at


def idle(watch: Any, seconds: float, cases: int) -> None:
    """Watch the stack for `seconds` with no traffic at all (a sample every WATCH_SECONDS)."""
    import gevent

    if watch is None or seconds <= 0:
        return
    print(f"make load: the stack is watched for {seconds:g} s with no traffic ...", flush=True)
    end = time.monotonic() + seconds
    watch.sample("idle", cases)
    while time.monotonic() < end:
        gevent.sleep(min(WATCH_SECONDS, max(0.0, end - time.monotonic())))
        watch.sample("idle", cases)


def main() -> int:
    # locust first: its gevent patches must precede every socket (requests, boto3, the stack).
    import locust  # noqa: F401

    from infra.bench import machine
    from infra.load import outcome, summary
    from infra.load.people import Campaign
    from infra.load.watch import StackWatch, figures
    from infra.local import demo
    from infra.local.run import stop_on_signals

    # Ctrl-C and SIGTERM stop the run and the stack it started, also when a shell started the run
    # in the background (SIGINT ignored there; SIGTERM would have left the stack running).
    stop_on_signals()

    try:
        options = Options.from_env(os.environ)
    except LoadError as exc:
        print(f"make load: {exc}", file=sys.stderr)
        return 2
    from botocore.exceptions import BotoCoreError, ClientError  # after locust's patches, as the rest

    name = f"make {options.run}"
    OUT.mkdir(parents=True, exist_ok=True)
    options.report.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"{name}: {options.cases} AK-1 cases, {options.users} job seekers, {options.officers} officers "
        f"per role, at most {options.seconds:g} s; "
        + (f"using {options.api_url}" if options.api_url else "starting the local stack on free ports ..."),
        flush=True,
    )
    stack = None
    try:
        stack = start_or_reuse(options)
        demo.staff_logins(stack)  # the demo accounts' passwords, known to the officers
        where = outcome.resources(stack.moto)
        campaign = Campaign(
            cases=options.cases,
            first=first_person(stack.moto, options.cases),
            seed=int(time.time()),
            deadline=time.monotonic() + options.seconds,
            interval=options.pace_seconds,
        )
        taken = machine.now().line()
        watch = StackWatch(stack.process.pid) if getattr(stack, "process", None) is not None else None
        stats, wall, settled_at = swarm(options, stack, campaign, where.table, watch)
        last = campaign.last_submission
        drain = settled_at - last if settled_at is not None and last is not None else None
        result = outcome.read(stack.moto, where, list(campaign.filed))
        idle(watch, options.idle_seconds, len(campaign.filed))
    except (LoadError, ValueError, demo.DemoError, BotoCoreError, ClientError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted; the stack it started is stopped, nothing is reported", file=sys.stderr)
        return 130
    finally:
        if stack is not None:
            demo.stop(stack)

    statuses = result.statuses.values()
    report = summary.Summary(
        command=command_line(options.run, os.environ),
        title=TITLES[options.run],
        machine=taken,
        settings=options.settings(),
        wall_seconds=wall,
        rows=rows_of(stats),
        errors=[(e.name, str(e.error), e.occurrences) for e in stats.errors.values()],
        drain_seconds=drain,
        cases={
            "planned": options.cases,
            "submission accepted": len(campaign.filed),
            "given up before submitting": len(campaign.gave_up),
            **{f"now {status}": sum(1 for s in statuses if s == status) for status in sorted(set(statuses))},
        },
        emails=dict(result.email_kinds()),
        checks={
            "every planned case submitted": campaign.gave_up
            + ([] if len(campaign.filed) == options.cases else [f"{len(campaign.filed)} of {options.cases}"]),
            "every case final": result.unfinished(),
            "exactly one card per completed case": result.not_one_card(),
            "exactly one card email per completed case": result.not_one_card_email(),
            "no 5xx answer (503 with Retry-After pressed again)": campaign.tally.bugs,
        },
        watched=figures(watch.samples) if watch is not None else None,
        samples=list(watch.samples) if watch is not None else [],
    )
    if report.watched is not None:
        report.checks["the stack's memory and idle CPU (infra/load/watch.py)"] = report.watched.problems()
    print(summary.render(report), flush=True)
    path = summary.write(report, options.report)
    print(f"written: {path.relative_to(ROOT)}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
