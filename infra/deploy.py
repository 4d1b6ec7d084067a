"""`make deploy STAGE=<stage>` and `make publish-site`: from a clean AWS account to a running office.

Each step prints the AWS CLI command it amounts to (`$ aws ...`), then does it with boto3;
`--dry-run` prints every step and calls nothing (no credentials needed). The steps:

1. `make package` (the template and the code, checked by cfn-lint as SAM and as CloudFormation);
2. the deployment bucket `loket-deploy-<account>-<region>` (private, encrypted; made once);
3. the code and the template uploaded there (the template is read by URL: an inline template
   may hold 51,200 bytes, Loket's holds several hundred KB);
4. the SES identity of the mail domain: made by the stack unless it already exists (another
   stage, or made by hand), never both; the DKIM records are printed;
5. one change set for stack `loket-<stage>` (created or updated), executed and waited for;
6. the public site: `static_site/` with the stage's `config.js`, then a CloudFront invalidation;
7. the addresses: public site, staff login, document verification.

Settings come from the environment: MAIL_DOMAIN and MAIL_SENDER (required for a real deploy),
ALARM_EMAIL, PUBLIC_SITE_URL with SITE_CERTIFICATE_ARN (an own domain), TIME_SCALE.
AWS_ENDPOINT_URL (moto's server in tests) is honoured by boto3 itself. docs/operations.md is the
runbook; docs/adr/0029 says why each step is as it is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "out" / "package"
SITE = ROOT / "static_site"
STAGE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,19}$")  # base.yaml's Stage AllowedPattern
# Below this account concurrency Lambda refuses any reservation (it keeps 100 unreserved).
RESERVE_FROM_ACCOUNT_LIMIT = 200
API_RESERVED_CONCURRENCY = 50
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]

T = TypeVar("T")


class DeployError(RuntimeError):
    """A step cannot go on; `str()` is one line for the IT person (what, and what to do)."""


def stack_name(stage: str) -> str:
    """`loket-<stage>`; raises DeployError for a stage name the template refuses."""
    if not STAGE_PATTERN.match(stage):
        raise DeployError(
            f"stage {stage!r}: lowercase letters, digits and '-', starting with a letter, at most 20"
        )
    return f"loket-{stage}"


def deployment_bucket(account: str, region: str) -> str:
    """The one deployment bucket of an account and region, shared by every stage."""
    return f"loket-deploy-{account}-{region}"


def site_config(api_url: str, region: str, applicant_client_id: str) -> str:
    """config.js of the public site: where its pages find the API and the applicant pool client."""
    config = {"apiUrl": api_url.rstrip("/"), "region": region, "applicantClientId": applicant_client_id}
    return f"window.LOKET = {json.dumps(config, indent=2)};\n"


@dataclass
class Runner:
    """Prints each step as its AWS CLI command; runs it unless dry."""

    dry_run: bool
    out: TextIO = sys.stdout
    commands: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def step(self, command: str, action: Callable[[], T], dry: T) -> T:
        """Print `$ command`; return action() or, in a dry run, `dry`."""
        self.commands.append(command)
        self.say(f"$ {command}")
        return dry if self.dry_run else action()


def _client(service: str, region: str) -> Any:
    import boto3

    return boto3.client(service, region_name=region)


def _missing(exc: Exception, *codes: str) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in codes


def ensure_bucket(run: Runner, bucket: str, region: str) -> None:
    """Make the deployment bucket once: private, AES256, old artefacts gone after 90 days."""
    s3 = None if run.dry_run else _client("s3", region)
    if s3 is not None:
        try:
            s3.head_bucket(Bucket=bucket)
            run.say(f"# deployment bucket s3://{bucket} exists")
            return
        except Exception as exc:
            if not _missing(exc, "404", "NoSuchBucket", "NotFound"):
                raise
    run.step(
        f"aws s3api create-bucket --bucket {bucket} --region {region} "
        f"--create-bucket-configuration LocationConstraint={region}",
        lambda: s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}),  # type: ignore[union-attr]
        None,
    )
    block = {
        k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    }
    run.step(
        f"aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        lambda: s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=block),  # type: ignore[union-attr]
        None,
    )
    rules = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    run.step(
        f"aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration "
        f"{shlex.quote(json.dumps(rules))}",
        lambda: s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=rules),  # type: ignore[union-attr]
        None,
    )
    lifecycle = {
        "Rules": [
            {"ID": "old-artefacts", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 90}}
        ]
    }
    run.step(
        f"aws s3api put-bucket-lifecycle-configuration --bucket {bucket} --lifecycle-configuration "
        f"{shlex.quote(json.dumps(lifecycle))}",
        lambda: s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=lifecycle),  # type: ignore[union-attr]
        None,
    )


def _shown(path: Path) -> str:
    """A path as the commands print it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def upload_artifacts(run: Runner, bucket: str, stage: str, region: str, package: Path = PACKAGE) -> str:
    """Upload deployment.zip (key by content) and the template pointing at it; return the
    template's URL for CloudFormation. Raises DeployError when `make package` has not run."""
    sam, code = package / "sam.json", package / "deployment.zip"
    if not run.dry_run and not (sam.exists() and code.exists()):
        raise DeployError(f"{sam} or {code} is missing: run make package first")
    code_key = f"{stage}/code-{_sha256(code)[:16]}.zip" if code.exists() else f"{stage}/code-<sha256>.zip"
    s3 = None if run.dry_run else _client("s3", region)
    run.step(
        f"aws s3 cp {_shown(code)} s3://{bucket}/{code_key}",
        lambda: s3.upload_file(str(code), bucket, code_key),  # type: ignore[union-attr]
        None,
    )
    if sam.exists():
        template = json.loads(sam.read_text(encoding="utf-8"))
        for resource in template["Resources"].values():
            if resource.get("Type") == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = f"s3://{bucket}/{code_key}"
        body = json.dumps(template, separators=(",", ":"), ensure_ascii=False).encode()
    else:
        body = b""
    template_key = f"{stage}/template-{hashlib.sha256(body).hexdigest()[:16]}.json"
    run.step(
        f"aws s3 cp {_shown(sam)} s3://{bucket}/{template_key}  # CodeUri -> s3://{bucket}/{code_key}",
        lambda: s3.put_object(Bucket=bucket, Key=template_key, Body=body, ContentType="application/json"),  # type: ignore[union-attr]
        None,
    )
    return f"https://{bucket}.s3.{region}.amazonaws.com/{template_key}"


