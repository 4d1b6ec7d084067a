"""The API Lambda stays light: reportlab, Pillow and pypdf are never imported when app.py loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_app_import_does_not_load_reportlab_pillow_or_pypdf() -> None:
    code = (
        "import sys, app; heavy = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('reportlab', 'PIL', 'pypdf')); "
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_app_imports_without_settings() -> None:
    """`chalice package` imports app.py with no deployed environment: nothing is read at import."""
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# Imported by the first request that needs them, never by the API's cold start (issue 16): boto3
# (with s3transfer) by the first AWS client, PyJWT and cryptography by the first signed request,
# jinja2 by the first staff page or email. pynamodb (and so botocore) and pydantic still load with
# app.py: docs/performance.md states that gap.
LAZY = ("boto3", "s3transfer", "jwt", "cryptography", "jinja2", "reportlab", "PIL", "pypdf", "pypdfium2")


def test_app_import_leaves_what_no_route_needs_yet_unloaded() -> None:
    code = (
        f"import sys, app; lazy = {LAZY!r}; "
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in lazy})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
