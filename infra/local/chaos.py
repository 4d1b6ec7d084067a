"""`make chaos`: AK-1 cases of Kabupaten Pasuruan end to end while a share of AWS calls fail.

One process, as the tests run the stack: moto in-process (Step Functions executing the compiled
state machines) with every resource of the template (infra/local/provision.py) and the offices'
staff accounts (infra/local/seed.py). Then, with faults in force on Loket's own AWS clients
(adapters/faults.py; moto's own calls as AWS are never failed):

- **applicants** (threads, like phones) sign up, confirm and sign in through the API (Cognito),
  open a case with an Idempotency-Key, fill the form, upload KTP, diploma and photo by presigned
  POST and submit; a tenth of them click twice. A returned case is fixed and sent again.
- **officers** (threads, like browsers) of the two roles AK-1 names sign in on the staff pages,
  read their inbox, open each case page and decide on it: most cases approved, some returned
  once (then approved), some rejected; the counselling step records its three values.
- **the worker** is fed from the worker queue as Lambda's event source feeds it: one message per
  invocation; a failed one becomes visible again after the queue's visibility timeout (scaled
  down) and goes to the dead-letter queue after 5 receives (moto's redrive policy, as SQS).
- **the office administrator** opens the operator's desk every CHAOS_DESK_SECONDS and presses
  "Kirim ulang keputusan" for each decision it lists (one Step Functions never heard while its
  compensation failed too, and nobody pressed again: services/delivery.py).

People press again as people do: a 503 after its Retry-After (scaled down), a 429 after a
while, a 500 too (counted as a bug). Chalice keeps the request on the app object (one request at
a time per Lambda instance), so each thread here is its own instance (`one_request_per_thread`).

The run ends when every case is closed, stuck or cannot be submitted, or at the deadline. The
figures read the stack itself (moto's table, buckets, queues, sent mail and executions):

- submitted: cases whose submission the API accepted; completed / rejected: closed so;
- stuck: status `stuck`, on the operator's desk (a system task failed for good, `Macet`);
- with staff / with the applicant / in the worker queue / in the dead-letter queue / on the desk
  (a decision kept, not yet heard): not done yet at the deadline, but visible to someone (an
  open work item, a message, the desk's list);
- **lost**: submitted, and neither closed, nor stuck, nor visible anywhere (must be 0);
- duplicate cases (one applicant, one Idempotency-Key: more than one case), numbers (two
  register entries with one number, or two live numbers for one case's document), cards (more
  than one card version in the archive for a case) and emails (more of one kind to a case's
  applicant than its passes through the step that sends it; overdue digests are counted (at most one
  per role and hour: tests/unit/test_overdue_digest.py)): all must be 0.

Settings (environment): CHAOS_CASES (300), CHAOS_FAULT_RATE (0.2: half throttling, a quarter
5xx, a quarter timeouts, on every service), CHAOS_FAULTS (a whole LOKET_FAULTS value instead),
CHAOS_SEED (2026), CHAOS_APPLICANTS (6 threads), CHAOS_OFFICERS (2 per role), CHAOS_WORKERS
(8 Lambda instances), CHAOS_DEADLINE (seconds; 180 + 6 per case), CHAOS_TIME_SCALE (seconds per
standard minute of the SOP, 60 as deployed), CHAOS_VISIBILITY_SECONDS (4: the queue's 360 s),
CHAOS_PATIENCE (0.2: the share of Retry-After a person waits), CHAOS_DESK_SECONDS (10: how often
the administrator opens the desk). Exit status 1 when a case is lost, anything is duplicated or a
500 was answered. Writes out/chaos/report.json and the app's warnings to out/chaos/chaos.log.
"""

from __future__ import annotations

