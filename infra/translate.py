"""The packaged SAM template as CloudFormation sees it after its transform (aws-sam-translator),
so cfn-lint checks what will really be deployed, not only the SAM shorthand.

    python -m infra.translate out/package/sam.json out/package/translated.json
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

# Stand-ins for what CloudFormation knows at deploy time; the translation itself needs no account.
PSEUDO = {"AWS::Region": "ap-southeast-3", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}


def translate(template: dict[str, Any], region: str = "ap-southeast-3") -> dict[str, Any]:
    """SAM template -> plain CloudFormation template. A local CodeUri (before the upload to the
    deployment bucket, infra/deploy.py) stands for an S3 object. Raises samtranslator's
    InvalidDocumentException when SAM refuses the template."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import undo_mark_unicode_str_in_template

    template = copy.deepcopy(template)
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and not str(
            props.get("CodeUri", "s3://")
        ).startswith("s3://"):
            props["CodeUri"] = "s3://loket-deploy-example/deployment.zip"
    # The region the template is for, not this machine's AWS configuration (there may be none).
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=region))
    translated: dict[str, Any] = undo_mark_unicode_str_in_template(
        translator.translate(template, dict(PSEUDO, **{"AWS::Region": region}), get_managed_policy_map=dict)
    )
    return translated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Translate the packaged SAM template to CloudFormation.")
    parser.add_argument("template", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--region", default="ap-southeast-3")
    args = parser.parse_args(argv)
    translated = translate(json.loads(args.template.read_text(encoding="utf-8")), args.region)
    args.output.write_text(json.dumps(translated, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"SAM translation written: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
