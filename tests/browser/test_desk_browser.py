"""The operator's desk in a real browser: a dead-lettered task retried to completion.

Against the local stack (`make run`'s, on free ports): a wiring-check case (`uji-sambungan`) is
filed through the public API and approved by the placement officer on the staff page; its email
step then fails in the worker because SES refuses the sender (the mail domain's verification
lapsed: the test deletes the SES identities). The stack's worker pump gets the error five times,
and SQS moves the message to the dead-letter queue, as it would on AWS. IT verifies the domain
again; the office administrator, on a 360-px phone, opens the admin page, then the operator's
desk, sees the message with the case and the step, and sends it back: the execution was still
waiting for the task's token, so the email goes out and the case completes.

Screenshots go to out/browser/desk-*.png.
"""

from __future__ import annotations

import contextlib
from typing import Any

import boto3
import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from chalicelib.domain.audit_words import ACTIONS
from chalicelib.sop.loader import load_office
from tests.browser.conftest import STACK_RETRY_SECONDS, watch_csp
from tests.conftest import wait_for
from tests.deadlines import REQUEST_SECONDS, SLACK_SECONDS
from tests.helpers import PDF
from tests.stack import ROOT, Stack

pytestmark = [pytest.mark.stack, pytest.mark.browser]

OFFICE, SERVICE = "kab-pasuruan", "uji-sambungan"
SHOTS = ROOT / "out" / "browser"
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
DESKTOP: dict[str, Any] = {
    "viewport": {"width": 1280, "height": 900},
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
APPLICANT, EMAIL, PASSWORD = "wulan_uji", "wulan.uji@contoh.id", "Rahasia123"
MAX_RECEIVES = 5  # the worker queue's maxReceiveCount (infra/base.yaml)
# Five failed deliveries, each visible again after the pump's retry delay, then the move.
DEAD_LETTER_SECONDS = (MAX_RECEIVES + 1) * STACK_RETRY_SECONDS + SLACK_SECONDS


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"desk-{name}.png"), full_page=True)


def api(
    stack: Stack, method: str, path: str, token: str | None = None, key: str | None = None, **kwargs: Any
) -> Any:
    """One call to the public API (as the public site makes it); its JSON answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    answer = requests.request(
        method, f"{stack.api_url}{path}", headers=headers, timeout=REQUEST_SECONDS, **kwargs
    )
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer.json()


def file_a_case(stack: Stack) -> tuple[str, str]:
    """An applicant's wiring-check case, submitted through the public API: (token, case id)."""
    api(
        stack,
        "POST",
        "/api/account/signup",
        json={"username": APPLICANT, "password": PASSWORD, "email": EMAIL},
    )
    api(stack, "POST", "/api/account/confirm", json={"username": APPLICANT, "code": "123456"})
    token = api(stack, "POST", "/api/account/signin", json={"username": APPLICANT, "password": PASSWORD})[
        "id_token"
    ]
    opened = api(
        stack,
        "POST",
        "/api/cases",
        token,
        key="desk-browser-1",
        json={"office": OFFICE, "service": SERVICE, "email": EMAIL},
    )
    case_id = str(opened["case_id"])
    slot = api(
        stack,
        "POST",
        f"/api/cases/{case_id}/uploads",
        token,
        json={"document": "lampiran", "content_type": "application/pdf"},
    )
    sent = requests.post(
        slot["url"], data=slot["fields"], files={"file": ("lampiran.pdf", PDF)}, timeout=REQUEST_SECONDS
    )
    assert sent.status_code in (200, 204), sent.text
    api(stack, "PUT", f"/api/cases/{case_id}/documents/lampiran", token, json={"key": slot["key"]})

    def checked() -> bool:  # the stack's worker scanned it (the case is submitted only then)
        return (
            api(stack, "GET", f"/api/cases/{case_id}", token)["documents"]["lampiran"]["state"] == "checked"
        )

    wait_for(checked)
    api(stack, "POST", f"/api/cases/{case_id}/submit", token, json={})
    return token, case_id


def verify(ses: Any, identities: list[str]) -> None:
    """SES's identities verified again (moto verifies at once)."""
    for identity in identities:
        if "@" in identity:
            ses.verify_email_identity(EmailAddress=identity)
        else:
            ses.verify_domain_identity(Domain=identity)


def sign_in(page: Page, stack: Stack, username: str) -> None:
    page.goto(f"{stack.api_url}/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(stack.passwords[username])
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Kotak tugas · Kabupaten Pasuruan")).to_be_visible()


def officer_approves(page: Page, stack: Stack, case_id: str) -> None:
    sign_in(page, stack, f"{OFFICE}.petugas_antar_kerja")
    link = page.locator(f'a[href*="/staff/cases/{case_id}"]').first

    def listed() -> bool:
        page.reload()
        return link.count() > 0

    wait_for(listed)
    link.click()
    page.get_by_label("Setujui").check()
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".alert.ok")).to_have_text("Keputusan tersimpan.")