import email
import email.policy
import functools
import io
import json
import logging
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_SECONDS = 360  # the worker queue's, infra/base.yaml
OUT = ROOT / "out" / "chaos"
OFFICE, SERVICE = "kab-pasuruan", "ak1"
REGION = "ap-southeast-3"
SITE_URL = "http://situs-loket.chaos"
APPLICANT_PASSWORD = "rahasia123"  # noqa: S105 (moto's Cognito, in this process only)
# The smallest real PDF, one blank page (tests/upload_corpus.py `PDF`): the worker opens every
# uploaded PDF to search it for active content, so a stub would be refused as unreadable.
PDF = (
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
    b"2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n"
    b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\nendobj\nxref\n0 4\n"
    b"0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n0000000105 00000 n \n"
    b"trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)
FORM = "application/x-www-form-urlencoded"
# What the pengantar kerja records at AK-1's step 06 (counselling), the field keys of the SOP.
COUNSELLING = {
    "kanal_konseling": "Email",
    "catatan_konseling": "Minat di bidang produksi.",
    "pesan_untuk_pencari_kerja": "Lowongan operator produksi di Pasuruan.",
}
# How often a phone asks whether its uploads are checked: every 2 s for the first 30 s, then every
# 10 s (POLL_FAST_MS, POLL_FAST_FOR_MS, POLL_SLOW_MS of static_site/js/components/upload-row.js).
SCAN_POLL_FAST_SECONDS, SCAN_POLL_FAST_FOR_SECONDS, SCAN_POLL_SLOW_SECONDS = 2.0, 30.0, 10.0
# What the officer's page answers when someone (or an earlier click) decided first.
DECIDED_ALREADY = ("sudah diputuskan", "sudah habis", "sedang dikerjakan", "berpindah langkah")

log = logging.getLogger("loket.chaos")


class ChaosError(RuntimeError):
    """The run cannot go on; printed as one line."""


class GaveUp(Exception):
    """A person stopped pressing again: the deadline passed."""


# --- settings ---------------------------------------------------------------------------------------


def number_setting(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """The number setting `name` of `env` (`default` when unset or blank), from `low` to `high`;
    ChaosError, in one line, otherwise."""
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ChaosError(f"{name} must be a number, not {raw!r}") from None
    if not low <= value <= high:
        raise ChaosError(f"{name} must be from {low:g} to {high:g}, not {value:g}")
    return value


@dataclass(frozen=True)
class Options:
    cases: int
    fault_rate: float
    faults: str
    seed: int
    applicants: int
    officers: int
    workers: int
    deadline: float
    time_scale: float
    visibility: int
    patience: float
    desk_seconds: float = 10.0

    @staticmethod
    def from_env(env: dict[str, str] | os._Environ[str]) -> Options:
        def number(name: str, default: float, low: float, high: float) -> float:
            return number_setting(env, name, default, low, high)

        cases = int(number("CHAOS_CASES", 300, 1, 100_000))
        rate = number("CHAOS_FAULT_RATE", 0.2, 0, 1)
        spec = env.get("CHAOS_FAULTS", "").strip() or (
            f"*:throttle:{rate / 2:g},*:5xx:{rate / 4:g},*:timeout:{rate / 4:g}" if rate else ""
        )
        return Options(
            cases=cases,
            fault_rate=rate,
            faults=spec,
            seed=int(number("CHAOS_SEED", 2026, 0, 2**31)),
            applicants=int(number("CHAOS_APPLICANTS", 6, 1, 64)),
            officers=int(number("CHAOS_OFFICERS", 2, 1, 16)),
            workers=int(number("CHAOS_WORKERS", 8, 1, 64)),
            deadline=number("CHAOS_DEADLINE", 180 + 6 * cases, 10, 86_400),
            time_scale=number("CHAOS_TIME_SCALE", 60, 0.01, 3600),
            visibility=int(number("CHAOS_VISIBILITY_SECONDS", 4, 1, 360)),
            patience=number("CHAOS_PATIENCE", 0.2, 0, 1),
            desk_seconds=number("CHAOS_DESK_SECONDS", 10, 1, 3600),
        )


# --- the stack ----------------------------------------------------------------------------------------


@dataclass
class Stack:
    env: dict[str, str]
    mock: Any
    jwks: ThreadingHTTPServer
    passwords: dict[str, str]  # staff username -> password


def start_stack(options: Options) -> Stack:
    """moto in-process with every resource of the template, the staff accounts, the app's settings."""
    os.environ.pop("AWS_ENDPOINT_URL", None)  # a set endpoint would bypass the in-process mock
    os.environ.pop("LOKET_FAULTS", None)  # faults are put in force below, once the stack is seeded
    os.environ.update(
        AWS_ACCESS_KEY_ID="chaos",
        AWS_SECRET_ACCESS_KEY="chaos",
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
    )
    from moto import mock_aws

    from chalicelib.adapters import faults
    from chalicelib.adapters.aws import reset_clients
    from chalicelib.settings import reset_settings
    from infra.local import asl_cache, moto_extras, moto_json
    from infra.local.provision import provision
    from infra.local.seed import seed_staff

    faults.reset()
    moto_extras.light_transactions()
    moto_extras.serialise_dynamodb()  # as safe between threads as DynamoDB, as the tests make moto
    asl_cache.install()  # each state machine parsed once
    moto_extras.install()
    moto_extras.closing_task_tokens()  # a timed-out or used task token refused, as on AWS
    moto_extras.partition_queries()  # a Query reads its partition, not the whole table sorted
    moto_extras.untracked_items()  # no dashboard copy of every item and message ever made
    moto_json.install()  # DynamoDB's item answers without moto's generic serializer
    mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
    mock.start()
    reset_clients()
    env = provision(
        stack_name="chaos", parameters={"PublicSiteUrl": SITE_URL, "TimeScale": f"{options.time_scale:g}"}
    )
    jwks = serve_jwks([env["LOKET_STAFF_POOL_ID"], env["LOKET_APPLICANT_POOL_ID"]])
    env.update(
        LOKET_COGNITO_JWKS_BASE=f"http://127.0.0.1:{jwks.server_address[1]}",
        LOKET_SECURE_COOKIES="0",
        LOKET_WORKER_QUEUE_NAME="loket-worker",
        LOKET_MALWARE_SCANNER="stand-in",  # moto has no GuardDuty (chalicelib/adapters/malware.py)
    )
    os.environ.update(env)
    reset_settings()
    accounts = seed_staff(env["LOKET_STAFF_POOL_ID"])
    return Stack(env, mock, jwks, {a.username: a.password for a in accounts})


def serve_jwks(pools: list[str]) -> ThreadingHTTPServer:
    """moto's signing key set at `<base>/<pool>/.well-known/jwks.json`, as Cognito serves it."""
    import gzip
    import tempfile

    import moto.cognitoidp

    keys = gzip.decompress(
        (Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-public.json.gz").read_bytes()
    )
    root = Path(tempfile.mkdtemp(prefix="loket-chaos-jwks-"))
    for pool in pools:
        target = root / pool / ".well-known" / "jwks.json"
        target.parent.mkdir(parents=True)
        target.write_bytes(keys)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, name="jwks", daemon=True).start()
    return server


def one_request_per_thread(app: Any) -> None:
    """Chalice keeps the request being served on the app object: right in Lambda, which serves one
    request at a time per instance, wrong for threads sharing one app. Here each thread is one
    instance: the app's `current_request` and `lambda_context` are kept per thread."""
    local = threading.local()

    def slot(name: str) -> property:
        return property(
            lambda self: getattr(local, name, None), lambda self, value: setattr(local, name, value)
        )

    app.__class__ = type(
        "OneRequestPerThread",
        (type(app),),
        {"current_request": slot("current_request"), "lambda_context": slot("lambda_context")},
    )


# --- what the run counts --------------------------------------------------------------------------------


class Tally:
    """Counters shared by every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.answers: Counter[int] = Counter()
        self.bugs: list[str] = []  # "METHOD path -> 500"
        self.worker: Counter[str] = Counter()  # "done", "failed:<error>"
        self.refused: Counter[str] = Counter()  # staff refusals other than "decided already"
        self.desk: Counter[str] = Counter()  # the desk's re-sends of decisions: "sent", "heard", ...
        self.gave_up: list[str] = []

    def answer(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.answers[status] += 1
            if status >= 500 and status != 503:
                self.bugs.append(f"{method} {re.sub(r'/[a-z2-7]{24}', '/<case>', path)} -> {status}")

    def count(self, counter: str, key: str) -> None:
        with self._lock:
            getattr(self, counter)[key] += 1


@dataclass
class Plan:
    """What happens to case `number`: the officer's decision at step 5, and a double click."""

    number: int
    decision: str  # approve | return | reject
    double_click: bool
    username: str = ""
    case_id: str = ""
    submitted: bool = False
    returned: bool = False  # the officer returned it (once)
    resubmitted: bool = False
    gave_up: bool = False  # the applicant could not file it before the deadline


def plans(options: Options) -> list[Plan]:
    chooser = random.Random(options.seed)  # noqa: S311
    made = []
    for number in range(1, options.cases + 1):
        roll = chooser.random()
        decision = "approve" if roll < 0.8 else "return" if roll < 0.9 else "reject"
        made.append(Plan(number, decision, chooser.random() < 0.1))
    return made


# --- people at the API and the staff pages --------------------------------------------------------------


class Gateway:
    """API Gateway in front of the API Lambda, in this process (Chalice's LocalGateway)."""

    def __init__(self, app: Any) -> None:
        from chalice.cli.factory import CLIFactory
        from chalice.local import LocalGateway

        config = CLIFactory(str(ROOT)).create_config_obj(chalice_stage_name="dev")
        os.environ.update(config.scope("dev", "api_handler").environment_variables)
        self._gateway = LocalGateway(app, config)

    def upload(self, url: str, fields: dict[str, str], data: bytes) -> int:
        """The phone's presigned POST straight to S3 (moto's in-process S3 through `requests`):
        AWS, not Loket. Returns S3's status code."""
        import requests

        return requests.post(url, data=fields, files={"file": ("berkas", data)}, timeout=60).status_code

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        from chalice.local import LocalGatewayException
        from chalice.test import HTTPResponse

        try:
            return HTTPResponse.create_from_dict(
                self._gateway.handle_request(method=method, path=path, headers=headers, body=body)
            )
        except LocalGatewayException as exc:
            return HTTPResponse(headers=exc.headers, body=exc.body or b"", status_code=exc.CODE)


class Person:
    """Someone at a phone or a browser: presses again after a 503 (after its Retry-After), a 429
    (after a while) or a 500 (counted as a bug), until the deadline."""

    def __init__(self, gateway: Gateway, tally: Tally, options: Options, deadline: float) -> None:
        self.gateway = gateway
        self.tally = tally
        self.patience = options.patience
        self.deadline = deadline

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | str = b"") -> Any:
        data = body.encode() if isinstance(body, str) else body
        while True:
            response = self.gateway.request(method, path, headers, data)
            self.tally.answer(method, path, response.status_code)
            if response.status_code == 503:
                wait = float(response.headers.get("Retry-After") or 5) * self.patience
            elif response.status_code == 429:
                wait = 60 * self.patience
            elif response.status_code >= 500:
                wait = 5 * self.patience
            else:
                return response
            if time.monotonic() + wait > self.deadline:
                raise GaveUp(f"{method} {path}: {response.status_code}")
            time.sleep(wait)


def _json(response: Any) -> dict[str, Any]:
    return dict(json.loads(response.body or b"{}"))


def _image(size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (120, 150, 200)).save(out, "JPEG", quality=85)
    return out.getvalue()


DOCUMENTS = {  # what the applicant uploads: (content type, bytes)
    "ktp": ("image/jpeg", _image((400, 250))),
    "ijazah_terakhir": ("application/pdf", PDF),
    "pas_foto": ("image/jpeg", _image((120, 160))),
}


class Applicant(Person):
    def api(self, method: str, path: str, token: str = "", **payload: Any) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(payload.pop("headers", {}))
        return self.send(method, path, headers, json.dumps(payload))

    def sign_up(self, plan: Plan) -> str:
        """A new account (an earlier press that got through is fine), confirmed, signed in."""
        plan.username = f"pencari{plan.number:05d}"
        email_address = f"{plan.username}@pencari.chaos"
        made = self.api(
            "POST",
            "/api/account/signup",
            username=plan.username,
            password=APPLICANT_PASSWORD,
            email=email_address,
            kind="pencari_kerja",
        )
        if made.status_code not in (201, 409):
            raise ChaosError(f"sign-up answered {made.status_code}: {made.body[:200]!r}")
        self.api("POST", "/api/account/confirm", username=plan.username, code="123456")  # moto: any code
        signed = self.api("POST", "/api/account/signin", username=plan.username, password=APPLICANT_PASSWORD)
        if signed.status_code != 200:
            raise ChaosError(f"sign-in answered {signed.status_code}: {signed.body[:200]!r}")
        return str(_json(signed)["id_token"])

    def file(self, plan: Plan, form: dict[str, Any], seed: int) -> None:
        token = self.sign_up(plan)
        key = f"chaos-{seed}-{plan.number:05d}"
        clicks = 2 if plan.double_click else 1
        for _click in range(clicks):
            opened = self.api(
                "POST",
                "/api/cases",
                token,
                headers={"Idempotency-Key": key},
                office=OFFICE,
                service=SERVICE,
                email=f"{plan.username}@pencari.chaos",
            )
            if opened.status_code not in (200, 201):
                raise ChaosError(f"opening a case answered {opened.status_code}: {opened.body[:200]!r}")
        plan.case_id = str(_json(opened)["case_id"])
        saved = self.api("PUT", f"/api/cases/{plan.case_id}/form", token, form=form, confirm=[])
        if saved.status_code != 200:
            raise ChaosError(f"the form answered {saved.status_code}: {saved.body[:300]!r}")
        for document in DOCUMENTS:
            self.upload(token, plan.case_id, document)
        self.wait_checked(token, plan.case_id)
        for _click in range(clicks):
            submitted = self.api("POST", f"/api/cases/{plan.case_id}/submit", token)
            if submitted.status_code != 200:
                raise ChaosError(f"submitting answered {submitted.status_code}: {submitted.body[:300]!r}")
        plan.submitted = True
        self.token = token

    def upload(self, token: str, case_id: str, document: str) -> None:
        content_type, data = DOCUMENTS[document]
        while True:
            slot = self.api(
                "POST", f"/api/cases/{case_id}/uploads", token, document=document, content_type=content_type
            )
            if slot.status_code != 200:
                raise ChaosError(f"an upload slot answered {slot.status_code}: {slot.body[:200]!r}")
            post = _json(slot)
            sent = self.gateway.upload(post["url"], post["fields"], data)  # the phone to S3 directly
            if sent not in (200, 204):
                raise ChaosError(f"S3 refused an upload: {sent}")
            confirmed = self.api("PUT", f"/api/cases/{case_id}/documents/{document}", token, key=post["key"])
            if confirmed.status_code == 200:
                return
            raise ChaosError(
                f"confirming an upload answered {confirmed.status_code}: {confirmed.body[:200]!r}"
            )

    def wait_checked(self, token: str, case_id: str) -> None:
        """As the phone form does: wait until the worker has checked every upload (malware scan,
        photos re-encoded) before sending; a refused one is a bug here (the files are clean).
        Asked as often as the page asks (static_site/js/components/upload-row.js)."""
        asked_from = time.monotonic()
        while True:
            documents = _json(self.api("GET", f"/api/cases/{case_id}", token)).get("documents") or {}
            states = {d.get("state") for d in documents.values()}
            if "refused" in states:
                raise ChaosError(f"an upload of case {case_id} was refused: {documents}")
            if "scanning" not in states:
                return
            if time.monotonic() > self.deadline:
                raise GaveUp(f"the uploads of case {case_id} were never checked")
            fast = time.monotonic() - asked_from < SCAN_POLL_FAST_FOR_SECONDS
            time.sleep(SCAN_POLL_FAST_SECONDS if fast else SCAN_POLL_SLOW_SECONDS)

    def fix(self, plan: Plan, token: str) -> None:
        """The officer sent the file back: wait for it, upload what was named again, send it again."""
        while True:
            view = self.api("GET", f"/api/cases/{plan.case_id}", token)
            state = _json(view)
            if state.get("status") == "returned":
                break
            if time.monotonic() > self.deadline:
                raise GaveUp(f"case {plan.case_id} never came back to its applicant")
            time.sleep(0.5)
        for document in state.get("returned_items") or []:
            self.upload(token, plan.case_id, document)
        self.wait_checked(token, plan.case_id)
        while True:
            submitted = self.api("POST", f"/api/cases/{plan.case_id}/submit", token)
            if submitted.status_code == 200:
                break
            # 409 "Berkas sedang diproses; coba kirim lagi sebentar": the case is marked returned
            # a moment before Step Functions waits for it again. The person tries again shortly.
            if submitted.status_code != 409 or time.monotonic() > self.deadline:
                raise ChaosError(f"sending a returned case again answered {submitted.status_code}")
            time.sleep(1)
        plan.resubmitted = True


_INBOX_ROW = re.compile(r'<tr class="file[^"]*" data-case="([^"]*)" data-item="([^"]*)"')
_CSRF = re.compile(r'<input type="hidden" name="csrf" value="([^"]*)">')
_RESEND_FORM = re.compile(r'<form method="post" action="[^"]*/staff/admin/desk/resend".*?</form>', re.S)
_DESK_HIDDEN = re.compile(r'<input type="hidden" name="(csrf|kantor|case_id|item)" value="([^"]*)">')
_LOGIN_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def _cookie(response: Any, name: str) -> str:
    """The value a response's Set-Cookie header(s) give cookie `name` ("" when none)."""
    raw = response.headers.get("Set-Cookie") or ""
    for header in raw if isinstance(raw, list) else [raw]:
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";")[0]
    return ""


