"""Small helpers for driving the app through chalice's test client as a browser would."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import boto3
import requests
from chalice.test import Client

from chalicelib.settings import get_settings
from tests.deadlines import REQUEST_SECONDS
from tests.upload_corpus import PDF

OFFICE = "kab-pasuruan"
SLICE = "uji-sambungan"


def body(response: Any) -> dict[str, Any]:
    return dict(json.loads(response.body))


def busy_once(
    monkeypatch: Any, owner: Any, name: str, when: Callable[..., bool] = lambda *args, **kwargs: True
) -> list[bool]:
    """Make `owner.<name>` (a function of a module, or a method of a class: `when` then gets the
    instance first) fail once as DynamoDB busy does, Loket's Unavailable (503 with Retry-After),
    at the first call for which `when(*args, **kwargs)` holds; every other call goes through.
    Returns the list that holds True once it failed."""
    from chalicelib.errors import Unavailable

    original = getattr(owner, name)
    failed: list[bool] = []

    def once(*args: Any, **kwargs: Any) -> Any:
        if not failed and when(*args, **kwargs):
            failed.append(True)
            raise Unavailable()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, once)
    return failed


def run_upload_checks(client: Client) -> int:
    """Feed the worker queue's upload checks (task `check_upload`) to the worker, as Lambda's
    event source would, and put every other message back at once; returns how many ran. Uses
    moto's SQS directly (not the app's clients: fault injection never touches it)."""
    sqs = boto3.client("sqs")
    url = get_settings().worker_queue_url
    ran = 0
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        checks = [m for m in got if json.loads(m["Body"]).get("task") == "check_upload"]
        for message in got:
            if message not in checks:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
        for message in checks:
            event = client.events.generate_sqs_event(
                queue_name="loket-worker", message_bodies=[message["Body"]]
            )
            client.lambda_.invoke("worker", event)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            ran += 1
        if not checks:
            return ran


class Applicant:
    """An applicant's calls to the public API with their bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.token = token

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **extra}

    def open(self, key: str = "form-0001", office: str = OFFICE, service: str = SLICE) -> Any:
        payload = {"office": office, "service": service, "email": "budi@contoh.id"}
        return self.client.http.post(
            "/api/cases", headers=self.headers(**{"Idempotency-Key": key}), body=json.dumps(payload)
        )

    def slot(self, case_id: str, document: str = "lampiran", content_type: str = "application/pdf") -> Any:
        payload = {"document": document, "content_type": content_type}
        return self.client.http.post(
            f"/api/cases/{case_id}/uploads", headers=self.headers(), body=json.dumps(payload)
        )

    def upload(self, case_id: str, data: bytes = PDF, content_type: str = "application/pdf") -> str:
        """Upload by presigned POST and confirm; returns the object key."""
        response = self.slot(case_id, content_type=content_type)
        assert response.status_code == 200, response.body
        post = body(response)
        sent = requests.post(
            post["url"], data=post["fields"], files={"file": ("berkas", data)}, timeout=REQUEST_SECONDS
        )
        assert sent.status_code in (200, 204)
        return str(post["key"])

    def confirm(self, case_id: str, key: str, document: str = "lampiran", checked: bool = True) -> Any:
        """Confirm an upload; once accepted (200), the worker checks it (malware scan, an image
        re-encoded) as the stack's worker would at once, unless `checked` is False (the file
        then stays "sedang diperiksa", its check message in the worker queue)."""
        response = self.client.http.put(
            f"/api/cases/{case_id}/documents/{document}",
            headers=self.headers(),
            body=json.dumps({"key": key}),
        )
        if checked and response.status_code == 200:
            run_upload_checks(self.client)
        return response

    def save_form(self, case_id: str, form: dict[str, Any], confirm: list[str] | None = None) -> Any:
        return self.client.http.put(
            f"/api/cases/{case_id}/form",
            headers=self.headers(),
            body=json.dumps({"form": form, "confirm": confirm or []}),
        )

    def submit(self, case_id: str) -> Any:
        return self.client.http.post(f"/api/cases/{case_id}/submit", headers=self.headers(), body="{}")

    def get(self, case_id: str) -> Any:
        return self.client.http.get(f"/api/cases/{case_id}", headers=self.headers())

    def confirm_step(self, case_id: str) -> Any:
        """Confirm the applicant's own step after submission (receiving the document)."""
        return self.client.http.post(f"/api/cases/{case_id}/confirm", headers=self.headers(), body="{}")


