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
    assert resources["Worker"]["Properties"]["Events"]["WorkerSqsEventSource"]["Type"] == "SQS"
    # Every state machine is compiled from an SOP file, the wiring check's included.
    assert resources["KabPasuruanUjiSambunganStateMachine"]["Type"] == "AWS::StepFunctions::StateMachine"
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