class Officer(Person):
    """One member of staff of `role` at a browser, signed in on the staff pages."""

    def __init__(self, role: str, password: str, *args: Any) -> None:
        super().__init__(*args)
        self.role = role
        self.username = f"{OFFICE}.{role}"
        self.password = password
        self.cookie = ""

    def sign_in(self) -> None:
        """The sign-in page, then its form posted with the page's CSRF token and cookie."""
        form_page = self.send("GET", "/staff/login", {})
        token = _LOGIN_CSRF.search(form_page.body.decode())
        login_cookie = _cookie(form_page, "loket_masuk")
        if form_page.status_code != 200 or token is None or not login_cookie:
            raise ChaosError(f"{self.username}: no sign-in form ({form_page.status_code})")
        fields = {"csrf": token.group(1), "username": self.username, "password": self.password}
        headers = {"Content-Type": FORM, "Cookie": f"loket_masuk={login_cookie}"}
        answer = self.send("POST", "/staff/login", headers, urllib.parse.urlencode(fields))
        session = _cookie(answer, "loket_staff")
        if answer.status_code != 303 or not session:
            raise ChaosError(f"{self.username} could not sign in: {answer.status_code}")
        self.cookie = f"loket_staff={session}"

    def page(self, path: str) -> Any:
        answer = self.send("GET", path, {"Cookie": self.cookie})
        if answer.status_code == 303 and "/staff/login" in answer.headers.get("Location", ""):
            self.sign_in()  # the session ran out
            answer = self.send("GET", path, {"Cookie": self.cookie})
        return answer

    def inbox(self) -> list[dict[str, str]]:
        """The open items of the inbox (one line each), each as the case page's decision form
        names it (csrf, case_id, item)."""
        answer = self.page("/staff")
        if answer.status_code != 200:
            return []
        html = answer.body.decode()
        csrf = _CSRF.search(html)
        token = csrf.group(1) if csrf else ""
        return [
            {"csrf": token, "case_id": case_id, "item": unescape(item)}
            for case_id, item in _INBOX_ROW.findall(html)
        ]

    def post_form(self, path: str, fields: dict[str, str]) -> Any:
        """POST a staff page's form with this officer's cookie; the page's answer."""
        return self.send(
            "POST", path, {"Content-Type": FORM, "Cookie": self.cookie}, urllib.parse.urlencode(fields)
        )

    def decide(self, item: dict[str, str], decision: str, note: str = "", **fields: str) -> str:
        """Decide on the item; returns "done", "already" (decided by an earlier click or someone
        else, or the step moved on) or the page's refusal."""
        self.page(f"/staff/cases/{item['case_id']}")  # the officer reads the file first
        form = {**item, "decision": decision, "note": note, "dari": "berkas", "back": "case"}
        form.update({f"rec_{k}": v for k, v in fields.items()})
        if decision == "return":
            form["item_ktp"] = "1"  # the document to send again
        answer = self.post_form("/staff/decide", form)
        location = urllib.parse.unquote(answer.headers.get("Location", ""))
        if "pesan=" in location:
            return "done"
        if "/staff/login" in location:
            self.sign_in()
            return "again"
        refusal = location.partition("galat=")[2] or f"HTTP {answer.status_code}"
        if any(words in refusal for words in DECIDED_ALREADY):
            return "already"
        return refusal


