"""`make load`'s people (infra/load/people.py) take one AK-1 case to its card, in-process.

The locust users only call `JobSeeker.step` and `OfficerAtDesk.step` over HTTP; here the same
steps run on chaos.py's in-process gateway (Chalice's LocalGateway on the moto stack), with the
worker fed after every request as Lambda's event source would feed it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from infra.load.people import Campaign, JobSeeker, OfficerAtDesk
from infra.local import chaos
from infra.local.pump import sqs_event
from tests.conftest import wait_for
from tests.deadlines import SLACK_SECONDS

ROLES = ("petugas_antar_kerja", "pengantar_kerja")


class PumpingGateway:
    """chaos.py's in-process gateway; after each request, every waiting message of the worker
    and notice queues goes to the worker handler (one SQS event each)."""

    def __init__(self, env: dict[str, str]) -> None:
        import boto3

        from app import app

        self.inner = chaos.Gateway(app)
        self.worker = app.handler_map["worker"]
        self.sqs = boto3.client("sqs")
        self.queues = [env["LOKET_WORKER_QUEUE_URL"], env["LOKET_NOTICE_QUEUE_URL"]]

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        answer = self.inner.request(method, path, headers, body)
        for url in self.queues:
            for message in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                self.worker(
                    sqs_event(message, "arn:aws:sqs:ap-southeast-3:123456789012:q", "ap-southeast-3"), None
                )
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return answer

    def upload(self, url: str, fields: dict[str, str], data: bytes) -> int:
        return self.inner.upload(url, fields, data)


def test_one_job_seeker_and_the_two_officers_take_a_case_to_one_card_and_one_card_email(
    aws: dict[str, str], staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    monkeypatch.setenv("LOKET_WORKER_QUEUE_NAME", "loket-worker")  # chaos.Gateway sets the dev stage's
    passwords = {role: staff(f"kab-pasuruan.{role}", f"kab-pasuruan.{role}")[1] for role in ROLES}
    gateway = PumpingGateway(aws)
    campaign = Campaign(cases=1, deadline=time.monotonic() + SLACK_SECONDS)
    seeker = JobSeeker(gateway, campaign, poll_seconds=0)  # reload at every step
    desks = [OfficerAtDesk(gateway, campaign, role, passwords[role]) for role in ROLES]

    assert seeker.step()  # signs up, files the whole case and submits it; polls it once
    assert len(campaign.filed) == 1 and campaign.last_submission is not None
    assert campaign.take() is None and campaign.all_handed_out_and_settled()
    (case_id,) = campaign.filed

    def case_final() -> bool:
        for desk in desks:
            desk.step()
        return not seeker.step()  # nothing left to file, and the case is final

    wait_for(case_final, interval=0.1)
    assert [desk.decided for desk in desks] == [1, 1]
    assert campaign.gave_up == [] and campaign.tally.bugs == []
    assert chaos.case_statuses(boto3.client("dynamodb"), aws["LOKET_TABLE"], [case_id]) == {
        case_id: "completed"
    }
    cards = chaos.card_versions(boto3.client("s3"), aws["LOKET_DOCUMENTS_BUCKET"])
    assert len(cards[case_id]) == 1
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
    by_reference, _digests = chaos.mail_kinds(str(m.raw_data) for m in sent)
    code = chaos.case_fields(boto3.client("dynamodb"), aws["LOKET_TABLE"], [case_id], ("code",))[case_id][
        "code"
    ]
    references = chaos.case_references([{"case_id": case_id, "code": code}])
    kinds = {kind: n for (reference, kind), n in by_reference.items() if references.get(reference) == case_id}
    assert kinds["documents_issued"] == 1 and kinds["received"] == 1, kinds
