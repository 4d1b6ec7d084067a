"""The thin slice through every part: API -> DynamoDB -> S3 -> Step Functions -> staff -> worker -> SES.

The wiring check `uji-sambungan` is an SOP like every other (`chalicelib/sop/offices/kab-pasuruan/
uji-sambungan.yaml`, compiled by `chalicelib/sop/compiler.py`). moto runs in-process with Step
Functions really executing the state machine made from the template; the API and staff pages are
driven through chalice's test client, the upload goes by presigned POST, and the worker is invoked
with the SQS event Lambda would receive.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from tests.conftest import wait_for
from tests.helpers import OFFICE, SLICE, Applicant, Officer, body


def worker_messages(queue_url: str) -> list[dict[str, Any]]:
    got = boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return list(got.get("Messages", []))


def sent_mail() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages)


def queued() -> list[WorkItem]:
    return [
        i for i in WorkItem.role_queue.query(f"QUEUE#{OFFICE}#petugas_antar_kerja") if isinstance(i, WorkItem)
    ]


def test_slice_from_request_to_email(aws, applicant, staff) -> None:
    officer_login = staff("petugas1", f"{OFFICE}.petugas_antar_kerja")
    with Client(app) as client:
        budi = Applicant(client, applicant("budi"))
        case_id = body(budi.open())["case_id"]
        assert budi.confirm(case_id, budi.upload(case_id)).status_code == 200

        submitted = budi.submit(case_id)
        assert submitted.status_code == 200, submitted.body
        assert body(submitted)["status"] == "submitted"
        # A second click on "Kirim" neither fails nor starts a second execution.
        assert budi.submit(case_id).status_code == 200
        executions = boto3.client("stepfunctions").list_executions(
            stateMachineArn=aws["LOKET_STATE_MACHINE_PREFIX"] + f"{OFFICE}-{SLICE}"
        )["executions"]
        assert [e["name"] for e in executions] == [case_id]
        # The receipt (issue 13): one message for the two clicks; the worker sends it.
        queue_url = aws["LOKET_WORKER_QUEUE_URL"]
        receipt = wait_for(lambda: worker_messages(queue_url))
        assert [json.loads(m["Body"])["task"] for m in receipt] == ["send_receipt"]
        client.lambda_.invoke(
            "worker",
            client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=[receipt[0]["Body"]]),
        )

        # The human step writes its work item, with a task token, into the role's queue.
        item = wait_for(queued)[0]
        assert item.case_id == case_id and item.task_token and item.status == "open"

        # The officer signs in on the staff page, sees the case and approves it.
        officer = Officer(client, *officer_login)
        assert case_id in officer.inbox()
        decided = officer.decide(case_id, item.SK, "approve", "lengkap")
        assert decided.status_code == 303 and "pesan=" in decided.headers["Location"]
        # The same decision again (second click, stale page) is refused, not applied twice.
        assert "galat=" in officer.decide(case_id, item.SK, "approve").headers["Location"]
        assert queued() == []

        # The system step reaches the worker queue; the worker sends the email and answers.
        messages = wait_for(lambda: worker_messages(queue_url))
        assert json.loads(messages[0]["Body"])["task"] == "send_email"
        event = client.events.generate_sqs_event(
            queue_name="loket-worker", message_bodies=[messages[0]["Body"]]
        )
        client.lambda_.invoke("worker", event)
        # A redelivery of the same message sends nothing more.
        client.lambda_.invoke("worker", event)
        # The end of the SOP: the worker closes the case (it mails nothing more: the SOP mailed).
        closing = wait_for(lambda: [m for m in worker_messages(queue_url) if "close_case" in m["Body"]])
        client.lambda_.invoke(
            "worker",
            client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=[closing[0]["Body"]]),
        )

    execution_arn = Case.get(*Case.key(case_id)).execution_arn
    sfn = boto3.client("stepfunctions")
    wait_for(lambda: sfn.describe_execution(executionArn=execution_arn)["status"] == "SUCCEEDED")
    assert Case.get(*Case.key(case_id)).status == "completed"
    receipts = [m for m in sent_mail() if "Subject: Berkas diterima" in str(getattr(m, "raw_data", ""))]
    assert len(receipts) == 1 and set(receipts[0].destinations) == {"budi@contoh.id"}
    mails = [
        m
        for m in sent_mail()
        # the case id is in the status link, which quoted-printable may break across lines
        if case_id in m.raw_data.replace("=\n", "") and "Subject: Berkas diterima" not in m.raw_data
    ]
    assert len(mails) == 1
    assert set(mails[0].destinations) == {"budi@contoh.id"}
    assert "Subject: Perkembangan berkas Anda" in mails[0].raw_data
