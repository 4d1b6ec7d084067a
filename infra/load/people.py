"""What the job seekers and officers of `make load` do: AK-1 of Kabupaten Pasuruan, end to end.

`make chaos`'s people (infra/local/chaos.py) already do it as people do: the `Applicant` signs
up, confirms and signs in, opens a case with an Idempotency-Key, saves the form, asks for three
presigned POSTs (KTP, ijazah, pas foto: the AK-1 SOP's requirements), uploads and confirms each,
waits for the worker's checks and submits; the `Officer` signs in on the staff pages, reads the
inbox, opens the case page and posts the decision with its CSRF token. They talk to a gateway
with two methods, `request(method, path, headers, body) -> answer` and `upload(url, fields, data)
-> S3's status`. Here that gateway is HTTP (`HttpGateway`), one session per person: locust's
`HttpSession` under `make load`, which records each request under its request type.

This module imports no locust (importing locust patches the process with gevent), so the tests
drive `JobSeeker` and `OfficerAtDesk` in-process with chaos.py's in-process gateway.

Times are `time.monotonic()` seconds.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from typing import Any

from infra.local import chaos

OFFICE, SERVICE = chaos.OFFICE, chaos.SERVICE
# The states a case ends in (services/cases.py): once in one, nobody has anything left to do.
FINAL = ("completed", "rejected", "stuck", "expired")
# How often a job seeker's status page reloads a case on its own (static_site/js/pages/berkas.js:
# every 30 s while the page is visible).
POLL_SECONDS = 30.0
# The 24-character case id in a URL (services/cases.py `case_id_for`).
_CASE_ID = re.compile(r"/[a-z2-7]{24}(?=/|$)")
_DOCUMENT = re.compile(r"(/documents/)[^/]+$")
S3_UPLOAD = "POST S3 presigned upload (moto)"


def request_type(method: str, path: str) -> str:
    """The name a request is counted under: its method and path with the case id and the
    document named by placeholders, the query left off.

    >>> request_type("PUT", "/api/cases/abcdefghijklmnopqrstuvwx/documents/ktp?x=1")
    'PUT /api/cases/{id}/documents/{document}'
    """
    bare = _CASE_ID.sub("/{id}", path.split("?", 1)[0])
    return f"{method} " + _DOCUMENT.sub(r"\g<1>{document}", bare)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as chaos.py's people read it: `headers["Set-Cookie"]` is the list of every
    Set-Cookie header (requests joins them into one string); `body` is the raw bytes."""

    status_code: int
    headers: dict[str, Any]
    body: bytes


class HttpGateway:
    """chaos.py's gateway over HTTP: `session` is a `requests.Session` (locust's `HttpSession`
    when `named`: each request is then recorded under `request_type`). Redirects are not
    followed and cookies are not kept: the people set their own `Cookie` header, as chaos.py's do."""

    def __init__(self, session: Any, base_url: str, named: bool = True) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.named = named
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # keep none

    def _send(self, method: str, url: str, name: str, **kwargs: Any) -> Any:
        if self.named:
            kwargs["name"] = name
        return self.session.request(method, url, allow_redirects=False, timeout=60, **kwargs)

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        got = self._send(
            method, f"{self.base_url}{path}", request_type(method, path), headers=headers, data=body
        )
        headers_out: dict[str, Any] = dict(got.headers)
        raw = getattr(got, "raw", None)
        if raw is not None and hasattr(raw.headers, "getlist"):
            headers_out["Set-Cookie"] = raw.headers.getlist("Set-Cookie")
        # A lost connection is status 0 with no body in locust (a person reads it as no answer).
        return Answer(got.status_code, headers_out, got.content or b"")

    def upload(self, url: str, fields: dict[str, str], data: bytes) -> int:
        """The phone's presigned POST to S3 (moto's server here; AWS, not Loket, in production)."""
        return int(
            self._send("POST", url, S3_UPLOAD, data=fields, files={"file": ("berkas", data)}).status_code
        )


