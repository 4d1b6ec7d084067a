"""The holder reminders' schedule: EventBridge Scheduler in the template puts the very message the
local timer sends on the worker queue (infra/base.yaml, infra/local/pump.py)."""

from __future__ import annotations

import json

from chalicelib.worker.tasks import TASKS
from infra.build import build_template
from infra.local.pump import reminder_message


def test_the_schedule_sends_the_reminder_task_to_the_worker_queue_daily() -> None:
    resources = build_template()["Resources"]
    schedule = resources["HolderRemindersSchedule"]
    assert schedule["Type"] == "AWS::Scheduler::Schedule"
    props = schedule["Properties"]
    assert (
        props["ScheduleExpression"].startswith("cron(")
        and props["ScheduleExpressionTimezone"] == "Asia/Jakarta"
    )
    assert props["Target"]["Arn"] == {"Fn::GetAtt": ["WorkerQueue", "Arn"]}
    assert json.loads(props["Target"]["Input"]) == reminder_message("<aws.scheduler.scheduled-time>")
    assert reminder_message("x")["task"] in TASKS
    role = resources["SchedulerRole"]["Properties"]
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Action"] == "sqs:SendMessage" and statement["Resource"] == props["Target"]["Arn"]
