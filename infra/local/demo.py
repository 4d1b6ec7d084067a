"""`make demo`: one case of every public service of both offices, filed and worked as people would.

It uses the stack `make run` started (found on its default ports), or starts one itself. Every
step goes through the public API and the staff pages over HTTP: applicants sign up, fill the
form, upload and submit; each step is decided on the case page by the demo account of the role
the SOP names; the worker does the rest. What the offices issued (the PDFs) and every email sent
are written under `out/demo/`, and a table of the cases, the steps taken and the time against
the standard is printed.

One thing is not done as a person would: the demo staff passwords, printed once by `make run`,
are set again here through the local moto's Cognito (loopback only), so the demo can sign in.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import boto3
import requests

from chalicelib.sop.compiler import queue_role
from chalicelib.sop.durations import parse_minutes
from chalicelib.sop.loader import list_offices, list_services, load_service
from chalicelib.sop.schema import ServiceStandard

# How long the demo waits for the worker to check a case's uploads before it submits (the scan
# and the re-encoding run on the worker's queue, seconds each on a quiet machine).
SUBMIT_WAIT_SECONDS = 180

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "demo"
PASSWORD = "DemoLoket2026x"  # noqa: S105 (demo accounts of the local moto only; staff pool policy)
APPLICANT_PASSWORD = "demoloket123"  # noqa: S105
CLOSED = ("completed", "rejected", "expired")
ORGANISATIONS = {
    "perusahaan": "PT CONTOH INDUSTRI NUSANTARA",
    "sekolah": "SMK NEGERI 1 CONTOH",
    "p3mi": "PT CONTOH PENEMPATAN MIGRAN",  # the agency of make run's demo SPRs
}
DEMO_SPR = "SPR/2026/0001"
# Valid sample values by field type (the NIK matches a woman born 17 August 1995).
SAMPLE = {
    "name": "BUDI PRASETYO",
    "text": "CONTOH",
    "textarea": "JL. CONTOH NO. 1, PASURUAN",
    "number": "2",
    "money": "1500000",
    "date": "1995-08-17",
    "year": "2015",
    "nik": "3514015708950001",
    "email": "contoh@contoh.id",
    "phone": "081234567890",
}


# What a person would type in the fields the letters print, so the demo's PDFs read like real ones.
DEMO_VALUES = {
    "nama_perusahaan": "PT CONTOH SEJAHTERA",
    "bidang_usaha": "INDUSTRI KOMPONEN OTOMOTIF",
    "nib": "9120301234567",
    "npwp": "01.234.567.8-624.000",
    "nama": "BUDI PRASETYO",
    "nama_tka": "LI WEI",
    "kewarganegaraan": "TIONGKOK",
    "jabatan": "MANAJER PRODUKSI",
    "nomor_paspor": "E12345678",
    "nomor_kitas": "2C11AB0012345",
    "nomor_rptka": "KEP.04512/PPTK/PTA/2026",
    "nomor_notifikasi": "B.3/41235/PK.04.01/2026",
    "nomor_surat": "017/CS/HRD/XI/2026",
    "nomor_bukti_setor": "JRN-2026-004512",
    "lokasi_kerja": "KAWASAN INDUSTRI PIER, REMBANG, PASURUAN",
    "nama_lembaga": "SMK NEGERI 1 PASURUAN",
    "nama_sekolah": "SMK NEGERI 1 PASURUAN",
    "nama_kepala": "DRS. BAMBANG SUTRISNO, M.PD.",
    "nama_ketua": "SRI WAHYUNI, S.PD.",
    "npsn": "20517521",
    "nomor_sk_pembentukan": "421.5/045/SMKN1/2019",
    "program_keahlian": "TEKNIK MESIN; TEKNIK KENDARAAN RINGAN; AKUNTANSI",
    "nama_p3mi": "PT CONTOH PENEMPATAN MIGRAN",
    "alamat_p3mi": "JL. RAYA SERPONG NO. 12, TANGERANG",
    "nomor_sip2mi": "B.567/PPTKLN/2025",
    "nama_petugas": "ANDI WIRAWAN",
    "jabatan_petugas": "PETUGAS REKRUT",
    "nomor_surat_tugas": "ST/112/CPM/XI/2026",
    "nama_pemberi_kerja": "TAIPEI PRECISION CO., LTD.",
    "alamat_pemberi_kerja": "NO. 88 ZHONGSHAN RD, TAOYUAN, TAIWAN",
    "negara_tujuan": "TAIWAN",
    "nomor_perjanjian": "PP/118/CPM/2026",
    "tempat_seleksi": "KANTOR PT CONTOH PENEMPATAN MIGRAN",
    "kantor_imigrasi": "KANTOR IMIGRASI KELAS I TANGERANG",
    "tempat_lahir": "PASURUAN",
    "nomor_ak1": "3514171126000001",
    "nama_kontak": "RINA KARTIKA",
    "jabatan_kontak": "MANAJER HRD",
    "nama_keterampilan": "MENGELAS (SMAW)",
    "jurusan": "TEKNIK MESIN",
}
BIRTH_DATES = {"tanggal_lahir": "1995-08-17", "tanggal_sk_pembentukan": "2019-07-15"}


class DemoError(RuntimeError):
    """The demo cannot go on; printed as one line."""


@dataclass
class Stack:
    api: str
    site: str
    moto: str
    process: subprocess.Popen[str] | None = None


@dataclass
class Walked:
    office: str
    service: str
    case_id: str = ""
    status: str = ""
    steps: list[str] = field(default_factory=list)
    seconds: float = 0.0
    standard_minutes: float = 0.0
    files: list[str] = field(default_factory=list)


# --- the stack ------------------------------------------------------------------------------------


def _up(api: str) -> bool:
    try:
        return requests.get(f"{api}/health", timeout=2).json().get("status") == "ok"
    except (requests.RequestException, ValueError):
        return False


def find_or_start_stack(
    log_path: Path = OUT / "stack.log",
    starting: str = "Loket belum berjalan: menjalankan make run untuk demo ini ...",
) -> Stack:
    """The stack on API_PORT/MOTO_PORT/SITE_PORT (LOKET_HOST) if it answers, else one started
    there (`infra.local.run`, printing `starting` first), its output written to `log_path`. A
    start that fails or is interrupted (Ctrl-C) stops what it started (`stop`): the stack runs in
    a session of its own, which the terminal's Ctrl-C does not reach."""
    host = os.environ.get("LOKET_HOST", "127.0.0.1")
    api = f"http://{host}:{os.environ.get('API_PORT', '8000')}"
    site = f"http://{host}:{os.environ.get('SITE_PORT', '8080')}"
    moto = f"http://{host}:{os.environ.get('MOTO_PORT', '5000')}"
    if _up(api):
        print(f"Memakai Loket yang sudah berjalan: {api}")
        return Stack(api, site, moto)
    print(starting, flush=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOKET_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.run"],
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    started = Stack(api, site, moto, process)
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("w", encoding="utf-8")
        for line in process.stdout:
            log.write(line)
            if "Tekan Ctrl-C" in line:
                break
            if "make run:" in line:
                raise DemoError(line.strip())
        # Keep reading what the stack prints, or its pipe fills up and it stops answering.
        threading.Thread(
            target=lambda: log.writelines(process.stdout or []), name="stack-log", daemon=True
        ).start()
        if not _up(api):
            raise DemoError("Loket tidak dapat dijalankan; jalankan make run sendiri untuk melihat pesannya.")
    except BaseException:
        stop(started)
        raise
    return started


STOP_SECONDS = 30  # how long a stopping stack may take to put its children down


def stop(stack: Stack) -> None:
    """Stop a stack this process started: SIGTERM to its process group, which `infra.local.run`
    takes as Ctrl-C from its first line (`stop_on_signals`: it stops `chalice local` and moto;
    before that line nothing of it needs stopping, and SIGTERM, unlike the SIGINT a background
    job ignores, still ends it); SIGKILL to the group if it has not ended within STOP_SECONDS.
    Nothing for a stack found running."""
    if stack.process is None or stack.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(stack.process.pid, signal.SIGTERM)
    try:
        stack.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(stack.process.pid, signal.SIGKILL)
        stack.process.wait(timeout=STOP_SECONDS)


def aws(stack: Stack, service: str) -> Any:
    host = urllib.parse.urlparse(stack.moto).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise DemoError("make demo only works against the local moto on loopback")
    return boto3.client(
        service,
        endpoint_url=stack.moto,
        region_name="ap-southeast-3",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def staff_logins(stack: Stack) -> None:
    """Set a known password on every demo staff account of the local stack."""
    cognito = aws(stack, "cognito-idp")
    pools = [
        p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"].endswith("-staff")
    ]
    if not pools:
        raise DemoError("the local stack has no staff pool")
    for office in list_offices():
        for user in cognito.list_users(UserPoolId=pools[-1], Limit=60)["Users"]:
            if user["Username"].startswith(f"{office}."):
                cognito.admin_set_user_password(
                    UserPoolId=pools[-1], Username=user["Username"], Password=PASSWORD, Permanent=True
                )


# --- the applicant, through the public API ----------------------------------------------------------


class Applicant:
    def __init__(self, stack: Stack, sop: ServiceStandard) -> None:
        self.stack = stack
        self.sop = sop
        self.username = f"demo-{sop.id[:20]}-{secrets.token_hex(2)}"
        self.email = f"{self.username}@contoh.id"
        kind = sop.applicant.kind
        self.call(
            "POST",
            "/api/account/signup",
            username=self.username,
            password=APPLICANT_PASSWORD,
            email=self.email,
            kind=kind,
            organisation=ORGANISATIONS.get(kind, ""),
        )
        self.call("POST", "/api/account/confirm", username=self.username, code="123456")  # moto: any code
        self.token = self.call(
            "POST", "/api/account/signin", username=self.username, password=APPLICANT_PASSWORD
        )["id_token"]

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **payload: Any) -> Any:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if getattr(self, "token", None):
            sent["Authorization"] = f"Bearer {self.token}"
        response = requests.request(method, f"{self.stack.api}{path}", headers=sent, json=payload, timeout=30)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def file(self) -> str:
        case = self.call(
            "POST",
            "/api/cases",
            headers={"Idempotency-Key": secrets.token_hex(12)},
            office=self.sop.office,
            service=self.sop.id,
            email=self.email,
        )
        case_id = str(case["case_id"])
        catalogue = self.call("GET", "/api/offices")
        entry = next(
            s
            for o in catalogue["offices"]
            if o["id"] == self.sop.office
            for s in o["services"]
            if s["id"] == self.sop.id
        )
        if entry["form"]["sections"]:
            self.call("PUT", f"/api/cases/{case_id}/form", form=sample_form(entry["form"]), confirm=[])
        for doc in entry["requirements"]:
            if doc["required"]:
                self.upload(case_id, doc)
        self.submit(case_id)
        return case_id

    def submit(self, case_id: str) -> None:
        """Submit once the worker has checked every upload (malware scan, re-encoding): until then
        the API answers 409 "Dokumen masih diperiksa", and a person presses again a moment later."""
        deadline = time.monotonic() + SUBMIT_WAIT_SECONDS
        while True:
            try:
                self.call("POST", f"/api/cases/{case_id}/submit")
                return
            except DemoError as error:
                if " 409 " not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(0.5)

    def upload(self, case_id: str, doc: dict[str, Any]) -> None:
        kind = doc["kinds"][0]
        content_type = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind]
        slot = self.call(
            "POST", f"/api/cases/{case_id}/uploads", document=doc["key"], content_type=content_type
        )
        sent = requests.post(
            slot["url"], data=slot["fields"], files={"file": ("berkas", sample_file(kind))}, timeout=30
        )
        if sent.status_code not in (200, 204):
            raise DemoError(f"upload of {doc['key']} refused by S3: {sent.status_code}")
        self.call("PUT", f"/api/cases/{case_id}/documents/{doc['key']}", key=slot["key"])


