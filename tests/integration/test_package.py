"""`make package`: chalice package merged with infra/ gives a template cfn-lint passes for Jakarta."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from chalicelib.documents.fonts import FILES as FONT_FILES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.package
def test_make_package_passes_cfn_lint() -> None:
    result = subprocess.run(["make", "package"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    template = json.loads((ROOT / "out" / "package" / "sam.json").read_text())
    resources = template["Resources"]
    trigger = resources["Worker"]["Properties"]["Events"]["WorkerSqsEventSource"]
    # Bound to this stack's queue (stage-named), at most N workers at once (the API keeps its share).
    assert trigger["Type"] == "SQS"
    assert trigger["Properties"]["Queue"] == {"Fn::GetAtt": ["WorkerQueue", "Arn"]}
    assert trigger["Properties"]["ScalingConfig"] == {
        "MaximumConcurrency": {"Ref": "WorkerMaximumConcurrency"}
    }
    assert resources["WorkerQueue"]["Properties"]["QueueName"] == {"Fn::Sub": "${AWS::StackName}-worker"}
    # Every state machine is compiled from an SOP file; the wiring check's is never production's.
    assert resources["KabPasuruanUjiSambunganStateMachine"]["Type"] == "AWS::StepFunctions::StateMachine"
    assert resources["KabPasuruanUjiSambunganStateMachine"]["Condition"] == "NotProduction"
    assert "Condition" not in resources["KabPasuruanAk1StateMachine"]
    logging = resources["KabPasuruanAk1StateMachine"]["Properties"]["LoggingConfiguration"]
    assert logging["Level"] == "ERROR" and logging["IncludeExecutionData"] is False
    # One role per function, its policy inline (the SQS trigger cannot come before it), and no
    # shared policy: the API cannot read the queue, the worker cannot make staff accounts.
    assert not [k for k, v in resources.items() if v["Type"] == "AWS::IAM::ManagedPolicy"]
    api_policy = json.dumps(resources["ApiHandlerRole"]["Properties"]["Policies"])
    worker_policy = json.dumps(resources["WorkerRole"]["Properties"]["Policies"])
    assert "sqs:ReceiveMessage" in worker_policy and "cognito-idp:AdminCreateUser" not in worker_policy
    assert "cognito-idp:AdminCreateUser" in api_policy and "ses:SendRawEmail" not in api_policy
    api_queue = next(
        st
        for st in resources["ApiHandlerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        if st["Sid"] == "SendTasks"
    )
    assert "sqs:ReceiveMessage" not in api_queue["Action"]
    assert "logs:CreateLogGroup" not in api_policy + worker_policy  # the groups are the stack's
    # Operations: JSON logs kept per stage, REGIONAL and throttled API, deletion protection.
    for function in ("APIHandler", "Worker"):
        assert resources[function]["Properties"]["LoggingConfig"]["LogFormat"] == "JSON"
    api = resources["RestAPI"]["Properties"]
    assert api["EndpointConfiguration"] == "REGIONAL" and api["MethodSettings"][0]["ThrottlingRateLimit"] > 0
    assert resources["Table"]["Properties"]["DeletionProtectionEnabled"] is True
    assert resources["StaffUserPool"]["Properties"]["DeletionProtection"] == "ACTIVE"
    assert resources["MailIdentity"]["Condition"] == "MakesMailIdentity"
    # Its CloudFormation translation (what is really deployed) passed cfn-lint too.
    translated = json.loads((ROOT / "out" / "package" / "translated.json").read_text())["Resources"]
    mapping = [v for v in translated.values() if v["Type"] == "AWS::Lambda::EventSourceMapping"]
    # The worker reads two queues (docs/adr/0032): the worker queue, and the notice queue at most
    # two at once, so escalations never wait in front of card issuing.
    by_queue = {m["Properties"]["EventSourceArn"]["Fn::GetAtt"][0]: m["Properties"] for m in mapping}
    assert set(by_queue) == {"WorkerQueue", "NoticeQueue"}
    assert all(m["FunctionName"] == {"Ref": "Worker"} for m in by_queue.values())
    assert by_queue["WorkerQueue"]["ScalingConfig"]["MaximumConcurrency"]
    assert by_queue["NoticeQueue"]["ScalingConfig"]["MaximumConcurrency"] == 2
    assert "SliceStateMachine" not in resources
    # Alarms: the dead-letter queue, worker errors and throttles, and each machine's failed executions.
    alarms = {k for k, v in resources.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert {
        "WorkerDeadLetterAlarm",
        "WorkerErrorsAlarm",
        "WorkerThrottlesAlarm",
        "KabPasuruanAk1FailedAlarm",
    } <= alarms
    assert resources["KabPasuruanAk1FailedAlarm"]["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    # API Gateway gzips a JSON answer of 1 KB or more for a client that accepts it (issue 16).
    assert resources["RestAPI"]["Properties"]["MinimumCompressionSize"] == 1024
    env = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env["LOKET_TABLE"] == {"Ref": "Table"}
    assert (ROOT / "out" / "package" / "deployment.zip").stat().st_size > 0
    # The documents' fonts ship with the code: a Lambda has no system fonts (documents/fonts.py).
    with zipfile.ZipFile(ROOT / "out" / "package" / "deployment.zip") as package:
        shipped = set(package.namelist())
    assert {f"chalicelib/documents/fonts/{name}" for name in FONT_FILES.values()} <= shipped
    assert "chalicelib/documents/fonts/LICENSE-DejaVu.txt" in shipped
    # The worker's libraries ship too (it imports them lazily, so nothing else would notice).
    assert {"PIL/__init__.py", "reportlab/__init__.py", "pypdf/__init__.py"} <= shipped
    assert "_rl_accel.abi3.so" in shipped  # reportlab's C accelerators: a third of a card's render
