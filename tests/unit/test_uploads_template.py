"""The template's side of the upload rules agrees with the code's (infra/base.yaml): GuardDuty
scans exactly the prefix the API pins checked copies under and tags what it scanned (the worker
reads the tag), the lifecycle drops only what the phones post, and the worker may read the tag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chalicelib.adapters.storage import PENDING_PREFIX, PINNED_PREFIX

ROOT = Path(__file__).resolve().parents[2]


def resources() -> dict[str, Any]:
    template = yaml.safe_load((ROOT / "infra" / "base.yaml").read_text(encoding="utf-8"))
    return dict(template["Resources"])


def test_guardduty_scans_the_pinned_copies_of_the_uploads_bucket_and_tags_them() -> None:
    plan = resources()["UploadsMalwareProtection"]
    assert plan["Type"] == "AWS::GuardDuty::MalwareProtectionPlan"
    bucket = plan["Properties"]["ProtectedResource"]["S3Bucket"]
    assert bucket == {"BucketName": {"Ref": "UploadsBucket"}, "ObjectPrefixes": [PINNED_PREFIX]}
    assert plan["Properties"]["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    assert plan["Properties"]["Role"] == {"Fn::GetAtt": ["UploadsMalwareProtectionRole", "Arn"]}


def test_guardduty_s_role_is_its_own_and_reaches_only_the_uploads_bucket() -> None:
    role = resources()["UploadsMalwareProtectionRole"]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    statements = {s["Sid"]: s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]}
    assert set(statements) == {
        "AllowManagedRuleToSendS3EventsToGuardDuty",
        "AllowGuardDutyToMonitorEventBridgeManagedRule",
        "AllowPostScanTag",
        "AllowEnableS3EventBridgeEvents",
        "AllowPutValidationObject",
        "AllowCheckBucketOwnership",
        "AllowMalwareScan",
    }
    for statement in statements.values():
        assert "DocumentsBucket" not in str(statement["Resource"])  # issued documents are not its business


def test_the_lifecycle_drops_only_what_phones_post_and_the_worker_may_read_the_scan_tag() -> None:
    found = resources()
    [rule] = found["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert (rule["Prefix"], rule["ExpirationInDays"]) == (PENDING_PREFIX, 1)
    # The worker reads the tag (services/uploads.check): its own role (one role per function).
    app = [s for p in found["WorkerRole"]["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    tagging = [s for s in app if "s3:GetObjectTagging" in s["Action"]]
    assert tagging and {"Fn::Sub": "${UploadsBucket.Arn}/*"} in tagging[0]["Resource"]
    # A key never posted is a 404 only for a caller who may list the bucket (else S3 says 403).
    listing = [s for s in app if s["Action"] == "s3:ListBucket"]
    assert listing and {"Fn::GetAtt": ["UploadsBucket", "Arn"]} in listing[0]["Resource"]