def sample_form(spec: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for section in spec["sections"]:
        entry = {}
        for f in section["fields"]:
            if f["type"] == "choice":
                wanted = "Perempuan" if "Perempuan" in f["options"] else f["options"][0]
                entry[f["key"]] = wanted
            elif f["type"] == "valid_until":  # a KITAS / RPTKA / notification still valid for a year
                entry[f["key"]] = (date.today() + timedelta(days=365)).isoformat()
            elif f["type"] == "date":  # a birth or founding date, else a letter of last month
                entry[f["key"]] = BIRTH_DATES.get(f["key"], (date.today() - timedelta(days=30)).isoformat())
            elif f["type"] == "nik" and section["key"] == "identitas":
                # A new person each run (one valid AK-1 per NIK per office; `make demo` may reuse
                # a running stack): the sample NIK with a random serial.
                entry[f["key"]] = SAMPLE["nik"][:12] + f"{secrets.randbelow(9999) + 1:04d}"
            else:
                entry[f["key"]] = DEMO_VALUES.get(f["key"], SAMPLE.get(f["type"], "CONTOH"))
        if "nama_lengkap" in entry:
            entry["nama_lengkap"] = "SITI RAHAYU"
        form[section["key"]] = [entry] if section["repeatable"] else entry
    return form


def sample_file(kind: str) -> bytes:
    if kind == "pdf":
        from reportlab.pdfgen import canvas

        out = io.BytesIO()
        page = canvas.Canvas(out)
        page.drawString(72, 760, "Dokumen contoh untuk demo Loket")
        page.save()
        return out.getvalue()
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 150, 200)).save(out, "JPEG" if kind == "jpeg" else "PNG")
    return out.getvalue()


