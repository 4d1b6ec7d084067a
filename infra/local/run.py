"""`make run`: the whole of Loket on this machine, with moto standing in for AWS.

Starts moto's server (Step Functions executing), creates every resource from the template,
seeds the offices with one demo staff account per role, starts `chalice local` (API and staff
pages), serves static_site/, pumps the worker queue into the worker handler, then prints the
addresses, the demo accounts (once) and a QR code of the public site. Ctrl-C stops it all.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from chalicelib.security_headers import site_headers
from chalicelib.settings import ConfigError
from infra.local.pump import RETRY_AFTER_SECONDS, ReminderTimer, WorkerPump

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "static_site"
log = logging.getLogger("loket.run")


class StackError(RuntimeError):
    """Something the person running `make run` must fix; printed as one line."""


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def check_ports(host: str, ports: dict[str, int]) -> None:
    for name, port in ports.items():
        if not 0 < port < 65536:
            raise StackError(f"{name} {port} is not a valid port number")
        if not port_free(host, port):
            raise StackError(
                f"port {port} ({name}) on {host} is in use: stop what uses it, "
                f"or choose another, e.g. `make run {name}={port + 1}`"
            )


def http_json(url: str, data: dict[str, Any] | None = None, timeout: float = 5) -> Any:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def wait_until(what: str, check: Any, timeout: float, hint: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.2)
    raise StackError(f"{what} did not answer within {timeout:.0f}s: {hint}")


def start_moto(host: str, port: int) -> Any:
    from moto.server import ThreadedMotoServer

    from infra.local import asl_cache, moto_extras, moto_json, nodelay

    moto_extras.install()
    asl_cache.install()  # each state machine parsed once, not at every case's StartExecution
    moto_extras.closing_task_tokens()  # a timed-out or used task token refused, as on AWS
    moto_extras.partition_queries()  # a Query reads its partition, not the whole table sorted
    moto_extras.untracked_items()  # no dashboard copy of every item and message ever made
    nodelay.install()  # moto's answers without Nagle's 40 ms wait on kept-alive connections
    # A cancelled transaction rolled back from the items it names, not from a copy of the whole
    # table per item: `make demo`'s month of history is some 5,000 transactions.
    moto_extras.light_transactions()
    # As safe between threads as DynamoDB (after light_transactions, so a cancelled transaction's
    # putting back is inside the same lock): moto's threaded server runs requests at once, and a
    # conditional write checked and written in separate Python steps could pass twice.
    moto_extras.serialise_dynamodb()
    moto_json.install()  # DynamoDB's item answers without moto's generic serializer

    # moto's Step Functions engine calls DynamoDB and SQS at http://localhost:$MOTO_PORT: it must
    # know our port, and reach it on loopback even when the stack is bound to a LAN address.
    os.environ["MOTO_PORT"] = str(port)
    bind = host if host in ("127.0.0.1", "localhost") else "0.0.0.0"
    server = ThreadedMotoServer(ip_address=bind, port=port, verbose=False)
    server.start()
    endpoint = f"http://{host}:{port}"
    wait_until(
        "moto",
        lambda: http_json(f"{endpoint}/moto-api/data.json") is not None,
        20,
        "check that nothing blocks loopback connections",
    )
    # Step Functions must really run the state machines (off by default in moto).
    http_json(f"{endpoint}/moto-api/config", {"stepfunctions": {"execute_state_machine": True}})
    return server


def serve_site(host: str, port: int, config_js: str, connect: tuple[str, ...] = ()) -> ThreadingHTTPServer:
    """static_site/ as it is on disk, and this run's config.js from memory: two stacks at once (a
    test beside `make run`) never overwrite each other's config, and nothing is left behind.

    Every answer carries the security headers CloudFront adds in AWS (the same policy), with
    `connect`, the origins the pages call besides the site (the API and moto's S3), in its CSP."""
    config = config_js.encode("utf-8")
    security = site_headers(connect)

    class Handler(SimpleHTTPRequestHandler):
        disable_nagle_algorithm = True  # as the API and moto (infra/local/nodelay.py)

        def log_message(self, *args: Any) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-cache")
            for name, value in security.items():
                self.send_header(name, value)
            super().end_headers()

        def send_head(self) -> Any:
            if self.path.split("?", 1)[0].split("#", 1)[0] != "/config.js":
                return super().send_head()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(config)))
            self.end_headers()
            return io.BytesIO(config)

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # a job fair's phones at once, as the API's (infra/local/nodelay.py)

    server = Server((host, port), functools.partial(Handler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, name="site", daemon=True).start()
    return server


def site_config(api_url: str, env: dict[str, str]) -> str:
    """config.js: where the public pages find the API (made per run, never written to static_site/)."""
    config = {
        "apiUrl": api_url,
        "region": os.environ["AWS_DEFAULT_REGION"],
        "applicantClientId": env["LOKET_APPLICANT_CLIENT_ID"],
        "cognitoEndpoint": os.environ["AWS_ENDPOINT_URL"],
    }
    return f"window.LOKET = {json.dumps(config, indent=2)};\n"


def print_banner(urls: dict[str, str], accounts: list[Any], public_url: str, registers: list[str]) -> None:
    import segno

    out = sys.stdout
    out.write("\n=== Loket berjalan (local) ===\n")
    for label, url in urls.items():
        out.write(f"  {label:<22} {url}\n")
    out.write("\nAkun petugas demo (sandi hanya ditampilkan sekali):\n")
    out.write(f"  {'kantor':<16} {'peran':<22} {'nama pengguna':<40} sandi\n")
    for account in accounts:
        out.write(f"  {account.office:<16} {account.role:<22} {account.username:<40} {account.password}\n")
    out.write("\nSPR contoh untuk layanan CPMI Kabupaten Pasuruan (sistem nasional tiruan):\n")
    for line in registers:
        out.write(f"  {line}\n")
    out.write(
        "Akun pemohon dibuat sendiri di situs publik; moto tidak mengirim email:\n"
        "kode konfirmasi apa pun (angka, mis. 123456) diterima.\n"
    )
    out.write(f"\nPindai untuk membuka formulir publik ({public_url}):\n")
    segno.make(public_url, error="m").terminal(out=out, compact=True)
    out.write("\nTekan Ctrl-C untuk berhenti.\n")
    out.flush()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the stack cleanly (`chalice local` and moto with it), from
    its first line on and whoever started it: a shell starts a background job with SIGINT
    ignored, which Python would keep, and `make demo`/`make load` stop the stack with SIGINT."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


def main(argv: list[str] | None = None) -> int:
    stop_on_signals()
    parser = argparse.ArgumentParser(description="Run Loket locally on moto.")
    parser.add_argument(
        "--host",
        default=os.environ.get("LOKET_HOST", "127.0.0.1"),
        help="address to bind and to put in links (a LAN address lets a phone scan the QR)",
    )
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "5000")))
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", "8000")))
    parser.add_argument("--site-port", type=int, default=int(os.environ.get("SITE_PORT", "8080")))
    parser.add_argument(
        "--time-scale",
        default=os.environ.get("LOKET_TIME_SCALE", "60"),
        help="seconds per standard minute of an SOP (60 = real time)",
    )
    parser.add_argument(
        "--retry-seconds",
        type=int,
        default=RETRY_AFTER_SECONDS,
        help=f"seconds before a failed worker task is delivered again (default {RETRY_AFTER_SECONDS}; "
        "AWS: the queue's visibility timeout, 360)",
    )
    args = parser.parse_args(argv)
    if args.retry_seconds <= 0:
        parser.error("--retry-seconds must be more than 0")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("werkzeug", "botocore", "pynamodb", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    stopping = threading.Event()
    chalice: subprocess.Popen[bytes] | None = None
    moto = site = pump = None
    try:
        check_ports(
            args.host, {"MOTO_PORT": args.moto_port, "API_PORT": args.api_port, "SITE_PORT": args.site_port}
        )
        endpoint = f"http://{args.host}:{args.moto_port}"
        # Fault injection (LOKET_FAULTS, docs/reliability.md) is for the stack once it runs, not
        # for making and seeding it: set aside now, in force for chalice local and the worker below.
        fault_names = ("LOKET_FAULTS", "LOKET_FAULTS_SEED")
        fault_setting = {k: os.environ.pop(k) for k in fault_names if k in os.environ}
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION="ap-southeast-3",
            AWS_REGION="ap-southeast-3",
        )
        moto = start_moto(args.host, args.moto_port)

        from infra.local.provision import provision
        from infra.local.seed import seed_registers, seed_staff

        site_url = f"http://{args.host}:{args.site_port}"
        api_url = f"http://{args.host}:{args.api_port}"
        env = provision(
            parameters={"PublicSiteUrl": site_url, "StaffSiteUrl": api_url, "TimeScale": str(args.time_scale)}
        )
        # moto has no GuardDuty: the stand-in scanner flags the EICAR test file (adapters/malware.py).
        env.update(
            LOKET_COGNITO_JWKS_BASE=endpoint, LOKET_SECURE_COOKIES="0", LOKET_MALWARE_SCANNER="stand-in"
        )
        os.environ.update(env)
        accounts = seed_staff(env["LOKET_STAFF_POOL_ID"])
        registers = seed_registers()
        # The pages call the API and post uploads to S3 (moto's endpoint, path-style buckets).
        site = serve_site(args.host, args.site_port, site_config(api_url, env), connect=(api_url, endpoint))
        if fault_setting.get("LOKET_FAULTS", "").strip():
            from chalicelib.adapters import faults

            faults.install(faults.from_env(fault_setting))  # the worker's clients, in this process
            os.environ.update(fault_setting)  # chalice local's (the API and the staff pages)
            log.warning("fault injection on: LOKET_FAULTS=%s", fault_setting["LOKET_FAULTS"])

        # `chalice local`, its connections without Nagle's 40 ms wait (infra/local/nodelay.py).
        chalice = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infra.local.nodelay",
                "local",
                "--host",
                args.host,
                "--port",
                str(args.api_port),
                "--stage",
                "local",
                "--no-autoreload",
            ],
            cwd=ROOT,
            env=dict(os.environ),
            start_new_session=True,
        )
        pump = WorkerPump(env["LOKET_WORKER_QUEUE_URL"], stopping, args.retry_seconds)
        pump.start()
        # The notice queue has its own pump, as it has its own event source on AWS: escalations
        # and digests never wait behind card issuing (docs/adr/0032).
        WorkerPump(env["LOKET_NOTICE_QUEUE_URL"], stopping, args.retry_seconds, name="notice-pump").start()
        # EventBridge Scheduler's daily holder reminders (infra/base.yaml), on a timer here.
        ReminderTimer(env["LOKET_NOTICE_QUEUE_URL"], stopping).start()

        def api_up() -> bool:
            if chalice is not None and chalice.poll() is not None:
                raise StackError(f"chalice local exited with code {chalice.returncode}; see its output above")
            return http_json(f"{api_url}/health").get("status") == "ok"

        wait_until("chalice local", api_up, 60, "see its output above")
        print_banner(
            {
                "Situs publik": f"{site_url}/",
                "API (health)": f"{api_url}/health",
                "Halaman petugas": f"{api_url}/staff/login",
                "moto (AWS tiruan)": endpoint,
            },
            accounts,
            f"{site_url}/",
            registers,
        )
        while not stopping.is_set():
            if chalice.poll() is not None:
                raise StackError(f"chalice local stopped (code {chalice.returncode})")
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    except (StackError, ConfigError) as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 2
    finally:
        stopping.set()
        if chalice is not None and chalice.poll() is None:
            os.killpg(chalice.pid, signal.SIGTERM)
            try:
                chalice.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(chalice.pid, signal.SIGKILL)
        if pump is not None:
            pump.join(timeout=10)
        if site is not None:
            site.shutdown()
        if moto is not None:
            moto.stop()
    print("Loket dihentikan.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
