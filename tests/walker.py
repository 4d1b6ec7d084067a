"""Walk a case through its SOP as people would: the applicant files it, each role decides on
the staff page, the worker runs its tasks (the SQS event Lambda would get), until it ends."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import requests
from chalice.test import Client

from chalicelib.adapters.aws import client as aws_client
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.errors import LoketError
from chalicelib.services import work
from chalicelib.services.catalog import find_service
from chalicelib.services.forms import applicant_sections
from tests.deadlines import REQUEST_SECONDS, SLACK_SECONDS
from tests.forms import sample_form
from tests.helpers import PDF, Applicant, Officer, body


def _image(kind: str) -> bytes:
    """A small real photo (the AK-1 card prints the 3x4 photo)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 160, 120)).save(out, kind)
    return out.getvalue()


JPEG = _image("JPEG")
PNG = _image("PNG")
SAMPLE = {"pdf": (PDF, "application/pdf"), "jpeg": (JPEG, "image/jpeg"), "png": (PNG, "image/png")}
ORGANISATION = "PT CONTOH SEJAHTERA"
RECORD_VALUES = {
    "name": "Andi Wirawan",
    "text": "REF-2026-001",
    "textarea": "Sesuai.",
    "number": "1",
    "money": "1500000",
    "date": "2026-11-01",
    "year": "2026",
    "nik": "3514010101900001",
    "email": "petugas@contoh.id",
    "phone": "081234567890",
}

# step number -> (decision, note) to take the first time the case reaches that step.
Policy = dict[int, tuple[str, str]]