# --- staff, through the staff pages ----------------------------------------------------------------


class DecideForm(HTMLParser):
    """The first decision form on a case page: its hidden fields, record fields and choices.

    The form holds the decision (radio buttons `decision`) and the note; the step's records (and
    the checklist's boxes) sit with the case's data and join the form through the HTML `form`
    attribute (`form="<form id>"`), before or after the form itself. A control belongs to a form
    as a browser decides: its `form` attribute if it has one, else the form it sits in; so every
    control kind (input, select with its options, textarea) is read wherever it stands.
    After `feed`: `form_id`, `fields` (hidden inputs), `records` (name -> the select's options,
    or [input type] for free text) and `buttons` ((decision, label) of each radio)."""

    def __init__(self) -> None:
        super().__init__()
        self._forms: list[tuple[str, str]] = []  # (id, action), in page order
        self._open_form: str | None = None  # the id of the form being read ("" when it has none)
        self._controls: list[tuple[str | None, str, dict[str, str]]] = []  # (owner, tag, attrs)
        self._options: dict[int, list[str]] = {}  # index of a select in _controls -> options
        self._select: int | None = None
        self._option = False
        self._radio: int | None = None
        self._labels: dict[int, str] = {}  # index of a radio -> its label's text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            form_id = a.get("id", "") or f"#form-{len(self._forms)}"
            self._forms.append((form_id, a.get("action", "")))
            self._open_form = form_id
            return
        if tag == "option" and self._select is not None:
            self._option = True
            return
        if tag not in ("input", "select", "textarea"):
            return
        owner = a["form"] if a.get("form") else self._open_form
        self._controls.append((owner, tag, a))
        index = len(self._controls) - 1
        if tag == "select":
            self._select = index
            self._options[index] = []
        elif tag == "input" and a.get("type") == "radio":
            self._radio = index

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text:
            return
        if self._select is not None and self._option:
            self._options[self._select].append(text)
            self._option = False
        if self._radio is not None:
            self._labels[self._radio] = text
            self._radio = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
            self._option = False
        elif tag == "option":
            self._option = False
        elif tag == "form":
            self._open_form = None

    def _mine(self) -> list[tuple[int, str, dict[str, str]]]:
        """(index, tag, attrs) of the controls that belong to the first decision form."""
        form_id = self.form_id
        if not form_id:
            return []
        return [(i, tag, a) for i, (owner, tag, a) in enumerate(self._controls) if owner == form_id]

    @property
    def form_id(self) -> str:
        """The id of the first form that posts to /staff/decide ("" when the page has none)."""
        return next((f for f, action in self._forms if action.endswith("/staff/decide")), "")

    @property
    def fields(self) -> dict[str, str]:
        """The decision form's hidden fields: name -> value."""
        return {
            a["name"]: a.get("value", "")
            for _, tag, a in self._mine()
            if tag == "input" and a.get("type") == "hidden" and a.get("name")
        }

    @property
    def records(self) -> dict[str, list[str]]:
        """The step's record fields joined to the form: name -> the select's options, or
        [input type] ("text", "date"; "textarea") for free text."""
        out: dict[str, list[str]] = {}
        for i, tag, a in self._mine():
            name = a.get("name", "")
            if not name.startswith("rec_"):
                continue
            if tag == "select":
                out[name] = list(self._options.get(i, []))
            elif tag == "textarea":
                out[name] = ["textarea"]
            else:
                out[name] = [a.get("type", "text")]
        return out

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(decision, label) of each choice of the form, in page order."""
        return [
            (a.get("value", ""), self._labels.get(i, ""))
            for i, tag, a in self._mine()
            if tag == "input" and a.get("type") == "radio" and a.get("name") == "decision"
        ]


class Officer:
    def __init__(self, stack: Stack, username: str) -> None:
        self.stack = stack
        self.session = requests.Session()
        form = self.session.get(f"{stack.api}/staff/login", timeout=30).text  # sets its CSRF cookie
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
        response = self.session.post(
            f"{stack.api}/staff/login",
            data={"csrf": token.group(1) if token else "", "username": username, "password": PASSWORD},
            allow_redirects=False,
        )
        if response.status_code != 303:
            raise DemoError(f"sign-in as {username} failed ({response.status_code})")

    def decide(self, case_id: str, step: Any, walked: Walked) -> str:
        page = self.session.get(f"{self.stack.api}/staff/cases/{case_id}", timeout=30)
        form = DecideForm()
        form.feed(page.text)
        if not form.buttons:
            return ""
        decision, label = next(
            ((d, lbl) for d, lbl in form.buttons if d in ("approve", "forward")), form.buttons[0]
        )
        data = dict(form.fields)
        data["decision"] = decision
        for name, options in form.records.items():
            spec = next((r for r in step.records if f"rec_{r.key}" == name), None)
            data[name] = record_value(spec, options, case_id)
        response = self.session.post(f"{self.stack.api}/staff/decide", data=data, allow_redirects=False)
        location = urllib.parse.unquote(response.headers.get("Location", ""))
        if "galat=" in location:
            raise DemoError(f"step {step.number} ({label}): {location.split('galat=', 1)[1]}")
        walked.steps.append(f"{step.number}:{decision}")
        return decision


FREE_TEXT = ("text", "date", "textarea")  # DecideForm.records' marks of a field typed in


def record_value(spec: Any, options: list[str], case_id: str) -> str:
    """What the demo's officer records in one field: a select's first option, else a value of
    the field's SOP type (`spec`, a sop.schema record; None when the SOP has no such field)."""
    if options and options[0] not in FREE_TEXT:
        return options[0]
    if spec is None:
        return "CONTOH"
    if spec.check == "spr":
        return DEMO_SPR
    if spec.type == "date":
        return (date.today() - timedelta(days=1)).isoformat()
    if spec.type == "valid_until":
        return (date.today() + timedelta(days=365)).isoformat()
    if spec.type in ("money", "number"):
        return "1500000" if spec.type == "money" else "1"
    if spec.type == "textarea":
        return "Sesuai, diperiksa pada demo."
    if spec.type == "name":  # a person's name: Latin letters, no digits (domain/teks.py)
        return "ANDI WIRAWAN"
    if spec.type in ("nik", "email", "phone", "year"):
        return SAMPLE[spec.type]
    return f"DEMO-{case_id[:6].upper()}-{spec.key[:10].upper()}"


