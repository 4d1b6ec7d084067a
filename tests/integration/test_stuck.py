"""A system task that fails for good is a visible state, never a stall (issue 11): the execution
ends in `Macet` -> `Gagal`, the case reads "Sedang ditangani petugas" to its applicant, and the
error is kept for staff."""

from __future__ import annotations

import json

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.errors import NotFound
from chalicelib.worker import tasks
from tests.conftest import wait_for
from tests.helpers import OFFICE, Applicant, Officer, body
from tests.integration.test_slice import worker_messages


def _to_the_email_step(client: Client, aws, applicant, staff) -> tuple[Applicant, str]:
    officer_login = staff("petugas1", f"{OFFICE}.petugas_antar_kerja")
    budi = Applicant(client, applicant("budi"))
    case_id = body(budi.open())["case_id"]
    assert budi.confirm(case_id, budi.upload(case_id)).status_code == 200
    assert budi.submit(case_id).status_code == 200
    queue = f"QUEUE#{OFFICE}#petugas_antar_kerja"
    item = wait_for(lambda: [i for i in WorkItem.role_queue.query(queue) if isinstance(i, WorkItem)])[0]
    decided = Officer(client, *officer_login).decide(case_id, item.SK, "approve", "lengkap")
    assert "pesan=" in decided.headers["Location"]
    return budi, case_id


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (NotFound("Berkas tidak ditemukan."), "Loket.TaskFailed"),
        (tasks.BadMessage("unknown case"), "Loket.BadMessage"),
    ],
)
def test_a_task_failing_for_good_marks_the_case_stuck_for_applicant_and_staff(
    aws, applicant, staff, monkeypatch, failure, error
) -> None:
    def broken(message):
        raise failure

    monkeypatch.setitem(tasks.TASKS, "send_email", broken)
    with Client(app) as client:
        budi, case_id = _to_the_email_step(client, aws, applicant, staff)
        messages = wait_for(  # the step's email, not the receipt queued at submit (issue 13)
            lambda: [
                m for m in worker_messages(aws["LOKET_WORKER_QUEUE_URL"]) if "send_receipt" not in m["Body"]
            ]
        )
        event = client.events.generate_sqs_event(
            queue_name="loket-worker", message_bodies=[messages[0]["Body"]]
        )
        client.lambda_.invoke("worker", event)  # refused at once: not retried into the dead-letter queue

        case = wait_for(
            lambda: (c := Case.get(*Case.key(case_id), consistent_read=True)).status == "stuck" and c
        )
        # The error for staff (moto drops the failure's cause that AWS passes on to the Catch).
        assert json.loads(case.fault)["Error"] == error
        arn = case.execution_arn
        sfn = boto3.client("stepfunctions")
        assert wait_for(lambda: sfn.describe_execution(executionArn=arn)["status"] == "FAILED")

        seen = body(budi.get(case_id))
        assert seen["status"] == "stuck" and seen["status_label"] == "Sedang ditangani petugas"
        assert "petugas sedang menanganinya" in seen["status_note"].lower()
        assert "Loket." not in json.dumps(seen)  # the error is for staff only


def test_a_case_that_has_ended_is_not_marked_stuck(aws) -> None:
    """`Macet`'s update, as Step Functions sends it, changes an open case and refuses a closed one."""
    from chalicelib.sop.compiler import _mark_stuck

    parameters = _mark_stuck("Gagal")["Parameters"]
    values = {
        name: ({"S": '{"Error":"States.Timeout"}'} if "S.$" in value else value)
        for name, value in parameters["ExpressionAttributeValues"].items()
    }
    values[":at"] = {"S": "2026-11-30T10:00:00.000Z"}
    dynamodb = boto3.client("dynamodb")

    def mark(case_id: str) -> None:
        dynamodb.update_item(
            TableName=aws["LOKET_TABLE"],
            Key={"PK": {"S": f"CASE#{case_id}"}, "SK": {"S": "#CASE"}},
            UpdateExpression=parameters["UpdateExpression"],
            ConditionExpression=parameters["ConditionExpression"],
            ExpressionAttributeNames=parameters["ExpressionAttributeNames"],
            ExpressionAttributeValues=values,
        )

    for case_id, status in (("open1", "submitted"), ("done1", "completed"), ("gone1", "expired")):
        Case(
            *Case.key(case_id),
            case_id=case_id,
            office=OFFICE,
            service="ak1",
            applicant_sub="s",
            status=status,
            created_at="x",
            updated_at="x",
        ).save()
    mark("open1")
    opened = Case.get(*Case.key("open1"))
    assert (opened.status, opened.version) == ("stuck", 2)  # the version moves: no stale write wins
    for closed in ("done1", "gone1"):
        with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
            mark(closed)
        assert Case.get(*Case.key(closed)).status != "stuck"
