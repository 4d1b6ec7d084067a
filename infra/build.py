"""Build the merge template: infra/base.yaml plus the state machines and the Lambda wiring.

`chalice package --merge-template` takes the result; the local provisioner reads the same
result (the resources part), so AWS and moto get one definition.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import yaml

INFRA = Path(__file__).resolve().parent

# Substitutions every state machine definition may use, resolved by CloudFormation in AWS and
# by infra.local.provision locally.
SUBSTITUTIONS = {
    "TableName": {"Ref": "Table"},
    "WorkerQueueUrl": {"Ref": "WorkerQueue"},
    "NoticeQueueUrl": {"Ref": "NoticeQueue"},
}

# The environment of both Lambda functions: resource names the code reads lazily via settings.
LAMBDA_ENVIRONMENT = {
    "LOKET_TABLE": {"Ref": "Table"},
    "LOKET_UPLOADS_BUCKET": {"Ref": "UploadsBucket"},
    "LOKET_DOCUMENTS_BUCKET": {"Ref": "DocumentsBucket"},
    "LOKET_WORKER_QUEUE_URL": {"Ref": "WorkerQueue"},
    "LOKET_NOTICE_QUEUE_URL": {"Ref": "NoticeQueue"},
    "LOKET_STATE_MACHINE_PREFIX": {
        "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}"
        ":stateMachine:${AWS::StackName}-"
    },
    "LOKET_STAFF_POOL_ID": {"Ref": "StaffUserPool"},
    "LOKET_STAFF_CLIENT_ID": {"Ref": "StaffUserPoolClient"},
    "LOKET_APPLICANT_POOL_ID": {"Ref": "ApplicantUserPool"},
    "LOKET_APPLICANT_CLIENT_ID": {"Ref": "ApplicantUserPoolClient"},
    "LOKET_MAIL_SENDER": {"Ref": "MailSender"},
    # The public site's and staff pages' addresses: SSM parameters under this prefix
    # (`public-site-url`, `staff-site-url`), read once per cold start (chalicelib/settings.py).
    "LOKET_URL_PARAMETERS": {"Fn::Sub": "/${AWS::StackName}/"},
    "LOKET_TIME_SCALE": {"Ref": "TimeScale"},
}

# Chalice's logical ids for the functions of app.py.
FUNCTIONS = ("APIHandler", "Worker")

# Services that exist to test the wiring, never deployed to production (the template's
# NotProduction condition): `uji-sambungan`, the thin slice.
TEST_ONLY_SERVICES = ("uji-sambungan",)


def state_machine_definitions() -> dict[str, dict[str, Any]]:
    """Machine name -> ASL definition (with ${...} placeholders): one compiled from every service
    standard of every office (`<office>-<service>`), the wiring check `uji-sambungan` included."""
    from chalicelib.sop.compiler import compile_service, machine_name
    from chalicelib.sop.loader import list_offices, list_services, load_office, load_service

    machines = {}
    for office_id in list_offices():
        office = load_office(office_id)
        for service_id in list_services(office_id):
            definition = compile_service(office, load_service(office_id, service_id))
            machines[machine_name(office_id, service_id)] = definition
    return machines


def logical_id(machine: str) -> str:
    return "".join(part.capitalize() for part in machine.replace("_", "-").split("-")) + "StateMachine"


def _failed_alarm(machine: str) -> dict[str, Any]:
    """An alarm when an execution of `machine` (a logical id) fails: a case marked stuck."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": "Eksekusi layanan gagal: berkas berstatus macet; lihat meja operator.",
            "Namespace": "AWS/States",
            "MetricName": "ExecutionsFailed",
            "Dimensions": [{"Name": "StateMachineArn", "Value": {"Ref": machine}}],
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def build_template() -> dict[str, Any]:
    """The merge template as a dict."""
    template: dict[str, Any] = yaml.safe_load((INFRA / "base.yaml").read_text(encoding="utf-8"))
    resources = template["Resources"]
    for name, definition in state_machine_definitions().items():
        machine: dict[str, Any] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"},
                "StateMachineType": "STANDARD",
                "RoleArn": {"Fn::GetAtt": ["StatesRole", "Arn"]},
                "Definition": definition,
                "DefinitionSubstitutions": copy.deepcopy(SUBSTITUTIONS),
                # Errors only and never the execution's data: a case carries personal data.
                "LoggingConfiguration": {
                    "Level": "ERROR",
                    "IncludeExecutionData": False,
                    "Destinations": [
                        {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["StatesLogGroup", "Arn"]}}}
                    ],
                },
            },
        }
        alarm = _failed_alarm(logical_id(name))
        if name.endswith(tuple(f"-{service}" for service in TEST_ONLY_SERVICES)):
            machine["Condition"] = alarm["Condition"] = "NotProduction"
        resources[logical_id(name)] = machine
        resources[logical_id(name).replace("StateMachine", "FailedAlarm")] = alarm
    for function in FUNCTIONS:
        # base.yaml gives each function its logging and concurrency; the environment is added.
        properties = resources.setdefault(function, {}).setdefault("Properties", {})
        properties["Environment"] = {"Variables": copy.deepcopy(LAMBDA_ENVIRONMENT)}
    return template


def finish(template: dict[str, Any]) -> dict[str, Any]:
    """What a merge cannot do to `chalice package`'s template (it merges dicts, it never drops a
    key): the worker's SQS trigger names this stack's WorkerQueue by its ARN instead of Chalice's
    fixed name (`loket-worker`), so each stage has its own queue and the trigger is made after it."""
    trigger = template["Resources"]["Worker"]["Properties"]["Events"]["WorkerSqsEventSource"]["Properties"]
    trigger["Queue"] = {"Fn::GetAtt": ["WorkerQueue", "Arn"]}
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the merge template for chalice package.")
    parser.add_argument("output", type=Path, nargs="?", help="the merge template to write")
    parser.add_argument("--finish", type=Path, help="instead: finish chalice package's sam.json in place")
    args = parser.parse_args(argv)
    if args.finish:
        template = finish(json.loads(args.finish.read_text(encoding="utf-8")))
        args.finish.write_text(json.dumps(template, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"finished: {args.finish}")
        return 0
    if args.output is None:
        parser.error("give the merge template to write, or --finish <sam.json>")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(build_template(), indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"merge template written: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
