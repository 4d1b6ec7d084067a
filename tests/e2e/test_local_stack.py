"""`make run`'s stack as a person starts it: pages served, one-line errors, clean Ctrl-C."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS
from tests.stack import ROOT, free_port, get, running_stack, stack_env
from tests.upload_corpus import camera_jpeg

pytestmark = pytest.mark.stack


def test_stack_serves_runs_an_ak1_case_and_stops_on_ctrl_c() -> None:
    """One start of the stack (about 20 s of CPU) for all it must do: serve the site, the API and
    the staff login, run an AK-1 case to the end over HTTP, and let go of everything on Ctrl-C."""
    on_disk = ROOT / "static_site" / "config.js"  # a deployment's; the stack serves its own
    before = on_disk.read_text() if on_disk.exists() else None
    with running_stack() as stack:
        assert stack.ready_after < 60, f"stack took {stack.ready_after:.1f}s"
        site, api = stack.site_url, stack.api_url
        assert f"{site}/" in stack.banner and "kab-pasuruan.kadis" in stack.banner
        assert "kota-tangerang.kasi" in stack.banner

        status, page = get(f"{site}/")
        assert status == 200 and "Layanan ketenagakerjaan" in page
        status, config = get(f"{site}/config.js")
        assert api in config
        status, health = get(f"{api}/health")
        assert status == 200 and '"ok"' in health
        status, login = get(f"{api}/staff/login")
        assert status == 200 and "Masuk petugas" in login
        status, offices = get(f"{api}/api/offices")
        assert "kota-tangerang" in offices
        _ak1_case_from_form_to_completion(stack)
        rest = stack.stop()
    assert stack.proc.returncode == 0, rest
    assert "Loket dihentikan." in rest
    assert (on_disk.read_text() if on_disk.exists() else None) == before  # static_site/ untouched
    for port in (stack.moto_port, stack.api_port, stack.site_port):
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
    # Free ports for the others: a default port another stack holds must not be the error seen.
    others = ["--moto-port", str(free_port()), "--site-port", str(free_port())]
    result = subprocess.run(
        [sys.executable, "-m", "infra.local.run", "--api-port", "70000", *others],
        cwd=ROOT,
        env=stack_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not a valid port" in result.stderr and "70000" in result.stderr


def _ak1_case_from_form_to_completion(stack: Any) -> None:
    """Through HTTP only, as the phone and the officer would: the stack's own worker pump and
    moto's server run the compiled AK-1 state machine to the end."""
    import re
    from http.cookiejar import CookieJar

    import boto3
    import requests

    from chalicelib.sop.loader import load_service
    from tests.forms import sample_form

    aws = stack.aws()
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
    cognito.admin_set_user_password(UserPoolId=pool, Username="budi", Password="Rahasia123", Permanent=True)
    assert client_id  # the site's client: a sign-in through Loket's API opens the session
    base = stack.api_url
    signed_in = requests.post(
        f"{base}/api/account/signin",
        json={"username": "budi", "password": "Rahasia123"},
        timeout=REQUEST_SECONDS,
    )
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["id_token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "e2e-ak1-0001"}
    case = requests.post(
        f"{base}/api/cases",
        headers=headers,
        timeout=REQUEST_SECONDS,
        json={"office": "kab-pasuruan", "service": "ak1", "email": "budi@contoh.id"},
    ).json()
    case_id = case["case_id"]
    form = sample_form(load_service("kab-pasuruan", "ak1"))
    saved = requests.put(
        f"{base}/api/cases/{case_id}/form", headers=headers, json={"form": form}, timeout=REQUEST_SECONDS
    )
    assert saved.status_code == 200, saved.text
    jpeg = camera_jpeg()  # a whole JPEG: the server reads its size and its end (issue 12)
    for document in ("ktp", "ijazah_terakhir", "pas_foto"):
        slot = requests.post(
            f"{base}/api/cases/{case_id}/uploads",
            headers=headers,
            timeout=REQUEST_SECONDS,
            json={"document": document, "content_type": "image/jpeg"},
        ).json()
        sent = requests.post(
            slot["url"], data=slot["fields"], files={"file": ("f.jpg", jpeg)}, timeout=REQUEST_SECONDS
        )
        assert sent.status_code in (200, 204), sent.text
        confirmed = requests.put(
            f"{base}/api/cases/{case_id}/documents/{document}",
            headers=headers,
            json={"key": slot["key"]},
            timeout=REQUEST_SECONDS,
        )
        assert confirmed.status_code == 200, confirmed.text

    def all_checked() -> bool:
        """The stack's worker has scanned and re-encoded every upload (the case waits for it)."""
        case = requests.get(f"{base}/api/cases/{case_id}", headers=headers, timeout=REQUEST_SECONDS).json()
        return all(d["state"] == "checked" for d in case["documents"].values())

    wait_for(all_checked)
    answers: list[str] = []

    def submitted() -> bool:
        """The applicant presses submit until it is taken: a 409 (still being checked) or a 503
        with Retry-After (AWS, here moto on a busy machine, was slow) is pressed again, as the
        page's "Coba lagi" is; anything else ends the wait."""
        answer = requests.post(f"{base}/api/cases/{case_id}/submit", headers=headers, timeout=REQUEST_SECONDS)
        answers.append(f"{answer.status_code} {answer.text[:300]}")
        if answer.status_code in (409, 503):
            assert answer.status_code == 409 or answer.headers.get("Retry-After"), answers[-1]
            return False
        assert answer.status_code == 200 and answer.json()["status"] == "submitted", answers
        return True

    wait_for(submitted, interval=1.0)

    for role in ("petugas_antar_kerja", "pengantar_kerja"):
        staff = requests.Session()
        staff.cookies = CookieJar()  # type: ignore[assignment]
        form = staff.get(f"{base}/staff/login", timeout=REQUEST_SECONDS).text
        login_csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)  # type: ignore[union-attr]
        login = staff.post(
            f"{base}/staff/login",
            timeout=REQUEST_SECONDS,
            data={
                "csrf": login_csrf,
                "username": f"kab-pasuruan.{role}",
                "password": stack.passwords[f"kab-pasuruan.{role}"],
            },
        )
        assert login.status_code == 200, login.text

        def case_in_inbox(staff: requests.Session = staff) -> str | None:
            page = staff.get(f"{base}/staff", timeout=REQUEST_SECONDS).text
            return page if case_id in page else None

        wait_for(case_in_inbox, interval=0.3)  # the stack's pump and moto's executions
        # Decisions are taken on the case page (its form carries dari=berkas), not in the inbox.
        page = staff.get(f"{base}/staff/cases/{case_id}", timeout=REQUEST_SECONDS).text
        item = re.search(r'name="item" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
        fields = {
            "csrf": csrf,
            "case_id": case_id,
            "item": item,
            "decision": "approve",
            "note": "",
            "dari": "berkas",
        }
        fields.update(
            {
                f"rec_{k}": "Email" if k == "kanal_konseling" else "Siap kerja"
                for k in ("kanal_konseling", "catatan_konseling", "pesan_untuk_pencari_kerja")
            }
            if role == "pengantar_kerja"
            else {}
        )
        decided = staff.post(f"{base}/staff/decide", data=fields, timeout=REQUEST_SECONDS)
        assert "Keputusan tersimpan" in decided.text, decided.text[-500:]

    def completed() -> bool:
        view = requests.get(f"{base}/api/cases/{case_id}", headers=headers, timeout=REQUEST_SECONDS).json()
        return bool(view["status"] == "completed")

    wait_for(completed, interval=0.3)
    mail = stack.moto_state()
    raw = [m["raw_data"] for m in mail["ses"]["RawMessage"] if case_id in m["raw_data"]]
    assert raw, "no email reached the job seeker"