@dataclass
class MailIdentity:
    """The SES identity of the mail domain as SES knows it."""

    exists: bool
    verified: bool
    dkim_tokens: list[str]


def mail_identity(run: Runner, domain: str, region: str) -> MailIdentity:
    """Ask SES about `domain` (absent: exists False)."""
    sesv2 = None if run.dry_run else _client("sesv2", region)

    def ask() -> MailIdentity:
        try:
            found = sesv2.get_email_identity(EmailIdentity=domain)  # type: ignore[union-attr]
        except Exception as exc:
            if _missing(exc, "NotFoundException"):
                return MailIdentity(False, False, [])
            raise
        return MailIdentity(
            True,
            bool(found.get("VerifiedForSendingStatus")),
            list(found.get("DkimAttributes", {}).get("Tokens", [])),
        )

    return run.step(
        f"aws sesv2 get-email-identity --email-identity {domain} --region {region}",
        ask,
        MailIdentity(False, False, []),
    )


def stack_parameters(run: Runner, name: str, region: str) -> dict[str, str] | None:
    """The parameters the stack was last deployed with, or None when there is no such stack."""
    cfn = None if run.dry_run else _client("cloudformation", region)

    def ask() -> dict[str, str] | None:
        try:
            stack = cfn.describe_stacks(StackName=name)["Stacks"][0]  # type: ignore[union-attr]
        except Exception as exc:
            if _missing(exc, "ValidationError"):
                return None
            raise
        if stack["StackStatus"] == "REVIEW_IN_PROGRESS":
            return None
        if stack["StackStatus"] == "ROLLBACK_COMPLETE":
            raise DeployError(
                f"stack {name} failed to create and was rolled back: read its events, then "
                f"`aws cloudformation delete-stack --stack-name {name}` and deploy again"
            )
        return {p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters", [])}

    return run.step(f"aws cloudformation describe-stacks --stack-name {name} --region {region}", ask, None)


def api_reserved_concurrency(run: Runner, region: str) -> int:
    """API_RESERVED_CONCURRENCY when the account's Lambda limit allows a reservation, else 0."""
    lam = None if run.dry_run else _client("lambda", region)
    limit = run.step(
        f"aws lambda get-account-settings --region {region}",
        lambda: int(lam.get_account_settings()["AccountLimit"]["ConcurrentExecutions"]),  # type: ignore[union-attr]
        1000,
    )
    if limit < RESERVE_FROM_ACCOUNT_LIMIT:
        run.say(
            f"# Lambda concurrency of this account is {limit}: no reservation for the API (ask for 1000, "
            "docs/operations.md, then deploy again)"
        )
        return 0
    return API_RESERVED_CONCURRENCY


def deploy_stack(
    run: Runner, name: str, template_url: str, parameters: dict[str, str], region: str, exists: bool
) -> None:
    """One change set (CREATE or UPDATE), executed and waited for. Nothing to change is fine."""
    cfn = None if run.dry_run else _client("cloudformation", region)
    kind = "UPDATE" if exists else "CREATE"
    change_set = f"{name}-{hashlib.sha256(template_url.encode()).hexdigest()[:8]}-{os.getpid()}"
    overrides = " ".join(f"{k}={shlex.quote(v)}" for k, v in parameters.items())

    def create() -> bool:
        cfn.create_change_set(  # type: ignore[union-attr]
            StackName=name,
            ChangeSetName=change_set,
            ChangeSetType=kind,
            TemplateURL=template_url,
            Capabilities=CAPABILITIES,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Tags=[{"Key": "loket:stage", "Value": parameters["Stage"]}],
        )
        try:
            cfn.get_waiter("change_set_create_complete").wait(  # type: ignore[union-attr]
                StackName=name, ChangeSetName=change_set, WaiterConfig={"Delay": 5, "MaxAttempts": 120}
            )
        except Exception:
            reason = cfn.describe_change_set(StackName=name, ChangeSetName=change_set).get("StatusReason", "")  # type: ignore[union-attr]
            if "didn't contain changes" in reason or "No updates" in reason:
                run.say("# nothing to change in the stack")
                return False
            raise DeployError(f"change set {change_set} failed: {reason}") from None
        return True

    changed = run.step(
        f"aws cloudformation create-change-set --stack-name {name} --change-set-name {change_set} "
        f"--change-set-type {kind} --template-url {template_url} --capabilities {' '.join(CAPABILITIES)} "
        f"--parameters {overrides} --region {region}",
        create,
        True,
    )
    if not changed:
        return
    waiter = "stack_update_complete" if exists else "stack_create_complete"
    run.step(
        f"aws cloudformation execute-change-set --stack-name {name} --change-set-name {change_set} "
        f"--region {region} && aws cloudformation wait {waiter.replace('_', '-')} --stack-name {name}",
        lambda: (
            cfn.execute_change_set(StackName=name, ChangeSetName=change_set),  # type: ignore[union-attr]
            cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig={"Delay": 15, "MaxAttempts": 240}),  # type: ignore[union-attr]
        ),
        None,
    )