class Operator(Officer):
    """The office administrator at the operator's desk."""

    def resend_decisions(self) -> None:
        """Open the desk and press "Kirim ulang keputusan" for each decision it lists."""
        answer = self.page(f"/staff/admin/desk?kantor={OFFICE}")
        if answer.status_code != 200:
            return
        for form in _RESEND_FORM.findall(answer.body.decode()):
            fields = dict(_DESK_HIDDEN.findall(form))
            sent = self.post_form("/staff/admin/desk/resend", fields)
            location = urllib.parse.unquote(sent.headers.get("Location", ""))
            if "dikirim ulang ke mesin alur" in location:
                self.tally.count("desk", "sent")
            elif "sudah diterima mesin alur" in location:
                self.tally.count("desk", "heard already")
            else:
                self.tally.count(
                    "desk", (location.partition("galat=")[2] or f"HTTP {sent.status_code}")[:100]
                )


# --- the worker, fed as Lambda's SQS event source feeds it ------------------------------------------


def pump(queue_url: str, visibility: int, tally: Tally, stopping: threading.Event) -> None:
    """One worker Lambda instance: a message at a time; a failure leaves it for SQS to deliver again
    after the (scaled) visibility timeout, and moto's redrive policy dead-letters it after 5."""
    import boto3

    from app import app
    from infra.local.pump import sqs_event

    handler = app.handler_map["worker"]
    sqs = boto3.client("sqs", region_name=REGION)  # AWS's event source: never failed on purpose
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    while not stopping.is_set():
        try:
            got = sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=1, AttributeNames=["All"]
            )
        except ValueError:  # moto's SQS: two receivers moving one message to the dead-letter queue
            tally.count("worker", "receive failed (moto)")
            continue
        for message in got.get("Messages", []):
            try:
                handler(sqs_event(message, arn, REGION), None)
            except Exception as exc:
                tally.count("worker", f"failed: {exc.__class__.__name__}")
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=visibility
                )
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            tally.count("worker", "done")


