"""The holder reminders' schedule: EventBridge Scheduler in the template puts the very message the
local timer sends on the notice queue (infra/base.yaml, infra/local/pump.py; docs/adr/0032)."""

from __future__ import annotations

import json

from chalicelib.worker.tasks import TASKS
from infra.build import build_template
from infra.local.pump import reminder_message


def test_the_schedule_sends_the_reminder_task_to_the_notice_queue_daily() -> None:
    resources = build_template()["Resources"]
    schedule = resources["HolderRemindersSchedule"]
    assert schedule["Type"] == "AWS::Scheduler::Schedule"
    props = schedule["Properties"]
    assert (
        props["ScheduleExpression"].startswith("cron(")
        and props["ScheduleExpressionTimezone"] == "Asia/Jakarta"
    )
    assert props["Target"]["Arn"] == {"Fn::GetAtt": ["NoticeQueue", "Arn"]}
    assert json.loads(props["Target"]["Input"]) == reminder_message("<aws.scheduler.scheduled-time>")
    assert reminder_message("x")["task"] in TASKS
    role = resources["SchedulerRole"]["Properties"]
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Action"] == "sqs:SendMessage" and statement["Resource"] == props["Target"]["Arn"]


def test_escalations_and_bulky_work_use_the_notice_queue_and_card_issuing_the_worker_queue() -> None:
    """docs/adr/0032: every compiled machine sends its escalations to the notice queue and its
    system steps (card issuing among them) to the worker queue; the notice queue has the worker
    queue's dead-letter queue, and every role that sends or reads one may do so for both."""
    from chalicelib.sop.compiler import compile_service
    from chalicelib.sop.loader import list_offices, list_services, load_office, load_service

    for office in list_offices():
        for service in list_services(office):
            states = compile_service(load_office(office), load_service(office, service))["States"]
            for name, state in states.items():
                body = (state.get("Parameters") or {}).get("MessageBody") or {}
                if body.get("task") == "escalate":
                    assert state["Parameters"]["QueueUrl"] == "${NoticeQueueUrl}", name
                elif "QueueUrl" in (state.get("Parameters") or {}):
                    assert state["Parameters"]["QueueUrl"] == "${WorkerQueueUrl}", name
    resources = build_template()["Resources"]
    notice = resources["NoticeQueue"]["Properties"]
    assert notice["RedrivePolicy"] == resources["WorkerQueue"]["Properties"]["RedrivePolicy"]
    for role in ("StatesRole", "WorkerRole", "ApiHandlerRole"):
        text = json.dumps(resources[role]["Properties"]["Policies"])
        assert '"NoticeQueue"' in text and '"WorkerQueue"' in text, role