class Walk:
    def __init__(
        self,
        client: Client,
        aws: dict[str, str],
        applicant: Callable[..., str],
        staff: Callable[..., tuple[str, str]],
        office: str,
        service: str,
        username: str = "pemohon1",
    ) -> None:
        self.client = client
        self.aws = aws
        self.staff = staff
        self.office = office
        self.service = service
        self.entry = find_service(office, service)
        assert self.entry is not None
        # The account the standard names: a job seeker, or an officer of a company, school or agency.
        kind = self.entry.sop.applicant.kind
        if kind == "masyarakat":  # anyone files it (a complaint): a job seeker's account here
            kind = "pencari_kerja"
        organisation = None if kind == "pencari_kerja" else ORGANISATION
        self.applicant = Applicant(client, applicant(username, kind=kind, organisation=organisation))
        if kind == "p3mi":  # the SPR the walk's staff record (RECORD_VALUES["text"]) exists, for this agency
            from datetime import date

            from chalicelib.adapters.national import register_spr

            register_spr(
                office, RECORD_VALUES["text"], ORGANISATION, quota=10, valid_until=date(2099, 12, 31)
            )
        self.officers: dict[str, Officer] = {}
        self.case_id = ""
        self.taken: list[tuple[str, str, str]] = []  # (step, role, decision)
        self.probe_roles = False  # before each decision, every other role of the office tries it
        # step number -> the role that decides it (a co-actor the SOP lists, or the counter that
        # confirms an applicant's step); unset: the item's own role, or the applicant.
        self.deciders: dict[int, str] = {}
        self.refused: list[tuple[str, str]] = []  # (step, role) whose attempt the staff page refused

    def officer(self, role: str) -> Officer:
        if role not in self.officers:
            username = f"{self.office}.{role}.walk"
            credentials = self.staff(username, f"{self.office}.{role}")
            self.officers[role] = Officer(self.client, *credentials)
        return self.officers[role]

    def file(self, key: str = "walk-0001", submit: bool = True) -> str:
        """Open, fill and upload a case as the applicant would; submit it unless `submit` is False."""
        opened = self.applicant.open(key, office=self.office, service=self.service)
        assert opened.status_code in (200, 201), opened.body
        self.case_id = body(opened)["case_id"]
        if applicant_sections(self.entry.sop):  # type: ignore[union-attr]
            saved = self.applicant.save_form(self.case_id, sample_form(self.entry.sop))  # type: ignore[union-attr]
            assert saved.status_code == 200, saved.body
        for rule in self.entry.documents:  # type: ignore[union-attr]
            data, content_type = SAMPLE[rule.kinds[0]]
            slot = self.applicant.slot(self.case_id, rule.key, content_type)
            assert slot.status_code == 200, slot.body
            post = body(slot)
            requests.post(
                post["url"], data=post["fields"], files={"file": ("f", data)}, timeout=REQUEST_SECONDS
            )
            confirmed = self.applicant.confirm(self.case_id, post["key"], rule.key)
            assert confirmed.status_code == 200, confirmed.body
        if submit:
            submitted = self.applicant.submit(self.case_id)
            assert submitted.status_code == 200, submitted.body
        return self.case_id

    def pump(self) -> int:
        """Feed every waiting message of the worker queue, then of the notice queue (escalations,
        digests), to the worker handler, as Lambda's two event sources would."""
        sqs = aws_client("sqs")  # this thread's cached client: pump runs in every poll
        handled = 0
        for queue in ("LOKET_WORKER_QUEUE_URL", "LOKET_NOTICE_QUEUE_URL"):
            got = sqs.receive_message(QueueUrl=self.aws[queue], MaxNumberOfMessages=10)
            for message in got.get("Messages", []):
                event = self.client.events.generate_sqs_event(
                    queue_name="loket-worker", message_bodies=[message["Body"]]
                )
                self.client.lambda_.invoke("worker", event)
                sqs.delete_message(QueueUrl=self.aws[queue], ReceiptHandle=message["ReceiptHandle"])
                handled += 1
        return handled

    def status(self) -> str:
        case = Case.get(*Case.key(self.case_id), consistent_read=True)
        if not case.execution_arn:
            return "RUNNING"
        return str(aws_client("stepfunctions").describe_execution(executionArn=case.execution_arn)["status"])

    def next_item(self, timeout: float | None = None) -> WorkItem | None:
        """The next open work item of the case, running worker tasks meanwhile; None at the end.
        AssertionError when none comes within `timeout` seconds (default: tests.conftest's slack)."""

        deadline = time.monotonic() + (SLACK_SECONDS if timeout is None else timeout)
        while time.monotonic() < deadline:
            self.pump()
            items = work.open_items(self.case_id)
            if items:
                return items[0]
            if self.status() != "RUNNING":
                self.pump()
                return None
            time.sleep(0.05)
        raise AssertionError(f"case {self.case_id} stuck: no work item and still running")

    def fields_for(self, item: WorkItem) -> dict[str, str]:
        step = work.sop_step(item)
        values = {}
        for spec in step.records if step else []:
            values[spec.key] = spec.options[0] if spec.type == "choice" else RECORD_VALUES[spec.type]
        return values

    def act(self, item: WorkItem, decision: str, note: str = "") -> Any:
        step = work.sop_step(item)
        own = step is not None and step.waits_for_applicant  # the applicant's step after submission
        decider = self.deciders.get(int(item.step), item.role)
        if own and self.probe_roles:
            self.probe(item, decision)
        if item.role == "pemohon" and decider == "pemohon":
            if own:
                response = self.applicant.confirm_step(self.case_id)
                assert response.status_code == 200, response.body
                self.taken.append((item.step, "pemohon", "confirm"))
                return response
            response = self.applicant.submit(self.case_id)
            assert response.status_code == 200, response.body
            self.taken.append((item.step, "pemohon", "resubmit"))
            return response
        if self.probe_roles and not own:
            self.probe(item, decision)
        for _attempt in range(5):
            response = self.officer(decider).decide(
                self.case_id, item.SK, decision, note, fields=self.fields_for(item)
            )
            location = response.headers.get("Location", "")
            newer = [
                i
                for i in work.open_items(self.case_id)
                if i.step == item.step and (i.SK, i.task_token) != (item.SK, item.task_token)
            ]
            if "pesan=" in location or not newer:
                break
            # Under a tiny time scale the step timed out while we decided: the engine wrote the
            # item again (overdue, new token) and refused the stale decision, as it must. Decide
            # on the item as it is now, as an officer reloading the page would.
            item = newer[0]
        assert "pesan=" in location, f"step {item.step} {decision}: {location}"
        self.taken.append((item.step, decider, decision))
        return response

    def probe(self, item: WorkItem, decision: str) -> None:
        """Every role of the office the SOP does not let act here (no decree today) tries the
        decision on the staff page: each is refused and the item stays open, untouched."""
        assert self.entry is not None
        step = work.sop_step(item)
        for role in sorted(self.entry.office_sop.roles):
            who = Principal(
                sub=role, username=f"{self.office}.{role}.walk", groups=(f"{self.office}.{role}",)
            )
            try:
                work.authority(who, item, step)
                continue  # the step's own role, or a substitute the SOP allows without a decree
            except LoketError:
                pass
            response = self.officer(role).decide(
                self.case_id, item.SK, decision, "Coba", fields=self.fields_for(item)
            )
            location = response.headers.get("Location", "")
            assert "galat=" in location, f"step {item.step}: {role} was let {decision}: {location}"
            after = WorkItem.get(item.PK, item.SK, consistent_read=True)
            assert after.status == "open" and after.task_token == item.task_token, (
                f"{role} changed step {item.step}"
            )
            self.refused.append((item.step, role))

    def run(self, policy: Policy | None = None, limit: int = 60) -> str:
        """Decide every step until the case ends; returns the case status."""
        first_time = dict(policy or {})
        for _ in range(limit):
            item = self.next_item()
            if item is None:
                return str(Case.get(*Case.key(self.case_id), consistent_read=True).status)
            choice = first_time.pop(int(item.step), None) if item.role != "pemohon" else None
            step = work.sop_step(item)
            if item.role == "pemohon" and step is not None and step.waits_for_applicant:
                choice = None
            if choice:
                self.act(item, choice[0], choice[1])
            else:
                options = [c.decision for c in work.choices(item)]
                self.act(item, next((d for d in ("approve", "forward") if d in options), options[0]))
        raise AssertionError("too many steps")

    def mails(self) -> list[str]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        sent = ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
        # The case id is in the status link (subjects carry the short code), which quoted-printable
        # may break across lines ("=" at a line's end).
        return [
            m.raw_data for m in sent if self.case_id in str(getattr(m, "raw_data", "")).replace("=\n", "")
        ]