# --- the walk --------------------------------------------------------------------------------------


def walk(stack: Stack, office: str, service: str, officers: dict[str, Officer]) -> Walked:
    sop = load_service(office, service)
    walked = Walked(office, service, standard_minutes=sum(parse_minutes(s.time) for s in sop.process_steps))
    started = time.monotonic()
    applicant = Applicant(stack, sop)
    walked.case_id = applicant.file()
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < 60:
        view = applicant.call("GET", f"/api/cases/{walked.case_id}")
        walked.status = view["status"]
        if walked.status in CLOSED:
            break
        current = [s for s in view["steps"] if s["state"] == "current"]
        if not current:
            time.sleep(0.3)  # the worker is on a system step
            continue
        step = sop.step(int(current[0]["number"]))
        role = queue_role(sop, step)  # whose queue holds the work item (the compiler's own rule)
        username = f"{office}.{role}"
        if username not in officers:
            officers[username] = Officer(stack, username)
        if officers[username].decide(walked.case_id, step, walked):
            idle_since = time.monotonic()
        else:
            time.sleep(0.3)
    else:
        raise DemoError(
            f"{office}/{service}: case {walked.case_id} did not move for 60 s (status {walked.status})"
        )
    walked.seconds = time.monotonic() - started
    save_results(stack, applicant, walked, view)
    return walked