# --- the run ----------------------------------------------------------------------------------------------


class Run:
    def __init__(self, options: Options, stack: Stack) -> None:
        from app import app
        from chalicelib.services.catalog import find_service
        from tests.forms import sample_form

        one_request_per_thread(app)
        self.options = options
        self.stack = stack
        self.gateway = Gateway(app)
        self.tally = Tally()
        self.plans = plans(options)
        self.by_case: dict[str, Plan] = {}
        self.started = time.monotonic()
        self.deadline = self.started + options.deadline
        self.stopping = threading.Event()
        self.fixes: list[tuple[Plan, str]] = []
        self._lock = threading.Lock()
        entry = find_service(OFFICE, SERVICE)
        assert entry is not None
        self.form = sample_form(entry.sop)
        self.tokens: dict[int, str] = {}

    # applicants: a pool of phones, filing the planned cases in order, then fixing returned ones
    def applicant_loop(self, numbers: Iterator[int]) -> None:
        from tests.forms import nik_for

        person = Applicant(self.gateway, self.tally, self.options, self.deadline)
        for index in numbers:
            if self.stopping.is_set():
                return
            plan = self.plans[index]
            try:
                # One person per case: each its own NIK (one valid AK-1 per NIK per office).
                form = {**self.form, "identitas": {**self.form["identitas"], "nik": nik_for(plan.number)}}
                person.file(plan, form, self.options.seed)
            except (GaveUp, ChaosError) as exc:
                with self._lock:
                    plan.gave_up = True
                    self.tally.gave_up.append(f"case {plan.number}: {exc}")
                continue
            with self._lock:
                self.by_case[plan.case_id] = plan
                self.tokens[plan.number] = person.token
        while not self.stopping.is_set():
            with self._lock:
                job = self.fixes.pop() if self.fixes else None
            if job is None:
                if self.all_filed() and not self.returns_pending():
                    return
                time.sleep(0.2)
                continue
            plan, token = job
            try:
                person.fix(plan, token)
            except (GaveUp, ChaosError) as exc:
                with self._lock:
                    self.tally.gave_up.append(f"case {plan.number} (returned): {exc}")

    def all_filed(self) -> bool:
        return all(p.submitted or p.gave_up for p in self.plans)

    def returns_pending(self) -> bool:
        return any(p.decision == "return" and p.submitted and not p.resubmitted for p in self.plans)

    # officers: each reads the inbox, opens each case and decides by the plan
    def officer_loop(self, role: str) -> None:
        password = self.stack.passwords[f"{OFFICE}.{role}"]
        officer = Officer(role, password, self.gateway, self.tally, self.options, self.deadline)
        try:
            officer.sign_in()
            while not self.stopping.is_set():
                items = [i for i in officer.inbox() if i.get("case_id") in self.by_case]
                if not items:
                    time.sleep(0.3)
                    continue
                random.shuffle(items)  # two officers of a role do not take the same row first
                for item in items:
                    if self.stopping.is_set():
                        return
                    self.decide(officer, item)
        except GaveUp:
            return

    # the office administrator: the operator's desk, now and then
    def operator_loop(self) -> None:
        username = f"{OFFICE}.admin"
        password = self.stack.passwords[username]
        operator = Operator("admin", password, self.gateway, self.tally, self.options, self.deadline)
        try:
            operator.sign_in()
            while not self.stopping.wait(self.options.desk_seconds):
                operator.resend_decisions()
        except GaveUp:
            return

    def decide(self, officer: Officer, item: dict[str, str]) -> None:
        plan = self.by_case[item["case_id"]]
        step = item["item"].split("#")[1]
        fields: dict[str, str] = {}
        note = ""
        decision = "approve"
        if step == "05" and plan.decision == "return" and not plan.returned:
            decision, note = "return", "Foto KTP buram, unggah ulang."
        elif step == "05" and plan.decision == "reject":
            decision, note = "reject", "KTP bukan milik pemohon."
        elif step == "06":
            fields = dict(COUNSELLING)
        outcome = officer.decide(item, decision, note, **fields)
        if outcome in ("done", "already"):
            if decision == "return":
                with self._lock:
                    if not plan.returned:
                        plan.returned = True
                        self.fixes.append((plan, self.tokens[plan.number]))
        elif outcome != "again":
            self.tally.count("refused", outcome[:120])

    def run(self) -> None:
        from chalicelib.adapters import effects, faults

        # The queue's visibility timeout is scaled down (360 s -> CHAOS_VISIBILITY_SECONDS); an
        # effect's lease with it, in the deployed proportion (90 s : 360 s), so that a delivery
        # after a failure finds a leftover lease expired as it would in AWS.
        effects.LEASE_SECONDS = max(
            1, round(self.options.visibility * effects.LEASE_SECONDS / VISIBILITY_SECONDS)
        )
        injector = faults.Injector(faults.parse(self.options.faults), self.options.seed)
        faults.install(injector)
        self.injector = injector
        threads = []
        for n in range(self.options.workers):
            threads.append(
                threading.Thread(
                    target=pump,
                    args=(
                        self.stack.env["LOKET_WORKER_QUEUE_URL"],
                        self.options.visibility,
                        self.tally,
                        self.stopping,
                    ),
                    name=f"worker-{n}",
                )
            )
        threads.append(  # the notice queue's own event source (escalations, digests: ADR 0032)
            threading.Thread(
                target=pump,
                args=(
                    self.stack.env["LOKET_NOTICE_QUEUE_URL"],
                    self.options.visibility,
                    self.tally,
                    self.stopping,
                ),
                name="notices",
            )
        )
        for role in ("petugas_antar_kerja", "pengantar_kerja"):
            for n in range(self.options.officers):
                threads.append(threading.Thread(target=self.officer_loop, args=(role,), name=f"{role}-{n}"))
        threads.append(threading.Thread(target=self.operator_loop, name="operator"))
        numbers = iter(range(len(self.plans)))
        shared = _Shared(numbers)
        for n in range(self.options.applicants):
            threads.append(
                threading.Thread(target=self.applicant_loop, args=(shared,), name=f"applicant-{n}")
            )
        for thread in threads:
            thread.start()
        try:
            self.watch()
        finally:
            self.stopping.set()
            for thread in threads:
                thread.join(timeout=120)
            faults.install(None)

    def watch(self) -> None:
        """Until every case is closed or stuck (its execution ended) or cannot be filed, or the deadline."""
        import boto3

        dynamodb = boto3.client("dynamodb", region_name=REGION)
        table = self.stack.env["LOKET_TABLE"]
        shown = 0.0
        while time.monotonic() < self.deadline:
            time.sleep(3)
            with self._lock:
                cases = list(self.by_case)
            statuses = case_statuses(dynamodb, table, cases)
            running = running_cases(self.stack.env)
            dead_letters = queue_bodies(self.stack.env)["dlq"]
            done = [
                c
                for c in cases
                if (statuses.get(c) in ("completed", "rejected", "stuck") and c not in running)
                or c in dead_letters  # the operator's now: its task's timeout marks it stuck in an hour
            ]
            if time.monotonic() - shown > 15:
                shown = time.monotonic()
                counts = Counter(statuses.values())
                print(
                    f"  {time.monotonic() - self.started:6.0f}s  filed {len(cases)}/{len(self.plans)}  "
                    + "  ".join(f"{k} {v}" for k, v in sorted(counts.items())),
                    flush=True,
                )
            if self.all_filed() and len(done) == len(cases):
                return


