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


def test_stack_runs_an_ak1_case_from_form_to_completion() -> None:
    """Through HTTP only, as the phone and the officer would: the stack's own worker pump and
    moto's server run the compiled AK-1 state machine to the end."""
    import json
    import re
    from http.cookiejar import CookieJar

    import boto3
    import requests

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
        accounts = dict(re.findall(r"kab-pasuruan\s+(\w+)\s+kab-pasuruan\.\w+\s+(\S+)", "".join(output)))
        endpoint = f"http://127.0.0.1:{moto}"
        aws = {
            "endpoint_url": endpoint,
            "region_name": "ap-southeast-3",
            "aws_access_key_id": "local",
            "aws_secret_access_key": "local",
        }
        cognito = boto3.client("cognito-idp", **aws)
        pools = {p["Name"]: p["Id"] for p in cognito.list_user_pools(MaxResults=10)["UserPools"]}
        pool = pools["loket-applicants"]
        client_id = cognito.list_user_pool_clients(UserPoolId=pool)["UserPoolClients"][0]["ClientId"]
        cognito.admin_create_user(
            UserPoolId=pool,
            Username="budi",
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": "budi@contoh.id"}],
        )
        cognito.admin_set_user_password(
            UserPoolId=pool, Username="budi", Password="Rahasia123", Permanent=True
        )
        token = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "budi", "PASSWORD": "Rahasia123"},
        )["AuthenticationResult"]["IdToken"]
        base = f"http://127.0.0.1:{api}"
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "e2e-ak1-0001"}
        case = requests.post(
            f"{base}/api/cases",
            headers=headers,
            timeout=10,
            json={"office": "kab-pasuruan", "service": "ak1", "email": "budi@contoh.id"},
        ).json()
        case_id = case["case_id"]
        jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 200
        for document in ("ktp", "ijazah_terakhir", "pas_foto"):
            slot = requests.post(
                f"{base}/api/cases/{case_id}/uploads",
                headers=headers,
                timeout=10,
                json={"document": document, "content_type": "image/jpeg"},
            ).json()
            sent = requests.post(
                slot["url"], data=slot["fields"], files={"file": ("f.jpg", jpeg)}, timeout=10
            )
            assert sent.status_code in (200, 204), sent.text
            confirmed = requests.put(
                f"{base}/api/cases/{case_id}/documents/{document}",
                headers=headers,
                json={"key": slot["key"]},
                timeout=10,
            )
            assert confirmed.status_code == 200, confirmed.text
        submitted = requests.post(f"{base}/api/cases/{case_id}/submit", headers=headers, timeout=10)
        assert submitted.json()["status"] == "submitted", submitted.text

        for role in ("petugas_antar_kerja", "pengantar_kerja"):
            staff = requests.Session()
            staff.cookies = CookieJar()  # type: ignore[assignment]
            login = staff.post(
                f"{base}/staff/login",
                timeout=10,
                data={"username": f"kab-pasuruan.{role}", "password": accounts[role]},
            )
            assert login.status_code == 200, login.text
            deadline = time.monotonic() + 30
            while case_id not in (inbox := staff.get(f"{base}/staff", timeout=10).text):
                assert time.monotonic() < deadline, f"{role} never saw the case"
                time.sleep(0.3)
            row = inbox[inbox.index(case_id) :]
            item = re.search(r'name="item" value="([^"]+)"', row).group(1)  # type: ignore[union-attr]
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', inbox).group(1)  # type: ignore[union-attr]
            fields = {"csrf": csrf, "case_id": case_id, "item": item, "decision": "approve", "note": ""}
            fields.update(
                {
                    f"rec_{k}": "Email" if k == "kanal_konseling" else "Siap kerja"
                    for k in ("kanal_konseling", "catatan_konseling", "pesan_untuk_pencari_kerja")
                }
                if role == "pengantar_kerja"
                else {}
            )
            decided = staff.post(f"{base}/staff/decide", data=fields, timeout=10)
            assert "Keputusan tersimpan" in decided.text, decided.text[-500:]

        deadline = time.monotonic() + 30
        while (
            status := requests.get(f"{base}/api/cases/{case_id}", headers=headers, timeout=10).json()[
                "status"
            ]
        ) != "completed":
            assert time.monotonic() < deadline, f"case stuck in {status}"
            time.sleep(0.3)
        mail = json.loads(urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10).read())  # noqa: S310
        raw = [m["raw_data"] for m in mail["ses"]["RawMessage"] if case_id in m["raw_data"]]
        assert raw, "no email reached the job seeker"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
