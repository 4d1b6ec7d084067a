"""`make deploy` / `make publish-site` (infra/deploy.py): every command printed in a dry run
without credentials, and the steps moto supports (deployment bucket, artefact upload, SES
identity, site publish, CloudFront invalidation) run against moto's server on a free port."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from infra import deploy
from tests.deadlines import SLACK_SECONDS
from tests.stack import free_port, stack_env

ROOT = Path(__file__).resolve().parents[2]
REGION = "ap-southeast-3"


def test_a_dry_run_prints_every_command_and_needs_no_account() -> None:
    env = stack_env()  # no AWS_* at all: nothing may be called
    result = subprocess.run(
        [sys.executable, "-m", "infra.deploy", "deploy", "--stage", "staging", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SLACK_SECONDS * 2,  # a Python start, the package step printed only
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    commands = [line[2:] for line in out.splitlines() if line.startswith("$ ")]
    expected_order = [
        "make package STAGE=staging",
        "aws sts get-caller-identity",
        "aws s3api create-bucket --bucket loket-deploy-<account>-ap-southeast-3",
        "aws s3api put-public-access-block",
        "aws s3api put-bucket-encryption",
        "aws s3 cp out/package/deployment.zip s3://loket-deploy-<account>-ap-southeast-3/staging/",
        "aws s3 cp out/package/sam.json s3://loket-deploy-<account>-ap-southeast-3/staging/template-",
        "aws cloudformation describe-stacks --stack-name loket-staging",
        "aws sesv2 get-email-identity",
        "aws lambda get-account-settings",
        "aws cloudformation create-change-set --stack-name loket-staging",
        "aws cloudformation execute-change-set --stack-name loket-staging",
        "aws s3 sync static_site/ s3://<SiteBucketName>/ --delete --cache-control no-cache",
        "aws s3 cp - s3://<SiteBucketName>/config.js",
        'aws cloudfront create-invalidation --distribution-id <SiteDistributionId> --paths "/*"',
    ]
    position = 0
    for wanted in expected_order:
        found = [i for i, c in enumerate(commands) if i >= position and c.startswith(wanted)]
        assert found, f"{wanted!r} missing (after command {position}):\n" + "\n".join(commands)
        position = found[0] + 1
    change_set = next(c for c in commands if c.startswith("aws cloudformation create-change-set"))
    # The template goes by URL (no 51,200-byte limit), the stage is a parameter, one deploy.
    assert (
        "--template-url https://loket-deploy-<account>-ap-southeast-3.s3.ap-southeast-3.amazonaws.com/"
        in change_set
    )
    assert "Stage=staging" in change_set and "CreateMailIdentity=true" in change_set
    assert "PublicSiteUrl=''" in change_set  # the CloudFront address, known within the same deploy
    assert change_set.count("create-change-set") == 1
    assert "Login petugas" in out and "<StaffLoginUrl>" in out
    assert "<PublicSiteUrl>/cek.html" in out and "._domainkey." in out


def test_a_bad_stage_name_is_refused_before_anything_runs() -> None:
    with pytest.raises(deploy.DeployError, match="stage"):
        deploy.deploy("Prod_1", REGION, dry_run=True, env={}, out=io.StringIO())


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    try:
        yield url
    finally:
        server.stop()


def _package(tmp: Path) -> Path:
    package = tmp / "package"
    package.mkdir()
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Worker": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        },
        "Padding": "x" * 60_000,  # larger than CloudFormation's inline limit, as the real one is
    }
    (package / "sam.json").write_text(json.dumps(template))
    with zipfile.ZipFile(package / "deployment.zip", "w") as z:
        z.writestr("app.py", "app = None\n")
    return package


def test_the_deployment_bucket_and_artefacts_on_moto(moto_server: str, tmp_path: Path) -> None:
    run = deploy.Runner(dry_run=False, out=io.StringIO())
    account = deploy.account_id(run, REGION)
    bucket = deploy.deployment_bucket(account, REGION)
    deploy.ensure_bucket(run, bucket, REGION)
    deploy.ensure_bucket(run, bucket, REGION)  # made once: the second run only finds it
    assert sum(c.startswith("aws s3api create-bucket") for c in run.commands) == 1
    s3 = boto3.client("s3", region_name=REGION)
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"]
    url = deploy.upload_artifacts(run, bucket, "staging", REGION, package=_package(tmp_path))
    key = url.split(".amazonaws.com/", 1)[1]
    assert url.startswith(f"https://{bucket}.s3.{REGION}.amazonaws.com/staging/template-")
    uploaded = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    code_uri = uploaded["Resources"]["Worker"]["Properties"]["CodeUri"]
    assert code_uri.startswith(f"s3://{bucket}/staging/code-")
    code = s3.get_object(Bucket=bucket, Key=code_uri.split("/", 3)[3])["Body"].read()
    assert zipfile.ZipFile(io.BytesIO(code)).read("app.py") == b"app = None\n"
    assert len(json.dumps(uploaded)) > 51_200


def test_the_mail_identity_is_made_by_the_stack_only_when_ses_has_none(moto_server: str) -> None:
    run = deploy.Runner(dry_run=False, out=io.StringIO())
    assert deploy.mail_identity(run, "disnaker.contoh.go.id", REGION).exists is False
    boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="disnaker.contoh.go.id")
    found = deploy.mail_identity(run, "disnaker.contoh.go.id", REGION)
    assert found.exists is True


def test_the_site_is_published_with_its_config_and_invalidated_on_moto(
    moto_server: str, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="loket-staging-site", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="loket-staging-site", Key="lama.html", Body=b"stale")
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "loket-test",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": "loket-staging-site.s3.ap-southeast-3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https"},
        }
    )["Distribution"]
    outputs = {
        "SiteBucketName": "loket-staging-site",
        "SiteDistributionId": distribution["Id"],
        "EndpointURL": "https://abc123.execute-api.ap-southeast-3.amazonaws.com/api/",
        "ApplicantUserPoolClientId": "client-1",
        "PublicSiteUrl": f"https://{distribution['DomainName']}",
        "StaffLoginUrl": "https://abc123.execute-api.ap-southeast-3.amazonaws.com/api/staff/login",
    }
    run = deploy.Runner(dry_run=False, out=io.StringIO())
    deploy.publish_site(run, outputs, REGION)
    config = s3.get_object(Bucket="loket-staging-site", Key="config.js")
    text = config["Body"].read().decode()
    assert '"apiUrl": "https://abc123.execute-api.ap-southeast-3.amazonaws.com/api"' in text
    assert '"applicantClientId": "client-1"' in text and config["CacheControl"] == "no-cache"
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="loket-staging-site")["Contents"]}
    assert {"index.html", "cek.html", "app.css", "config.js"} <= keys
    assert "lama.html" not in keys  # what the site no longer has is gone
    page = s3.head_object(Bucket="loket-staging-site", Key="index.html")
    assert page["CacheControl"] == "no-cache" and page["ContentType"].startswith("text/html")
    module = next(k for k in keys if k.endswith(".js") and k != "config.js")
    assert s3.head_object(Bucket="loket-staging-site", Key=module)["ContentType"] == "text/javascript"
    invalidations = cloudfront.list_invalidations(DistributionId=distribution["Id"])["InvalidationList"]
    assert invalidations["Quantity"] == 1
    shown = deploy.addresses(outputs)
    assert shown["Cek keaslian dokumen"] == f"https://{distribution['DomainName']}/cek.html"
