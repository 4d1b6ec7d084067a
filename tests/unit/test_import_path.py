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
