"""Create Loket's resources in moto from the same template CloudFormation deploys.

moto cannot deploy a SAM template and its CloudFormation state machines do not execute, so this
reads the merge template (infra/build.py) and makes each resource with boto3, resolving the
intrinsic functions the template uses (Ref, Fn::GetAtt, Fn::Sub). Resources with no meaning on
a loopback stand-in (IAM, CloudFront, bucket policies) are skipped by name below. The result is
the environment the app needs, computed from the template's own Lambda environment mapping.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import boto3

from infra.build import LAMBDA_ENVIRONMENT, build_template

ACCOUNT = "123456789012"  # moto's default account

SKIPPED_TYPES = {
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::ResponseHeadersPolicy",  # the local site server sends the same headers
    # moto has no GuardDuty: locally the stand-in scanner (LOKET_MALWARE_SCANNER=stand-in) scans.
    "AWS::GuardDuty::MalwareProtectionPlan",
    # Alarms watch CloudWatch metrics, which moto does not produce: nothing to make locally.
    "AWS::SNS::Topic",
    "AWS::CloudWatch::Alarm",
    # The local stack sends the schedule's message on a timer of its own (infra/local/run.py).
    "AWS::Scheduler::Schedule",
    # Lambda's log groups and the addresses the deployed functions read from SSM (run.py and
    # the tests give the addresses in the environment instead).
    "AWS::Logs::LogGroup",
    "AWS::SSM::Parameter",
}

ORDER = (
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::SES::EmailIdentity",
    "AWS::StepFunctions::StateMachine",
)


class ProvisionError(RuntimeError):
    """The template uses something this local provisioner does not know."""


@dataclass
class Stack:
    """What has been made: physical ids and attributes by logical id, for intrinsic functions."""

    name: str
    region: str
    parameters: dict[str, str]
    refs: dict[str, str] = field(default_factory=dict)
    attrs: dict[tuple[str, str], str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)

    def condition(self, name: str) -> bool:
        """The template's condition `name` (Fn::Equals / Fn::Not / Fn::And / Fn::Or / Condition)."""
        return self._truth(self.conditions[name])

    def _truth(self, value: Any) -> bool:
        ((key, arg),) = value.items()
        if key == "Fn::Equals":
            left, right = (str(self.resolve(v)) for v in arg)
            return left == right
        if key == "Fn::Not":
            return not self._truth(arg[0])
        if key == "Fn::And":
            return all(self._truth(v) for v in arg)
        if key == "Fn::Or":
            return any(self._truth(v) for v in arg)
        if key == "Condition":
            return self.condition(arg)
        raise ProvisionError(f"unknown condition function {key}")

    def pseudo(self, name: str) -> str:
        return {
            "AWS::StackName": self.name,
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }[name]

    def ref(self, name: str) -> str:
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.parameters:
            return self.parameters[name]
        if name in self.refs:
            return self.refs[name]
        raise ProvisionError(f"Ref to {name} before it was made (or it is skipped locally)")

    def resolve(self, value: Any) -> Any:
        """Resolve Ref / Fn::GetAtt / Fn::Sub anywhere inside `value`."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                return self.attrs[(arg[0], arg[1])]
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(arg[0])]
            if key == "Fn::Split":
                return str(self.resolve(arg[1])).split(arg[0])
            if key == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1), extra), text)
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, name: str, extra: dict[str, str]) -> str:
        if name in extra:
            return str(extra[name])
        if "." in name:
            logical, attr = name.split(".", 1)
            return self.attrs[(logical, attr)]
        return self.ref(name)


def _table(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    name = f"{stack.name}-{logical.lower()}"
    boto3.client("dynamodb", region_name=stack.region).create_table(
        TableName=name,
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props.get("GlobalSecondaryIndexes", []),
        BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
        SSESpecification={"Enabled": True},
    )
    if "TimeToLiveSpecification" in props:
        boto3.client("dynamodb", region_name=stack.region).update_time_to_live(
            TableName=name, TimeToLiveSpecification=props["TimeToLiveSpecification"]
        )
    stack.refs[logical] = name
    stack.attrs[(logical, "Arn")] = f"arn:aws:dynamodb:{stack.region}:{ACCOUNT}:table/{name}"


def _bucket(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    name = f"{stack.name}-{logical.lower().removesuffix('bucket')}-{ACCOUNT}"
    s3 = boto3.client("s3", region_name=stack.region)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": stack.region})
    if "BucketEncryption" in props:
        # CloudFormation and the S3 API spell the default-encryption key differently.
        rules = [
            {"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"]}
            for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
    if "CorsConfiguration" in props:
        rules = [
            {("MaxAgeSeconds" if k == "MaxAge" else k): v for k, v in rule.items()}
            for rule in props["CorsConfiguration"]["CorsRules"]
        ]
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
    stack.refs[logical] = name
    stack.attrs[(logical, "Arn")] = f"arn:aws:s3:::{name}"
    stack.attrs[(logical, "RegionalDomainName")] = f"{name}.s3.{stack.region}.amazonaws.com"


def _queue(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    attributes: dict[str, str] = {}
    if "VisibilityTimeout" in props:
        attributes["VisibilityTimeout"] = str(props["VisibilityTimeout"])
    if "MessageRetentionPeriod" in props:
        attributes["MessageRetentionPeriod"] = str(props["MessageRetentionPeriod"])
    if "RedrivePolicy" in props:
        attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
    sqs = boto3.client("sqs", region_name=stack.region)
    url = sqs.create_queue(QueueName=props["QueueName"], Attributes=attributes)["QueueUrl"]
    stack.refs[logical] = url
    stack.attrs[(logical, "Arn")] = f"arn:aws:sqs:{stack.region}:{ACCOUNT}:{props['QueueName']}"
    stack.attrs[(logical, "QueueName")] = props["QueueName"]


def _user_pool(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = {"PoolName": props["UserPoolName"]}
    for key in (
        "Policies",
        "AutoVerifiedAttributes",
        "UsernameConfiguration",
        "AdminCreateUserConfig",
        "AccountRecoverySetting",
        "Schema",
    ):
        if key in props:
            kwargs[key] = props[key]
    pool = boto3.client("cognito-idp", region_name=stack.region).create_user_pool(**kwargs)["UserPool"]
    stack.refs[logical] = pool["Id"]
    stack.attrs[(logical, "Arn")] = pool["Arn"]


def _user_pool_client(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    created = boto3.client("cognito-idp", region_name=stack.region).create_user_pool_client(
        UserPoolId=props["UserPoolId"],
        ClientName=props["ClientName"],
        GenerateSecret=props.get("GenerateSecret", False),
        ExplicitAuthFlows=props.get("ExplicitAuthFlows", []),
        ReadAttributes=props.get("ReadAttributes", []),
        WriteAttributes=props.get("WriteAttributes", []),
    )["UserPoolClient"]
    stack.refs[logical] = created["ClientId"]


def _email_identity(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    domain = props["EmailIdentity"]
    boto3.client("ses", region_name=stack.region).verify_domain_identity(Domain=domain)
    stack.refs[logical] = domain


def _state_machine(stack: Stack, logical: str, props: dict[str, Any]) -> None:
    name = props["StateMachineName"]
    substitutions: dict[str, str] = props.get("DefinitionSubstitutions", {})
    text = json.dumps(props["Definition"])
    for key, value in substitutions.items():
        text = text.replace("${" + key + "}", str(value))
    created = boto3.client("stepfunctions", region_name=stack.region).create_state_machine(
        name=name,
        definition=text,
        roleArn=props["RoleArn"],
        type=props.get("StateMachineType", "STANDARD"),
    )
    stack.refs[logical] = created["stateMachineArn"]
    stack.attrs[(logical, "Name")] = name


MAKERS = {
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::StepFunctions::StateMachine": _state_machine,
}


def provision(
    stack_name: str = "loket",
    region: str = "ap-southeast-3",
    parameters: dict[str, str] | None = None,
) -> dict[str, str]:
    """Create every resource of the template; return the app's environment (LOKET_* settings)."""
    template = build_template()
    params = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    # Locally every stage's parts are made (the wiring check's machine is not production's).
    params["Stage"] = "local"
    params.update(parameters or {})
    stack = Stack(
        stack_name,
        region,
        params,
        conditions={"Always": {"Fn::Equals": [1, 1]}, **template.get("Conditions", {})},
    )
    resources: dict[str, dict[str, Any]] = {
        k: v
        for k, v in template["Resources"].items()
        if "Type" in v  # partial = Chalice's
    }
    unknown = {r["Type"] for r in resources.values()} - set(MAKERS) - SKIPPED_TYPES
    if unknown:
        raise ProvisionError(f"no local maker for resource types: {', '.join(sorted(unknown))}")
    for logical, resource in resources.items():
        if resource["Type"] in SKIPPED_TYPES:
            # Stand-in ids, so what refers to a skipped resource (a role's ARN) still resolves.
            stack.refs[logical] = f"{stack_name}-{logical}"
            stack.attrs[(logical, "Arn")] = f"arn:aws:iam::{ACCOUNT}:role/{stack_name}-{logical}"
    for kind in ORDER:
        for logical, resource in resources.items():
            if resource["Type"] == kind and stack.condition(resource.get("Condition", "Always")):
                # Resolve one property at a time so later ones can refer to what is made.
                props = {k: stack.resolve(v) for k, v in resource.get("Properties", {}).items()}
                MAKERS[kind](stack, logical, props)
    env = {name: str(stack.resolve(value)) for name, value in LAMBDA_ENVIRONMENT.items()}
    # In AWS the functions read both addresses from SSM (settings.py); here they are given.
    del env["LOKET_URL_PARAMETERS"]
    env["LOKET_PUBLIC_SITE_URL"] = params.get("PublicSiteUrl", "")
    env["LOKET_STAFF_SITE_URL"] = params.get("StaffSiteUrl", "")
    # SES starts in the sandbox: verify the sender address as well as its domain.
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=env["LOKET_MAIL_SENDER"])
    return env