@dataclass
class Campaign:
    """The run's shared state: the AK-1 cases to file (person numbers `first` ..
    `first + cases - 1`, each one job seeker with their own account and NIK), what was filed and
    when. Shared by every person of the run (threads or greenlets): changed under `_lock`."""

    cases: int
    first: int = 1
    seed: int = 2026
    deadline: float = float("inf")  # monotonic seconds: people stop pressing again after it
    interval: float = 0.0  # seconds between two cases' starts (a steady rate: the soak); 0: at once
    patience: float = 1.0  # the share of a 503's Retry-After a person waits before pressing again
    tally: chaos.Tally = field(default_factory=chaos.Tally)
    filed: dict[str, int] = field(default_factory=dict)  # case id -> person number
    submitted_at: dict[str, float] = field(default_factory=dict)  # case id -> monotonic seconds
    gave_up: list[str] = field(default_factory=list)
    _next: int = 0
    _started: float | None = None  # monotonic seconds the first case was handed out
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _form: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from chalicelib.services.catalog import find_service
        from tests.forms import sample_form

        if self.first < 1 or self.first + self.cases - 1 > 9999:
            raise ValueError("person numbers run from 1 to 9999 (one NIK each: tests/forms.py nik_for)")
        entry = find_service(OFFICE, SERVICE)
        assert entry is not None
        self._form = sample_form(entry.sop)

    @property
    def options(self) -> chaos.Options:
        """chaos.py's settings for its people: only `patience` is read by them."""
        return dataclasses.replace(chaos.Options.from_env({}), patience=self.patience)

    def take(self) -> int | None:
        """The next person number to file a case for, or None when all were handed out or (with
        an `interval`) the next case's start has not come yet."""
        with self._lock:
            if self._next >= self.cases:
                return None
            at = time.monotonic()
            if self.interval > 0:
                if self._started is None:
                    self._started = at
                elif at < self._started + self._next * self.interval:
                    return None
            self._next += 1
            return self.first + self._next - 1

    def form(self, number: int) -> dict[str, Any]:
        """The AK-1 form of person `number`: the sample form with their own NIK."""
        from tests.forms import nik_for

        return {**self._form, "identitas": {**self._form["identitas"], "nik": nik_for(number)}}

    def record(self, case_id: str, number: int) -> None:
        with self._lock:
            self.filed[case_id] = number
            self.submitted_at[case_id] = time.monotonic()

    def give_up(self, why: str) -> None:
        with self._lock:
            self.gave_up.append(why)

    def all_handed_out_and_settled(self) -> bool:
        """Every case handed out, and each either submitted or given up."""
        with self._lock:
            return self._next >= self.cases and len(self.filed) + len(self.gave_up) >= self.cases

    @property
    def last_submission(self) -> float | None:
        with self._lock:
            return max(self.submitted_at.values(), default=None)


class JobSeeker:
    """One phone: files the campaign's next case (whole, as chaos.py's Applicant does), then
    reloads the status of each of its cases not yet final, as the status page does: right after
    submitting, then every `poll_seconds`."""

    def __init__(self, gateway: Any, campaign: Campaign, poll_seconds: float = POLL_SECONDS) -> None:
        self.campaign = campaign
        self.person = chaos.Applicant(gateway, campaign.tally, campaign.options, campaign.deadline)
        self.poll_seconds = poll_seconds
        self.open: dict[str, str] = {}  # case id -> the id token of its account
        self.polled: dict[str, float] = {}  # case id -> when its status was last read (monotonic)

    def step(self) -> bool:
        """File one case if any is left, then poll each open case whose last poll is
        `poll_seconds` old; False when this person has nothing left to do (nothing to file,
        every case of theirs final)."""
        number = self.campaign.take()
        if number is not None:
            plan = chaos.Plan(number, "approve", double_click=False)
            try:
                self.person.file(plan, self.campaign.form(number), self.campaign.seed)
            except (chaos.GaveUp, chaos.ChaosError) as exc:
                self.campaign.give_up(f"person {number}: {exc}")
            else:
                self.campaign.record(plan.case_id, number)
                self.open[plan.case_id] = self.person.token
        for case_id, token in list(self.open.items()):
            if time.monotonic() - self.polled.get(case_id, -self.poll_seconds) < self.poll_seconds:
                continue
            self.polled[case_id] = time.monotonic()
            answer = self.person.api("GET", f"/api/cases/{case_id}", token)
            if answer.status_code == 200 and json.loads(answer.body).get("status") in FINAL:
                del self.open[case_id]
        return number is not None or bool(self.open)


class OfficerAtDesk:
    """One member of staff of `role` (AK-1: `petugas_antar_kerja` verifies at step 05,
    `pengantar_kerja` counsels at step 06) working the inbox: approves every item of the
    campaign's cases, recording the counselling at step 06."""

    def __init__(self, gateway: Any, campaign: Campaign, role: str, password: str) -> None:
        self.campaign = campaign
        self.officer = chaos.Officer(
            role, password, gateway, campaign.tally, campaign.options, campaign.deadline
        )
        self.decided = 0

    def step(self) -> int:
        """One round: sign in if not yet, read the inbox, decide on each of the campaign's items.
        Returns how many decisions this round took (0: the inbox had nothing of ours)."""
        if not self.officer.cookie:
            self.officer.sign_in()
        ours = [i for i in self.officer.inbox() if i["case_id"] in self.campaign.filed]
        done = 0
        for item in ours:
            step = item["item"].split("#")[1]
            fields = chaos.COUNSELLING if step == "06" else {}
            outcome = self.officer.decide(item, "approve", **fields)
            if outcome == "done":
                done += 1
            elif outcome not in ("already", "again"):
                self.campaign.tally.count("refused", outcome[:120])
        self.decided += done
        return done
