"""`make soak`'s watch (infra/load/watch.py) and its steady rate (infra/load/people.py Campaign):
the figures judged from samples, the bounds named when broken, one case per interval."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from infra.load.__main__ import LoadError, Options
from infra.load.watch import IDLE, LOAD, Sample, StackWatch, figures, timeline
from tests.conftest import wait_for


def _samples(idle_cpu: float, idle_growth: float, per_case: float) -> list[Sample]:
    load = [Sample(10.0 * i, 300 + per_case * 8 * i, 5.0 * i, LOAD, 8 * i) for i in range(10)]
    start = load[-1]
    idle = [
        Sample(
            start.at + 10 * i,
            start.rss_mb + idle_growth * i / 30,
            start.cpu_seconds + idle_cpu * 10 * i,
            IDLE,
            36,
        )
        for i in range(1, 31)
    ]
    return load + idle


def test_a_new_stacks_first_minute_is_not_counted_as_growth_per_case() -> None:
    """The first samples of a new stack jump by hundreds of MB (imports, the SOPs, the first
    requests): memory per case is judged on the load's second half."""
    samples = _samples(idle_cpu=0.0, idle_growth=0.0, per_case=0.5)
    samples[0] = Sample(0.0, 40.0, 0.0, LOAD, 0)  # 300 MB more within the first 10 s
    found = figures(samples)
    assert found is not None and found.mb_per_case == pytest.approx(0.5) and found.problems() == []


def test_a_quiet_stack_passes_and_its_figures_are_what_the_samples_say() -> None:
    found = figures(_samples(idle_cpu=0.01, idle_growth=1.0, per_case=0.5))
    assert found is not None and found.problems() == []
    assert found.mb_per_case == pytest.approx(0.5)
    assert found.load_cpu_share == pytest.approx(0.5)  # 5 CPU seconds every 10 s
    assert found.idle_cpu_share == pytest.approx(0.01) and found.idle_seconds == pytest.approx(290)
    assert found.end_of_load_mb == pytest.approx(300 + 0.5 * 72)
    assert found.window is not None and found.window[2:4] == (40, 72)  # the load's second half


def test_a_spinning_or_growing_stack_is_named_in_the_checks() -> None:
    found = figures(_samples(idle_cpu=0.9, idle_growth=40.0, per_case=12.0))
    assert found is not None
    problems = " ".join(found.problems())
    assert "idle CPU 90.0 %" in problems and "no traffic" in problems and "per case" in problems


def test_a_short_run_is_not_judged_on_memory() -> None:
    """8 cases (a small `make load`): a few MB of jitter over 2 cases must not fail the run, nor
    the new stack's start-up be charged to its first cases."""
    load = [Sample(0.0, 339, 5, LOAD, 0), Sample(10.0, 633, 9, LOAD, 7), Sample(16.0, 639, 11, LOAD, 8)]
    found = figures(load)
    assert found is not None and found.mb_per_case is None and found.problems() == []
    few = [Sample(10.0 * i, 600 + 2 * i, i, LOAD, i) for i in range(8)]  # 4 cases in the second half
    found = figures(few)
    assert found is not None and found.mb_per_case is None and found.window is not None


def test_no_samples_no_figures_and_the_timeline_keeps_first_and_last() -> None:
    assert figures([]) is None
    samples = _samples(0.0, 0.0, 0.0)
    lines = timeline(samples, rows=5)
    assert lines[2].startswith("| 0 | load |") and lines[-1].startswith(f"| {samples[-1].at:.0f} | idle |")


def test_the_watch_reads_a_real_process_tree() -> None:
    """A parent that spins a child: memory is read from both, CPU time grows, and once the tree
    is gone a sample is None (nothing kept)."""
    code = "import subprocess,sys;c=subprocess.Popen([sys.executable,'-c','while True: pass']);c.wait()"
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        watch = StackWatch(parent.pid)
        wait_for(lambda: watch.root.children())
        first = watch.sample(LOAD, 0)
        assert first is not None and first.rss_mb > 1

        def spun() -> bool:
            later = watch.sample(LOAD, 0)
            assert later is not None, "the tree ended"
            return later.cpu_seconds > first.cpu_seconds

        wait_for(spun)
    finally:
        for child in StackWatch(parent.pid).root.children(recursive=True):
            child.kill()
        parent.kill()
        parent.wait()
    assert watch.sample(IDLE, 0) is None


def test_a_steady_rate_hands_out_one_case_per_interval(monkeypatch) -> None:
    from infra.load import people

    clock = [100.0]
    monkeypatch.setattr(people.time, "monotonic", lambda: clock[0])
    campaign = people.Campaign(cases=3, interval=15.0)
    assert campaign.take() == 1
    assert campaign.take() is None  # not yet: the second starts 15 s after the first
    clock[0] = 115.0
    assert campaign.take() == 2 and campaign.take() is None
    clock[0] = 200.0
    assert campaign.take() == 3 and campaign.take() is None  # all three handed out


def test_counts_are_whole_numbers_and_the_run_is_load_soak_or_burst() -> None:
    for name in ("LOAD_CASES", "LOAD_USERS", "LOAD_OFFICERS"):
        with pytest.raises(LoadError, match=f"{name} must be a whole number"):
            Options.from_env({name: "2.5"})
    assert Options.from_env({"LOAD_USERS": "1e1"}).users == 10
    assert Options.from_env({"LOAD_RUN": "soak"}).run == "soak"
    assert Options.from_env({"LOAD_RUN": "burst"}).run == "burst"
    with pytest.raises(LoadError, match="LOAD_RUN"):
        Options.from_env({"LOAD_RUN": "ledakan"})


def test_the_report_is_its_own_file_or_under_out() -> None:
    assert Options.from_env({"LOAD_REPORT": "docs/soak.md"}).report.name == "soak.md"
    assert Options.from_env({"LOAD_REPORT": "out/try/x.md"}).report.name == "x.md"
    for bad in (
        "/etc/passwd.md",
        "app.py",
        "../x.md",
        "chalicelib/x.md",
        "docs/../app.md",
        "docs/performance.md",  # make bench's
        "docs/adr/0030-measured-performance-bench-and-capacity.md",
    ):
        with pytest.raises(LoadError, match="LOAD_REPORT"):
            Options.from_env({"LOAD_REPORT": bad})
    assert os.path.basename(str(Options.from_env({}).report)) == "load.md"
