"""The local stack (`python -m infra.local.run`, what `make run` starts) as a child process of a test.

Free ports for moto, the API and the site; the banner read up to "Tekan Ctrl-C", with the demo
staff accounts and their one-time passwords; Ctrl-C (SIGINT to the process group) to stop it.
Used by tests/e2e/ and tests/browser/.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.deadlines import REQUEST_SECONDS

ROOT = Path(__file__).resolve().parents[1]
READY_LINE = "Tekan Ctrl-C"
# "  kab-pasuruan     petugas_antar_kerja    kab-pasuruan.petugas_antar_kerja    2Nu0TcgKOY4tPY"
ACCOUNT_LINE = re.compile(r"^\s+([\w-]+)\s+(\w+)\s+(\1\.\w+)\s+(\S+)\s*$", re.MULTILINE)


# How much of the stack's output a failing test prints.
TAIL_CHARS = 8_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stack_env() -> dict[str, str]:
    """This environment without AWS or Loket settings: the stack sets its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOKET_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=REQUEST_SECONDS) as response:  # noqa: S310 (loopback)
        return response.status, response.read().decode()


@dataclass
class Stack:
    proc: subprocess.Popen[str]
    moto_port: int
    api_port: int
    site_port: int
    banner: str = ""
    ready_after: float = 0.0
    lines: list[str] = field(default_factory=list, repr=False)  # everything it printed, as it comes
    reader: threading.Thread | None = field(default=None, repr=False)

    @property
    def moto_url(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.site_port}"

    @property
    def passwords(self) -> dict[str, str]:
        """Demo staff user name (`kab-pasuruan.petugas_antar_kerja`) -> its one-time password."""
        return {m.group(3): m.group(4) for m in ACCOUNT_LINE.finditer(self.banner)}

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def tail(self) -> str:
        """The end of what the stack printed (TAIL_CHARS), for a failing test to show."""
        return self.output[-TAIL_CHARS:]

    def aws(self) -> dict[str, str]:
        """boto3 client arguments for the stack's moto."""
        return {
            "endpoint_url": self.moto_url,
            "region_name": "ap-southeast-3",
            "aws_access_key_id": "local",
            "aws_secret_access_key": "local",
        }

    def moto_state(self) -> dict[str, Any]:
        """moto's models as its server shows them (`/moto-api/data.json`), e.g. the SES mail sent."""
        with urllib.request.urlopen(f"{self.moto_url}/moto-api/data.json", timeout=REQUEST_SECONDS) as r:  # noqa: S310
            return dict(json.loads(r.read()))

    def stop(self) -> str:
        """Ctrl-C, as a person stops `make run`; returns what it printed after the banner."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=REQUEST_SECONDS)
                raise
        if self.reader is not None:
            self.reader.join(timeout=REQUEST_SECONDS)
        return self.output[len(self.banner) :]


def _ctrl_c_stops_it() -> None:
    """In the child: a shell that starts jobs in the background (CI) makes them ignore SIGINT,
    and Python keeps an ignored SIGINT; the stack must stop on Ctrl-C like `make run` does."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# How long a test waits for the banner: what `make run` promises (60 s, asserted by the e2e test)
# with room for a CI machine running two test sessions side by side.
START_SECONDS = 180.0


def start_stack(timeout: float = START_SECONDS, options: tuple[str, ...] = ()) -> Stack:
    """Start the stack on free ports and wait for its banner; fails with its output if it does not come.

    `options` are more arguments of `infra.local.run` (e.g. `--retry-seconds 1`). A thread keeps
    reading what the stack prints (so a full pipe never blocks it) into `lines`."""
    moto, api, site = free_port(), free_port(), free_port()
    args = [sys.executable, "-m", "infra.local.run"]
    args += ["--moto-port", str(moto), "--api-port", str(api), "--site-port", str(site), *options]
    started = time.monotonic()
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=stack_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_stops_it,
    )
    stack = Stack(proc, moto, api, site)
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stack.lines.append(line)
            if READY_LINE in line and not ready.is_set():
                stack.banner = "".join(stack.lines)
                ready.set()
        ready.set()  # ended without a banner

    stack.reader = threading.Thread(target=read, name="stack-output", daemon=True)
    stack.reader.start()
    ready.wait(timeout)
    stack.ready_after = time.monotonic() - started
    if not stack.banner:
        rest = stack.stop()
        raise AssertionError(f"the stack did not start within {timeout:.0f}s:\n{rest}")
    return stack


@contextmanager
def running_stack(timeout: float = START_SECONDS, options: tuple[str, ...] = ()) -> Iterator[Stack]:
    """The stack for the duration of a `with`; stopped (Ctrl-C) at its end unless already stopped."""
    stack = start_stack(timeout, options)
    try:
        yield stack
    finally:
        stack.stop()
