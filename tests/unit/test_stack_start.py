"""Starting the local stack for `make demo` / `make load` (infra/local/demo.py): a start that fails
or is interrupted stops what it started; `stop` ends the stack's whole process group."""

from __future__ import annotations

import subprocess
import sys

import pytest

from infra.local import demo
from tests.conftest import wait_for
from tests.deadlines import SLACK_SECONDS

# A stand-in for `python -m infra.local.run`: a child in its group, then a line, then it waits.
# Started from a test process that may run with SIGINT ignored (pytest-xdist's workers do, and a
# child inherits it), as a stack started from a background job does: `stop` must end it anyway.
CHILD = (
    "import signal,subprocess,sys; subprocess.Popen([sys.executable,'-c','import signal; signal.pause()']); "
)


def _stand_in(monkeypatch: pytest.MonkeyPatch, code: str) -> list[subprocess.Popen[str]]:
    started: list[subprocess.Popen[str]] = []
    real = subprocess.Popen

    def popen(args, **kwargs):  # type: ignore[no-untyped-def]
        process = real([sys.executable, "-c", code], **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(demo.subprocess, "Popen", popen)
    monkeypatch.setattr(demo, "_up", lambda api: False)
    return started


def _stopped_at_once(process: subprocess.Popen[str]) -> bool:
    """Ended by `stop`'s first signal, not by the SIGKILL it sends after STOP_SECONDS."""
    import signal

    return process.poll() is not None and process.returncode != -signal.SIGKILL


def _group_gone(pid: int) -> bool:
    """Whether no process of the group `pid` is left, polled until SLACK_SECONDS."""
    import os

    def gone() -> bool:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        return False

    return bool(wait_for(gone, timeout=SLACK_SECONDS))


def test_a_stack_that_says_it_cannot_start_is_stopped_with_its_children(monkeypatch, tmp_path) -> None:
    started = _stand_in(
        monkeypatch, CHILD + "print('make run: the moto port is busy', flush=True); signal.pause()"
    )
    with pytest.raises(demo.DemoError, match="the moto port is busy"):
        demo.find_or_start_stack(log_path=tmp_path / "stack.log", starting="mulai")
    assert started and _stopped_at_once(started[0]) and _group_gone(started[0].pid)


def test_a_stack_that_never_answers_is_stopped(monkeypatch, tmp_path) -> None:
    started = _stand_in(monkeypatch, CHILD + "print('Tekan Ctrl-C', flush=True); signal.pause()")
    with pytest.raises(demo.DemoError, match="tidak dapat dijalankan"):
        demo.find_or_start_stack(log_path=tmp_path / "stack.log", starting="mulai")
    assert started and _stopped_at_once(started[0]) and _group_gone(started[0].pid)


def test_an_interrupted_start_stops_the_stack(monkeypatch, tmp_path) -> None:
    """Ctrl-C while the stack starts (the terminal's signal does not reach its own session)."""
    started = _stand_in(monkeypatch, CHILD + "print('starting', flush=True); signal.pause()")
    real_open = type(tmp_path).open

    def interrupted_log(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(type(tmp_path), "open", interrupted_log)
    with pytest.raises(KeyboardInterrupt):
        demo.find_or_start_stack(log_path=tmp_path / "stack.log", starting="mulai")
    monkeypatch.setattr(type(tmp_path), "open", real_open)
    assert started and _stopped_at_once(started[0]) and _group_gone(started[0].pid)


def test_the_stack_stops_on_sigint_and_sigterm_even_when_started_in_the_background() -> None:
    """A shell starts a background job with SIGINT ignored (Python keeps that): `make run` in the
    background, or a stack `make soak` started from one, then never stopped on Ctrl-C or on the
    SIGINT `demo.stop` sends. `infra.local.run` puts both signals back to stopping it."""
    import signal

    from infra.local import run

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        run.stop_on_signals()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)  # delivered to this thread at once
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])