class _Shared:
    """The planned cases, handed out one at a time to the applicants' threads."""

    def __init__(self, numbers: Iterator[int]) -> None:
        self._numbers = numbers
        self._lock = threading.Lock()

    def __iter__(self) -> _Shared:
        return self

    def __next__(self) -> int:
        with self._lock:
            return next(self._numbers)


def case_statuses(dynamodb: Any, table: str, case_ids: list[str]) -> dict[str, str]:
    """case id -> its status, for the cases of `case_ids` the table holds."""
    return {c: item["status"] for c, item in case_fields(dynamodb, table, case_ids, ("status",)).items()}


def case_fields(
    dynamodb: Any, table: str, case_ids: list[str], names: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    """case id -> the string attributes `names` of its case item (those it has), by BatchGetItem
    of 100 keys at a time; `dynamodb` is a boto3 DynamoDB client."""
    found: dict[str, dict[str, str]] = {}
    aliases = {f"#a{n}": name for n, name in enumerate(("case_id", *names))}
    for start in range(0, len(case_ids), 100):
        keys = [{"PK": {"S": f"CASE#{c}"}, "SK": {"S": "#CASE"}} for c in case_ids[start : start + 100]]
        pending: dict[str, Any] = {
            table: {
                "Keys": keys,
                "ProjectionExpression": ", ".join(aliases),
                "ExpressionAttributeNames": aliases,
            }
        }
        while pending:
            got = dynamodb.batch_get_item(RequestItems=pending)
            for item in got["Responses"].get(table, []):
                found[item["case_id"]["S"]] = {
                    k: v["S"] for k, v in item.items() if "S" in v and k != "case_id"
                }
            pending = got.get("UnprocessedKeys") or {}
    return found


def running_cases(env: dict[str, str]) -> set[str]:
    """The cases whose execution still runs (an execution is named after its case)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.stepfunctions.responses import get_backend

    names = set()
    for machine in list(get_backend(DEFAULT_ACCOUNT_ID, REGION).state_machines):
        if machine.name.endswith(f"{OFFICE}-{SERVICE}"):
            names |= {e.name for e in list(machine.executions) if e.status == "RUNNING"}
    return names


# --- the figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    planned: int = 0
    submitted: int = 0
    not_submitted: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    with_staff: int = 0
    with_applicant: int = 0
    in_queue: int = 0
    in_dlq: int = 0
    on_desk: int = 0  # a decision kept on its item, not yet heard by Step Functions
    decisions: Counter[str] = field(default_factory=Counter)  # resent, void (services/delivery.py)
    lost: list[dict[str, Any]] = field(default_factory=list)
    stuck: list[dict[str, Any]] = field(default_factory=list)
    duplicate_cases: int = 0
    duplicate_numbers: list[str] = field(default_factory=list)
    duplicate_cards: list[str] = field(default_factory=list)
    duplicate_emails: list[str] = field(default_factory=list)
    missing_emails: list[str] = field(default_factory=list)
    escalations: int = 0


def tally_stack(run: Run) -> Figures:
    """What the stack holds once the run is over, case by case."""
    import boto3

    env = run.stack.env
    figures = Figures(planned=len(run.plans))
    submitted = {p.case_id: p for p in run.plans if p.submitted}
    figures.submitted = len(submitted)
    figures.not_submitted = len(run.plans) - len(submitted)
    items = scan(boto3.client("dynamodb", region_name=REGION), env["LOKET_TABLE"])
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_kind[item.get("kind", "?")].append(item)
    cases = {c["case_id"]: c for c in by_kind["case"]}
    owners = Counter(c.get("applicant_sub") for c in cases.values())
    figures.duplicate_cases = sum(n - 1 for n in owners.values() if n > 1)
    open_items: dict[str, list[str]] = defaultdict(list)
    kept: set[str] = set()  # cases with a decision Step Functions has not heard: on the desk
    for work in by_kind["work_item"]:
        if work.get("status") == "open":
            open_items[work["case_id"]].append(work.get("role", "?"))
        elif work.get("status") == "answered" and work.get("pending_output") and not work.get("delivered_at"):
            kept.add(work["case_id"])
    for event in by_kind["audit"]:
        if event.get("action") in ("decision_resent", "decision_void"):
            figures.decisions[str(event["action"]).removeprefix("decision_")] += 1
    queued = queue_bodies(env)
    executions = execution_statuses()
    for case_id, plan in submitted.items():
        case = cases.get(case_id, {})
        status = str(case.get("status", "missing"))
        figures.statuses[status] += 1
        if status in ("completed", "rejected"):
            continue
        about = {
            "case": case_id,
            "plan": plan.decision,
            "status": status,
            "execution": executions.get(case_id, "none"),
            "open_items": open_items.get(case_id, []),
            "fault": case.get("fault"),
        }
        if status == "stuck":
            figures.stuck.append(about)
        elif any(role != "pemohon" for role in open_items.get(case_id, [])):
            figures.with_staff += 1
        elif open_items.get(case_id):
            figures.with_applicant += 1
        elif case_id in queued["worker"]:
            figures.in_queue += 1
        elif case_id in queued["dlq"]:
            figures.in_dlq += 1
        elif case_id in kept:
            figures.on_desk += 1
        else:
            figures.lost.append({**about, **history(env, case_id, by_kind)})
    figures.duplicate_numbers = duplicate_numbers(by_kind["letter_number"])
    figures.duplicate_cards = duplicate_cards(env, submitted)
    duplicate, missing, escalations = emails(run, cases)
    figures.duplicate_emails, figures.missing_emails, figures.escalations = duplicate, missing, escalations
    return figures


def history(env: dict[str, str], case_id: str, by_kind: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What tells where a lost case went: its work items, its audit trail, its execution's last events."""
    import boto3

    items = [
        f"{w['SK']} {w.get('status')} by {w.get('answered_by', '-')} token ..{str(w.get('task_token'))[-8:]}"
        for w in by_kind["work_item"]
        if w.get("case_id") == case_id
    ]
    trail = sorted(
        (str(a["SK"]), str(a.get("action")), str(a.get("step")))
        for a in by_kind["audit"]
        if a["PK"] == f"CASE#{case_id}"
    )
    machine = f"{env['LOKET_STATE_MACHINE_PREFIX']}{OFFICE}-{SERVICE}"
    arn = f"{machine.replace(':stateMachine:', ':execution:', 1)}:{case_id}"
    try:
        events = boto3.client("stepfunctions", region_name=REGION).get_execution_history(
            executionArn=arn, reverseOrder=True, maxResults=8
        )["events"]
        last = [
            f"{e['type']} {next((v.get('name', '') for k, v in e.items() if k.endswith('EventDetails')), '')}"
            for e in events
        ]
    except Exception as exc:  # the history is a diagnosis; a failure to read it is one too
        last = [f"history unreadable: {exc.__class__.__name__}"]
    return {"work_items": items, "trail": [f"{a} step {s}" for _sk, a, s in trail][-8:], "last_events": last}


def scan(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    """Every item of the table, as plain values (strings and numbers)."""
    from boto3.dynamodb.types import TypeDeserializer

    plain = TypeDeserializer()
    found = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        found += [{k: plain.deserialize(v) for k, v in item.items()} for item in page["Items"]]
    return found


def queue_bodies(env: dict[str, str]) -> dict[str, str]:
    """The text of every message in the worker and notice queues ("worker") and their dead-letter
    queue ("dlq"), visible or not."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sqs.models import sqs_backends

    backend = sqs_backends[DEFAULT_ACCOUNT_ID][REGION]
    worker = env["LOKET_WORKER_QUEUE_URL"].rsplit("/", 1)[-1]
    notices = env["LOKET_NOTICE_QUEUE_URL"].rsplit("/", 1)[-1]  # escalations, digests (ADR 0032)
    texts = {"worker": "", "dlq": ""}
    for name, queue in backend.queues.items():
        if name in (worker, notices):
            texts["worker"] += " ".join(m.body for m in list(queue._messages)) + " "
        elif queue.queue_arn == (backend.queues[worker].redrive_policy or {}).get("deadLetterTargetArn"):
            texts["dlq"] = " ".join(m.body for m in list(queue._messages))
    return texts


def execution_statuses() -> dict[str, str]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.stepfunctions.responses import get_backend

    found = {}
    for machine in list(get_backend(DEFAULT_ACCOUNT_ID, REGION).state_machines):
        if machine.name.endswith(f"{OFFICE}-{SERVICE}"):
            found.update({e.name: str(e.status) for e in list(machine.executions)})
    return found


def duplicate_numbers(entries: list[dict[str, Any]]) -> list[str]:
    """Numbers given twice, and documents of a case holding two live numbers."""
    found = []
    by_number = Counter(str(e["number"]) for e in entries)
    found += [f"number {n} in the register {k} times" for n, k in by_number.items() if k > 1]
    live = Counter((str(e["case_id"]), str(e["document"])) for e in entries if not e.get("void_reason"))
    found += [f"case {c} {d}: {k} live numbers" for (c, d), k in live.items() if k > 1]
    return found


def card_versions(s3: Any, bucket: str) -> dict[str, set[str]]:
    """case id -> the names of the AK-1 card versions the documents bucket holds for it
    (keys `cases/<case>/kartu_ak1/<name>`); `s3` is a boto3 S3 client."""
    versions: dict[str, set[str]] = defaultdict(set)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="cases/"):
        for item in page.get("Contents", []):
            _cases, case_id, product, name = item["Key"].split("/", 3)
            if product == "kartu_ak1":
                versions[case_id].add(name)
    return versions


def duplicate_cards(env: dict[str, str], submitted: dict[str, Plan]) -> list[str]:
    import boto3

    versions = card_versions(boto3.client("s3", region_name=REGION), env["LOKET_DOCUMENTS_BUCKET"])
    return [f"case {c}: {len(v)} cards ({', '.join(sorted(v))})" for c, v in versions.items() if len(v) > 1]


SUBJECTS = {  # the applicant's emails of AK-1, by words of their subject (templates/email/*.txt)
    "Anda telah terbit": "documents_issued",  # "<documents> Anda telah terbit - <code>"
    "Berkas diterima": "received",
    "Berkas Anda perlu dilengkapi": "returned",
    "Berkas Anda tidak dapat diproses": "closed_rejected",
    "Berkas Anda selesai": "closed_completed",
    "Berkas Anda kedaluwarsa": "closed_expired",
    "Perkembangan berkas Anda": "step_notice",
}
# A subject ends with " - <the case's code as shown>" (`K7Q-M3X-D2F`, domain/case_code.py), or
# with the long case id for a case filed before codes were given.
CASE_REFERENCE = re.compile(r" - ((?:[0-9A-Z]{3}-){2}[0-9A-Z]{3}|[a-z2-7]{24})$")
# The Kasi's hourly overdue digest (services/overdue.py): "<n> berkas lewat waktu baku: <role>, ...".
# It names no case in its subject; tests/unit/test_overdue_digest.py proves it once per hour.
DIGEST = re.compile(r"^\d+ berkas lewat waktu baku: ")


def mail_kinds(raw_messages: Iterable[str]) -> tuple[Counter[tuple[str, str]], int]:
    """The applicants' emails among `raw_messages` (raw MIME texts, as SES sent them) counted by
    (the case's reference, kind of SUBJECTS or "other"), and the overdue digests (which name no
    case). The reference is the case's code as the table keeps it (`K7QM3XD2F`, the case item's
    `code`), or its long id for a case without a code: `case_references` maps either to the id."""
    counted: Counter[tuple[str, str]] = Counter()
    digests = 0
    for raw in raw_messages:
        parsed = email.message_from_string(raw, policy=email.policy.default)
        subject = str(parsed["Subject"] or "")
        if DIGEST.match(subject):
            digests += 1
            continue
        kind = next((k for words, k in SUBJECTS.items() if words in subject), "other")
        found = CASE_REFERENCE.search(subject.strip())
        if found:
            counted[(found.group(1).replace("-", ""), kind)] += 1
    return counted, digests


def case_references(cases: Iterable[dict[str, Any]]) -> dict[str, str]:
    """A case's reference in an email subject (its code, else its long id) -> its case id, for
    case items as the table holds them (`case_id`, `code`)."""
    found = {}
    for case in cases:
        found[str(case["case_id"])] = str(case["case_id"])
        if case.get("code"):
            found[str(case["code"])] = str(case["case_id"])
    return found


def emails(run: Run, cases: dict[str, dict[str, Any]]) -> tuple[list[str], list[str], int]:
    """Duplicate and missing applicant emails by kind, and the overdue digests sent."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)
    by_reference, digests = mail_kinds(str(getattr(message, "raw_data", "")) for message in sent)
    ids = case_references(cases.values())
    counted: Counter[tuple[str, str]] = Counter()
    for (reference, kind), n in by_reference.items():
        counted[(ids.get(reference, reference), kind)] += n
    duplicate: list[str] = []
    missing = []
    for plan in run.plans:
        if not plan.submitted:
            continue
        status = str(cases.get(plan.case_id, {}).get("status"))
        # At most: one notice per return, the card once (unless rejected), the rejection once.
        allowed = Counter(
            received=1,  # "Berkas diterima": one effect per case, however often it is submitted
            returned=int(plan.returned),
            documents_issued=int(plan.decision != "reject"),
            closed_rejected=int(plan.decision == "reject"),
        )
        # At least, once the case is closed: all of them.
        expected = Counter(returned=int(plan.returned))
        expected["documents_issued" if status == "completed" else "closed_rejected"] = int(
            status in ("completed", "rejected")
        )
        for kind in {k for c, k in counted if c == plan.case_id} | set(expected):
            got = counted[(plan.case_id, kind)]
            if got > allowed[kind]:
                duplicate.append(f"case {plan.case_id}: {kind} x{got} (at most {allowed[kind]})")
            elif got < expected[kind] and status in ("completed", "rejected"):
                missing.append(f"case {plan.case_id}: {kind} x{got} (expected {expected[kind]})")
    return duplicate, missing, digests


def report(run: Run, figures: Figures, wall: float) -> int:
    tally = run.tally
    injected = run.injector.summary()
    answers = tally.answers
    decisions = Counter(p.decision for p in run.plans)
    statuses = figures.statuses
    row = "  {:<24}{}".format
    lines = [
        f"=== make chaos: {figures.planned} AK-1 cases of {OFFICE}, faults "
        f"{run.options.faults or 'none'} (seed {run.options.seed}) ===",
        row(
            "planned",
            f"{figures.planned}  (approve {decisions['approve']}, return then approve "
            f"{decisions['return']}, reject {decisions['reject']}; "
            f"double clicks {sum(p.double_click for p in run.plans)})",
        ),
        row("submitted", f"{figures.submitted}  (not submitted: {figures.not_submitted})"),
        row("completed", statuses["completed"]),
        row("rejected", statuses["rejected"]),
        row("stuck (status `stuck`)", len(figures.stuck)),
        row(
            "unfinished, visible",
            f"with staff {figures.with_staff}, with the applicant {figures.with_applicant}, "
            f"in the worker queue {figures.in_queue}, in the dead-letter queue {figures.in_dlq}, "
            f"decisions kept for the desk {figures.on_desk}",
        ),
        row("lost", f"{len(figures.lost)}  (must be 0)"),
        row("duplicate cases", f"{figures.duplicate_cases}  (must be 0)"),
        row("duplicate numbers", f"{len(figures.duplicate_numbers)}  (must be 0)"),
        row("duplicate cards", f"{len(figures.duplicate_cards)}  (must be 0)"),
        row(
            "duplicate emails",
            f"{len(figures.duplicate_emails)}  (must be 0; missing {len(figures.missing_emails)}, "
            f"overdue digests {figures.escalations})",
        ),
        row(
            "answers (API, staff)",
            f"{sum(answers.values())}: "
            + ", ".join(f"{s} x{n}" for s, n in sorted(answers.items()))
            + f"; 500s {len(tally.bugs)} (must be 0)",
        ),
        row("worker deliveries", ", ".join(f"{k} {n}" for k, n in sorted(tally.worker.items()))),
        row(
            "kept decisions",
            f"sent again {figures.decisions['resent']} (by a click or the desk), "
            f"void {figures.decisions['void']}",
        ),
        row("desk re-sends", ", ".join(f"{k} {n}" for k, n in sorted(tally.desk.items())) or "none"),
        row("staff refusals", ", ".join(f"{k!r} x{n}" for k, n in tally.refused.most_common()) or "none"),
        row("gave up", len(tally.gave_up)),
        row("AWS attempts", ", ".join(f"{k} {n}" for k, n in sorted(injected["attempts"].items()))),
        row(
            "faults injected",
            f"{sum(injected['injected'].values())}: "
            + ", ".join(f"{k} {n}" for k, n in injected["injected"].items()),
        ),
        row("botocore retries", ", ".join(f"{k} {n}" for k, n in sorted(injected["retries"].items()))),
        row("wall time", f"{wall // 60:.0f} min {wall % 60:.0f} s"),
    ]
    print("\n".join(lines), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    details = {
        "options": run.options.__dict__,
        "figures": {k: (dict(v) if isinstance(v, Counter) else v) for k, v in figures.__dict__.items()},
        "answers": dict(answers),
        "bugs": tally.bugs,
        "worker": dict(tally.worker),
        "refused": dict(tally.refused),
        "desk": dict(tally.desk),
        "gave_up": tally.gave_up,
        "faults": injected,
        "plans": {p.case_id or f"not filed {p.number}": p.decision for p in run.plans},
        "wall_seconds": round(wall, 1),
    }
    (OUT / "report.json").write_text(json.dumps(details, indent=1, default=str), encoding="utf-8")
    bad = (
        len(figures.lost)
        + figures.duplicate_cases
        + len(figures.duplicate_numbers)
        + len(figures.duplicate_cards)
        + len(figures.duplicate_emails)
        + len(tally.bugs)
    )
    return 1 if bad else 0


def quiet_logs() -> None:
    """The app's warnings and errors (a busy AWS is logged as one) go to out/chaos/chaos.log."""
    OUT.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(OUT / "chaos.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(threadName)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    from app import app  # Chalice gives the app's logger ("loket") a handler of its own: stderr

    app.log.handlers[:] = [handler]


def main(argv: list[str] | None = None) -> int:
    from chalicelib.adapters import faults
    from chalicelib.settings import ConfigError

    try:
        options = Options.from_env(os.environ)

        faults.parse(options.faults)  # a bad CHAOS_FAULTS is one line, before anything starts
    except (ChaosError, ConfigError) as exc:
        print(f"make chaos: {exc}", file=sys.stderr)
        return 2
    quiet_logs()
    print(
        f"make chaos: {options.cases} cases, faults {options.faults or 'none'}, seed {options.seed}, "
        f"deadline {options.deadline:.0f}s; starting moto and the stack...",
        flush=True,
    )
    began = time.monotonic()
    stack = start_stack(options)
    run = Run(options, stack)
    try:
        run.run()
        figures = tally_stack(run)
        if figures.lost:  # moto's execution threads may be between two states: look again once
            time.sleep(5)
            figures = tally_stack(run)
        return report(run, figures, time.monotonic() - began)
    finally:
        stack.jwks.shutdown()
        stack.mock.stop()


if __name__ == "__main__":
    sys.exit(main())