def stack_outputs(run: Runner, name: str, region: str) -> dict[str, str]:
    """The stack's outputs by key (placeholders `<Key>` in a dry run)."""
    cfn = None if run.dry_run else _client("cloudformation", region)
    placeholder = _Placeholders()
    return run.step(
        f"aws cloudformation describe-stacks --stack-name {name} --query Stacks[0].Outputs --region {region}",
        lambda: {
            o["OutputKey"]: o["OutputValue"]
            for o in cfn.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])  # type: ignore[union-attr]
        },
        placeholder,
    )


class _Placeholders(dict[str, str]):
    """A dry run's stack outputs: every key reads as `<Key>`."""

    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _site_files(site: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.name != "config.js":
            yield path.relative_to(site).as_posix(), path


def publish_site(run: Runner, outputs: dict[str, str], region: str, site: Path = SITE) -> None:
    """static_site/ to the site bucket with the stage's config.js, stale files removed, every
    file `Cache-Control: no-cache` (a phone never mixes an old module with a new one: it asks
    again and gets a 304), then a CloudFront invalidation of /* so the edge asks too."""
    bucket, distribution = outputs["SiteBucketName"], outputs["SiteDistributionId"]
    s3 = None if run.dry_run else _client("s3", region)
    config = site_config(outputs["EndpointURL"], region, outputs["ApplicantUserPoolClientId"])
    files = dict(_site_files(site))
    run.step(
        f"aws s3 sync {_shown(site)}/ s3://{bucket}/ --delete --cache-control no-cache --exclude config.js",
        lambda: _sync(s3, bucket, files),
        None,
    )
    run.step(
        f"aws s3 cp - s3://{bucket}/config.js --content-type text/javascript --cache-control no-cache"
        f"  # {config!r}",
        lambda: s3.put_object(  # type: ignore[union-attr]
            Bucket=bucket,
            Key="config.js",
            Body=config.encode(),
            ContentType="text/javascript",
            CacheControl="no-cache",
        ),
        None,
    )
    cloudfront = None if run.dry_run else _client("cloudfront", region)
    run.step(
        f'aws cloudfront create-invalidation --distribution-id {distribution} --paths "/*"',
        lambda: cloudfront.create_invalidation(  # type: ignore[union-attr]
            DistributionId=distribution,
            InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": ["/*"]},
                "CallerReference": _sha256_files(files, config),
            },
        ),
        None,
    )


def _sha256_files(files: dict[str, Path], config: str) -> str:
    digest = hashlib.sha256(config.encode())
    for key, path in files.items():
        digest.update(key.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _sync(s3: Any, bucket: str, files: dict[str, Path]) -> None:
    for key, path in files.items():
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".js", ".mjs"):
            content_type = "text/javascript"
        s3.upload_file(
            str(path), bucket, key, ExtraArgs={"ContentType": content_type, "CacheControl": "no-cache"}
        )
    kept = set(files) | {"config.js"}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        stale = [{"Key": o["Key"]} for o in page.get("Contents", []) if o["Key"] not in kept]
        if stale:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": stale})


def addresses(outputs: dict[str, str]) -> dict[str, str]:
    """What to tell the office: public site, staff login, document verification (cek.html)."""
    site = outputs["PublicSiteUrl"].rstrip("/")
    return {
        "Situs publik (pemohon)": f"{site}/",
        "Login petugas": outputs["StaffLoginUrl"],
        "Cek keaslian dokumen": f"{site}/cek.html",
    }


def print_dkim(run: Runner, domain: str, tokens: list[str]) -> None:
    """The three CNAME records SES needs in the domain's DNS (Easy DKIM)."""
    run.say(f"\nDKIM untuk {domain} (tiga CNAME di DNS domain; SES memverifikasi dalam 72 jam):")
    for token in tokens or ["<token1>", "<token2>", "<token3>"]:
        run.say(f"  {token}._domainkey.{domain}  CNAME  {token}.dkim.amazonses.com")


def account_id(run: Runner, region: str) -> str:
    sts = None if run.dry_run else _client("sts", region)
    return run.step(
        "aws sts get-caller-identity --query Account",
        lambda: str(sts.get_caller_identity()["Account"]),  # type: ignore[union-attr]
        "<account>",
    )


def deploy(stage: str, region: str, dry_run: bool, env: dict[str, str], out: TextIO = sys.stdout) -> Runner:
    """The whole path (see the module docstring). Returns the runner (its commands, in order)."""
    run = Runner(dry_run, out)
    name = stack_name(stage)
    domain, sender = env.get("MAIL_DOMAIN", ""), env.get("MAIL_SENDER", "")
    if not (domain and sender):
        if not dry_run:
            raise DeployError(
                "set MAIL_DOMAIN (e.g. disnaker.pasuruankab.go.id) and MAIL_SENDER (no-reply@<domain>)"
            )
        domain, sender = domain or "<MAIL_DOMAIN>", sender or "<MAIL_SENDER>"
    if not sender.endswith("@" + domain) and not dry_run:
        raise DeployError(f"MAIL_SENDER {sender} is not an address of MAIL_DOMAIN {domain}")
    run.step(
        f"make package STAGE={stage} REGION={region}",
        lambda: subprocess.run(  # noqa: S603 - fixed arguments
            ["make", "package", f"STAGE={stage}", f"REGION={region}"],  # noqa: S607 - make from PATH
            cwd=ROOT,
            check=True,
        ),
        None,
    )
    account = account_id(run, region)
    bucket = deployment_bucket(account, region)
    ensure_bucket(run, bucket, region)
    template_url = upload_artifacts(run, bucket, stage, region)
    previous = stack_parameters(run, name, region)
    identity = mail_identity(run, domain, region)
    # The stack makes the identity unless it already exists outside the stack; a stack that made
    # it keeps it (its own earlier deploy is why it exists now).
    owns = (
        previous is not None
        and previous.get("CreateMailIdentity") == "true"
        and previous.get("MailDomain") == domain
    )
    create_identity = owns or not identity.exists
    parameters = {
        "Stage": stage,
        "MailDomain": domain,
        "MailSender": sender,
        "CreateMailIdentity": "true" if create_identity else "false",
        "CognitoMailThroughSes": "true" if identity.verified else "false",
        "ApiReservedConcurrency": str(api_reserved_concurrency(run, region)),
        "AlarmEmail": env.get("ALARM_EMAIL", ""),
        "PublicSiteUrl": env.get("PUBLIC_SITE_URL", ""),
        "SiteCertificateArn": env.get("SITE_CERTIFICATE_ARN", ""),
        "TimeScale": env.get("TIME_SCALE", "60"),
    }
    if parameters["PublicSiteUrl"] and not parameters["SiteCertificateArn"] and not dry_run:
        raise DeployError(
            "PUBLIC_SITE_URL needs SITE_CERTIFICATE_ARN: an ACM certificate of that domain in us-east-1"
        )
    deploy_stack(run, name, template_url, parameters, region, exists=previous is not None)
    outputs = stack_outputs(run, name, region)
    publish_site(run, outputs, region)
    if create_identity and not identity.exists:
        identity = mail_identity(run, domain, region)  # the stack made it: its DKIM tokens now
    print_dkim(run, domain, identity.dkim_tokens)
    if not identity.verified:
        run.say(
            "  Belum terverifikasi: email Cognito (undangan, kode) memakai pengirim bawaan Cognito sampai "
            "DKIM terverifikasi; jalankan make deploy lagi sesudahnya."
        )
    run.say(f"\n=== Loket {stage} ({name}, {region}) ===")
    for label, url in addresses(outputs).items():
        run.say(f"  {label:<24} {url}")
    run.say(
        f"\nAkun admin pertama: python -m chalicelib.cli bootstrap --pool {outputs['StaffUserPoolId']} "
        "--office <kantor> --name '<nama>' --nip <NIP> --email <email>"
    )
    return run


def publish(stage: str, region: str, dry_run: bool, out: TextIO = sys.stdout) -> Runner:
    """`make publish-site`: the site of a deployed stage again (after a change to static_site/)."""
    run = Runner(dry_run, out)
    outputs = stack_outputs(run, stack_name(stage), region)
    publish_site(run, outputs, region)
    run.say(f"  Situs publik: {addresses(outputs)['Situs publik (pemohon)']}")
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Deploy a Loket stage to AWS (docs/operations.md).")
    parser.add_argument("command", choices=["deploy", "publish-site"])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--region", default="ap-southeast-3")
    parser.add_argument("--dry-run", action="store_true", help="print every step, call nothing")
    args = parser.parse_args(argv)
    try:
        if args.command == "deploy":
            deploy(args.stage, args.region, args.dry_run, dict(os.environ))
        else:
            publish(args.stage, args.region, args.dry_run)
    except DeployError as exc:
        print(f"make {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
