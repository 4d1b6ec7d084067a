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
}

# The environment of both Lambda functions: resource names the code reads lazily via settings.
LAMBDA_ENVIRONMENT = {
    "LOKET_TABLE": {"Ref": "Table"},
    "LOKET_UPLOADS_BUCKET": {"Ref": "UploadsBucket"},
    "LOKET_DOCUMENTS_BUCKET": {"Ref": "DocumentsBucket"},
    "LOKET_WORKER_QUEUE_URL": {"Ref": "WorkerQueue"},
    "LOKET_STATE_MACHINE_PREFIX": {
        "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}"
        ":stateMachine:${AWS::StackName}-"
    },
    "LOKET_STAFF_POOL_ID": {"Ref": "StaffUserPool"},
    "LOKET_STAFF_CLIENT_ID": {"Ref": "StaffUserPoolClient"},
    "LOKET_APPLICANT_POOL_ID": {"Ref": "ApplicantUserPool"},
    "LOKET_APPLICANT_CLIENT_ID": {"Ref": "ApplicantUserPoolClient"},
    "LOKET_MAIL_SENDER": {"Ref": "MailSender"},
    "LOKET_PUBLIC_SITE_URL": {"Ref": "PublicSiteUrl"},
    "LOKET_STAFF_SITE_URL": {"Ref": "StaffSiteUrl"},
    "LOKET_TIME_SCALE": {"Ref": "TimeScale"},
}

# Chalice's logical ids for the functions of app.py.
FUNCTIONS = ("APIHandler", "Worker")


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
        resources[logical_id(name)] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"},
                "StateMachineType": "STANDARD",
                "RoleArn": {"Fn::GetAtt": ["StatesRole", "Arn"]},
                "Definition": definition,
                "DefinitionSubstitutions": copy.deepcopy(SUBSTITUTIONS),
            },
        }
        resources[logical_id(name).replace("StateMachine", "FailedAlarm")] = _failed_alarm(logical_id(name))
    for function in FUNCTIONS:
        resources[function] = {
            "Properties": {"Environment": {"Variables": copy.deepcopy(LAMBDA_ENVIRONMENT)}}
        }
    # Chalice names the worker's queue by its static name in the event source; the queue exists
    # first because the environment above refers to it.
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the merge template for chalice package.")
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(build_template(), indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"merge template written: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