def cookies_set(response: Any) -> dict[str, str]:
    """The cookies a response sets, by name (value "" for one it clears)."""
    raw = response.headers.get("Set-Cookie") or response.headers.get("set-cookie") or ""
    headers = raw if isinstance(raw, list) else [raw]
    found = {}
    for header in headers:
        for cookie in re.split(r",\s*(?=[A-Za-z_]+=)", header) if header else []:
            name, _, rest = cookie.partition("=")
            found[name.strip()] = rest.split(";")[0]
    return found


def login_form(client: Client) -> tuple[str, str]:
    """(Cookie header, CSRF token) of the staff sign-in page, as a browser keeps them."""
    page = client.http.get("/staff/login")
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.body.decode())
    assert found, "no CSRF token on the sign-in page"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies_set(page).items() if v)
    return cookie, found.group(1)


def staff_login(client: Client, username: str, password: str) -> Any:
    """The sign-in form posted as a browser posts it (with the page's CSRF token and cookie)."""
    cookie, csrf = login_form(client)
    form = f"csrf={csrf}&username={requests.utils.quote(username)}&password={requests.utils.quote(password)}"
    return client.http.post(
        "/staff/login",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        body=form,
    )


class Officer:
    """A staff member using the staff pages with their session cookie."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, client: Client, username: str, password: str) -> None:
        self.client = client
        response = staff_login(client, username, password)
        assert response.status_code == 303, response.body
        self.cookie = f"loket_staff={cookies_set(response)['loket_staff']}"
        self._csrf: tuple[str, str] | None = None  # (cookie, token): the page a browser keeps open

    def inbox(self) -> str:
        response = self.client.http.get("/staff", headers={"Cookie": self.cookie})
        assert response.status_code == 200
        return str(response.body.decode())

    def csrf(self) -> str:
        """The CSRF token of the inbox page, read from the page once per session cookie (the
        token is derived from the session, so a browser's open page keeps a valid one)."""
        if self._csrf is None or self._csrf[0] != self.cookie:
            found = re.search(r'name="csrf" value="([0-9a-f]+)"', self.inbox())
            assert found, "no CSRF token on the inbox page"
            self._csrf = (self.cookie, found.group(1))
        return self._csrf[1]

    def decide(
        self,
        case_id: str,
        item: str,
        decision: str,
        note: str = "",
        csrf: str | None = None,
        fields: dict[str, str] | None = None,
        items: tuple[str, ...] = (),
        back: str = "",
        source: str = "berkas",
        go_on: bool = False,
    ) -> Any:
        """The case page's decision form posted (`dari=berkas`, as that form carries it; `source`
        another value or "" for a post from elsewhere); `go_on`: "Simpan & berikutnya"."""
        token = self.csrf() if csrf is None else csrf
        form = (
            f"csrf={token}&case_id={case_id}&item={requests.utils.quote(item)}"
            f"&decision={decision}&note={requests.utils.quote(note)}"
        )
        if source:
            form += f"&dari={source}"
        if go_on:
            form += "&lanjut=1"
        for key, value in (fields or {}).items():
            form += f"&rec_{key}={requests.utils.quote(value)}"
        for key in items:
            form += f"&item_{key}=1"
        if back:
            form += f"&back={back}"
        return self.client.http.post(
            "/staff/decide", headers={"Content-Type": self.FORM, "Cookie": self.cookie}, body=form
        )

    def case_page(self, case_id: str) -> Any:
        return self.client.http.get(f"/staff/cases/{case_id}", headers={"Cookie": self.cookie})

    def post(self, path: str, **form: str) -> Any:
        """A form post with the session's CSRF token, as the page's own forms send it."""
        payload = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in {"csrf": self.csrf(), **form}.items())
        return self.client.http.post(
            path, headers={"Content-Type": self.FORM, "Cookie": self.cookie}, body=payload
        )