def save_results(stack: Stack, applicant: Applicant, walked: Walked, view: dict[str, Any]) -> None:
    folder = OUT / f"{walked.office}-{walked.service}"
    folder.mkdir(parents=True, exist_ok=True)
    for product in view["products"]:
        link = applicant.call("GET", f"/api/cases/{walked.case_id}/products/{product['key']}")
        pdf = requests.get(link["url"], timeout=30).content
        (folder / f"{product['key']}.pdf").write_bytes(pdf)
        walked.files.append(f"{product['key']}.pdf")
    state = requests.get(f"{stack.moto}/moto-api/data.json", timeout=30).json()
    mails = [m for m in state.get("ses", {}).get("RawMessage", []) if applicant.email in m["destinations"]]
    for number, raw in enumerate(mails, start=1):
        (folder / f"email-{number:02d}.eml").write_text(raw["raw_data"], encoding="utf-8")
        walked.files.append(f"email-{number:02d}.eml")
    (folder / "case.json").write_text(json.dumps(view, indent=2, ensure_ascii=False), encoding="utf-8")


def print_table(results: list[Walked]) -> None:
    head = f"{'kantor/layanan':<46} {'berkas':<10} {'status':<10} {'langkah':>7} {'waktu':>8} {'baku':>9}"
    print(f"\n{head}  dokumen")
    for r in results:
        pdfs = ", ".join(f for f in r.files if f.endswith(".pdf"))
        print(
            f"{r.office + '/' + r.service:<46} {r.case_id[:8]:<10} {r.status:<10} {len(r.steps):>7} "
            f"{r.seconds:>7.1f}s {r.standard_minutes:>7.0f}mnt  {pdfs}"
        )
    print(f"\nPDF dan email ditulis ke {OUT.relative_to(ROOT)}/<kantor>-<layanan>/")


