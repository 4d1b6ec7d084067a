"""The thin slice through every part: API -> DynamoDB -> S3 -> Step Functions -> staff -> worker -> SES.

moto runs in-process with Step Functions really executing the state machine made from the
template; the API and staff pages are driven through chalice's test client, the upload goes by
presigned POST, and the worker is invoked with the SQS event Lambda would receive.
"""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import requests
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from tests.conftest import wait_for

OFFICE = "kab-pasuruan"
SERVICE = "uji-sambungan"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _json(response: Any) -> dict[str, Any]:
    return json.loads(response.body)


def _open_and_upload(client: Client, token: str, key: str = "form-0001") -> str:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key}
    opened = client.http.post(
        "/api/cases",
        headers=headers,
        body=json.dumps({"office": OFFICE, "service": SERVICE, "email": "budi@contoh.id"}),
    )
    assert opened.status_code == 201, opened.body
    case_id = _json(opened)["case_id"]
    slot = client.http.post(
        f"/api/cases/{case_id}/uploads",
        headers=headers,
        body=json.dumps({"document": "lampiran", "content_type": "application/pdf"}),
    )
    assert slot.status_code == 200, slot.body
    post = _json(slot)
    uploaded = requests.post(
        post["url"], data=post["fields"], files={"file": ("lampiran.pdf", PDF)}, timeout=10
    )
    assert uploaded.status_code in (200, 204)
    confirmed = client.http.put(
        f"/api/cases/{case_id}/documents/lampiran", headers=headers, body=json.dumps({"key": post["key"]})
    )
    assert confirmed.status_code == 200, confirmed.body
    return str(case_id)


def _worker_messages(queue_url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return got.get("Messages", [])


def _sent_mail() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages)


def test_slice_from_request_to_email(aws, applicant, staff) -> None:
    token = applicant("budi")
    username, password = staff("petugas1", f"{OFFICE}.petugas_antar_kerja")
    with Client(app) as client:
        case_id = _open_and_upload(client, token)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        submitted = client.http.post(f"/api/cases/{case_id}/submit", headers=auth, body="{}")
        assert submitted.status_code == 200, submitted.body
        assert _json(submitted)["status"] == "submitted"
        # A second click on "Kirim" neither fails nor starts a second execution.
        again = client.http.post(f"/api/cases/{case_id}/submit", headers=auth, body="{}")
        assert again.status_code == 200
        executions = boto3.client("stepfunctions").list_executions(
            stateMachineArn=aws["LOKET_STATE_MACHINE_PREFIX"] + "slice"
        )["executions"]
        assert [e["name"] for e in executions] == [case_id]

        # The human step writes its work item, with a task token, into the role's queue.
        def queued() -> list[WorkItem]:
            return list(WorkItem.role_queue.query(f"QUEUE#{OFFICE}#petugas_antar_kerja"))

        item = wait_for(queued)[0]
        assert item.case_id == case_id and item.task_token and item.status == "open"

        # The officer signs in on the staff page, sees the case and approves it.
        login = client.http.post(
            "/staff/login",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=f"username={username}&password={password}",
        )
        assert login.status_code == 303, login.body
        cookie = login.headers["Set-Cookie"].split(";")[0]
        inbox = client.http.get("/staff", headers={"Cookie": cookie})
        assert inbox.status_code == 200 and case_id in inbox.body.decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', inbox.body.decode()).group(1)  # type: ignore[union-attr]
        form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        body = (
            f"csrf={csrf}&case_id={case_id}&item={requests.utils.quote(item.SK)}"
            "&decision=approve&note=lengkap"
        )
        decided = client.http.post("/staff/decide", headers=form, body=body)
        assert decided.status_code == 303 and "pesan=" in decided.headers["Location"]
        # The same decision again (second click, stale page) is refused, not applied twice.
        twice = client.http.post("/staff/decide", headers=form, body=body)
        assert "galat=" in twice.headers["Location"]
        assert queued() == []

        # The system step reaches the worker queue; the worker sends the email and answers.
        messages = wait_for(lambda: _worker_messages(aws["LOKET_WORKER_QUEUE_URL"]))
        body_json = messages[0]["Body"]
        event = client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=[body_json])
        client.lambda_.invoke("worker", event)
        # A redelivery of the same message sends nothing more.
        client.lambda_.invoke("worker", event)

    execution_arn = Case.get(*Case.key(case_id)).execution_arn
    sfn = boto3.client("stepfunctions")
    wait_for(lambda: sfn.describe_execution(executionArn=execution_arn)["status"] == "SUCCEEDED")
    mails = [m for m in _sent_mail() if case_id in str(getattr(m, "raw_data", ""))]
    assert len(mails) == 1
    assert set(mails[0].destinations) == {"budi@contoh.id"}