def test_the_admin_retries_a_dead_lettered_task_on_the_desk_until_the_case_completes(
    stack: Stack, browser: Browser
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ses = boto3.client("ses", **stack.aws())
    sqs = boto3.client("sqs", **stack.aws())
    dlq = sqs.get_queue_url(QueueName="loket-worker-dlq")["QueueUrl"]
    contexts: list[BrowserContext] = []
    identities = ses.list_identities()["Identities"]
    assert identities
    try:
        # The mail domain's verification lapses: SES refuses every email from now on.
        for identity in identities:
            ses.delete_identity(Identity=identity)

        token, case_id = file_a_case(stack)
        contexts.append(desk_context := browser.new_context(**DESKTOP))
        violations = {"desktop": watch_csp(desk_context)}  # the pages hold under their CSP
        officer_approves(desk_context.new_page(), stack, case_id)

        # The worker fails each email five times; SQS moves both messages (the receipt sent at
        # submit, the step's email) to the dead-letter queue.
        def dead_lettered() -> bool:
            counts = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
            return int(counts["Attributes"]["ApproximateNumberOfMessages"]) >= 2

        wait_for(dead_lettered, DEAD_LETTER_SECONDS, interval=0.5)
        assert api(stack, "GET", f"/api/cases/{case_id}", token)["status"] == "submitted"  # still waiting

        # IT verifies the domain again.
        verify(ses, identities)

        # The office administrator, on a phone: admin page -> operator's desk.
        contexts.append(phone_context := browser.new_context(**PHONE))
        violations["phone"] = watch_csp(phone_context)
        phone = phone_context.new_page()
        sign_in(phone, stack, f"{OFFICE}.admin")
        phone.get_by_role("link", name="Admin kantor").click()
        phone.get_by_role("link", name="Meja operator", exact=True).click()
        expect(
            phone.get_by_role("heading", name=f"Meja operator · {load_office(OFFICE).name}")
        ).to_be_visible()
        letters = phone.locator("#dead-letter")
        # Both emails of the case were refused: the receipt sent at submit and the step's email.
        messages = letters.locator("li.item").filter(has_text=case_id)
        expect(messages).to_have_count(2)
        receipt = messages.filter(has_text="tanda terima berkas")
        expect(receipt).to_have_count(1)
        message = messages.filter(has_text="Mengirim email ke pemohon")
        expect(message).to_have_count(1)
        expect(message).to_contain_text("Mengirim email ke pemohon")
        expect(message).to_contain_text("Langkah 3 · Memberitahukan kepada pemohon")
        expect(letters).to_contain_text("gagal mengerjakan pesan-pesan ini 5 kali")
        expect(phone.locator("main")).not_to_contain_text(EMAIL)  # no personal data on the desk
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the desk scrolls sideways on a phone: {width}px"
        shot(phone, "01-phone-dead-letter")
        desktop = desk_context.new_page()
        sign_in(desktop, stack, f"{OFFICE}.admin")
        desktop.goto(f"{stack.api_url}/staff/admin/desk?kantor={OFFICE}")
        shot(desktop, "02-desktop-dead-letter")

        message.get_by_role("button", name="Kirim ulang").tap()
        notice = phone.locator("#dead-letter .alert.ok")
        expect(notice).to_contain_text("Pesan dikirim ulang ke pekerja (mengirim email ke pemohon)")
        shot(phone, "03-phone-retried")
        receipt.get_by_role("button", name="Kirim ulang").tap()
        expect(notice).to_contain_text("tanda terima berkas")

        # The execution was still waiting for the token: the email goes out and the case completes.
        def completed() -> bool:
            return bool(api(stack, "GET", f"/api/cases/{case_id}", token)["status"] == "completed")

        wait_for(completed, interval=0.25)
        phone.reload()
        expect(phone.locator("#dead-letter")).to_contain_text(
            "Tidak ada pesan kantor ini di antrean dead-letter."
        )
        expect(phone.locator("#log")).to_contain_text("Pesan dead-letter dikirim ulang")
        phone.goto(f"{stack.api_url}/staff/cases/{case_id}")
        expect(phone.locator("main")).to_contain_text("Selesai")
        expect(phone.locator("main")).to_contain_text(ACTIONS["dlq_retry"])  # the trail's words
        shot(phone, "04-phone-case-completed")
        sent = stack.moto_state().get("ses", {}).get("RawMessage", [])
        assert [m for m in sent if EMAIL in m["destinations"]], "the email never went out"
        assert violations == {"desktop": [], "phone": []}, violations
    except BaseException:
        for n, page in enumerate(p for context in contexts for p in context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"desk-zz-failed-{n}.png"), full_page=True)
        print(stack.tail())
        raise
    finally:
        for context in contexts:
            context.close()
        verify(ses, identities)  # the stack is shared: the next journey sends email again