def leave_open(stack: Stack, per_service: int) -> int:
    """File `per_service` more cases of every public service and leave them with the office, so
    the staff queues and the board's open-file tables have work in them, as on a real morning.
    Returns how many were filed."""
    from concurrent.futures import ThreadPoolExecutor

    sops = [load_service(o, s) for o in list_offices() for s in list_services(o) if load_service(o, s).public]
    jobs = [sop for sop in sops for _ in range(per_service)]
    if not jobs:
        return 0
    print(f"Mengajukan {len(jobs)} berkas lagi yang dibiarkan menunggu di kotak tugas ...", flush=True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        filed = list(pool.map(lambda sop: Applicant(stack, sop).file(), jobs))
    return len(filed)


def write_history(stack: Stack, days: int) -> None:
    """A month of history (infra/local/history.py) for the board and the evaluation."""
    from infra.local import history

    print(f"Menulis riwayat demo {days} hari (papan kinerja dan evaluasi) ...", flush=True)
    history.local_environment(stack.moto)
    got = history.generate(days)
    print(f"Riwayat demo: {got.cases} berkas, {got.events} kejadian, {got.counted} hitungan baru.")
    print(f"Lihat {stack.api}/staff/papan dan {stack.api}/staff/evaluasi (akun kabid atau kadis).")
    if stack.process is not None:
        print("Loket ini dijalankan oleh make demo dan berhenti sekarang, bersama riwayatnya: "
              "jalankan make run di terminal lain lebih dulu agar riwayat tetap ada.")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One case of every service, walked through every role.")
    parser.add_argument("--only", help="office/service, e.g. kab-pasuruan/ak1")
    parser.add_argument("--history-days", type=int, default=30, help="days of demo history (0: none)")
    parser.add_argument(
        "--open-files",
        type=int,
        default=2,
        help="cases per service left waiting in the staff queues (0: none)",
    )
    args = parser.parse_args(argv)
    stack = find_or_start_stack()
    try:
        staff_logins(stack)
        officers: dict[str, Officer] = {}
        results = []
        for office in list_offices():
            for service in list_services(office):
                if args.only and args.only != f"{office}/{service}":
                    continue
                if not load_service(office, service).public:
                    continue  # the wiring check: not in the public catalogue this walk files from
                print(f"- {office}/{service} ...", flush=True)
                results.append(walk(stack, office, service, officers))
        print_table(results)
        if args.open_files > 0 and not args.only:
            left = leave_open(stack, args.open_files)
            print(f"{left} berkas menunggu di kotak tugas petugas (papan kinerja: berkas terbuka).")
        if args.history_days > 0:
            write_history(stack, args.history_days)
        return 0 if all(r.status == "completed" for r in results) else 1
    except DemoError as error:
        print(f"make demo: {error}", file=sys.stderr)
        return 2
    finally:
        stop(stack)


if __name__ == "__main__":
    raise SystemExit(main())
