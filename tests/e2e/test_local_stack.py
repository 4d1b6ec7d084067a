"""`make run`'s stack as a person starts it: pages served, one-line errors, clean Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stack_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOKET_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.read().decode()


def test_stack_serves_site_api_and_staff_login_then_stops_on_ctrl_c() -> None:
    moto, api, site = free_port(), free_port(), free_port()
    args = [
        sys.executable,
        "-m",
        "infra.local.run",
        "--moto-port",
        str(moto),
        "--api-port",
        str(api),
        "--site-port",
        str(site),
    ]
    started = time.monotonic()
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=stack_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if "Tekan Ctrl-C" in line:
                break
        ready_after = time.monotonic() - started
        assert ready_after < 60, f"stack took {ready_after:.1f}s"
        text = "".join(output)
        assert (
            f"http://127.0.0.1:{site}/" in text
            and "kab-pasuruan.kadis" in text
            and "kota-tangerang.kasi" in text
        )

        status, page = get(f"http://127.0.0.1:{site}/")
        assert status == 200 and "Layanan ketenagakerjaan" in page
        status, config = get(f"http://127.0.0.1:{site}/config.js")
        assert f"http://127.0.0.1:{api}" in config
        status, health = get(f"http://127.0.0.1:{api}/health")
        assert status == 200 and '"ok"' in health
        status, login = get(f"http://127.0.0.1:{api}/staff/login")
        assert status == 200 and "Masuk petugas" in login
        status, offices = get(f"http://127.0.0.1:{api}/api/offices")
        assert "kota-tangerang" in offices
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, rest
    assert "Loket dihentikan." in rest
    assert not (ROOT / "static_site" / "config.js").exists()
    for port in (moto, api, site):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))  # everything it started has let go of its port


def test_busy_port_is_a_one_line_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "infra.local.run",
                "--api-port",
                str(port),
                "--moto-port",
                str(free_port()),
                "--site-port",
                str(free_port()),
            ],
            cwd=ROOT,
            env=stack_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "in use" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_bad_port_number_is_a_one_line_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "infra.local.run", "--api-port", "70000"],
        cwd=ROOT,
        env=stack_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not a valid port" in result.stderr
