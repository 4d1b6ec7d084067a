"""The shared text cases (tests/teks_cases.json) and what chalicelib/domain/teks.py answers to them.

Each answer is {"expect": "ok" or the error's text key, "kept": the text kept or None, "message":
the error's Indonesian words or None}: the browser's static_site/js/components/teks.js must give
the same for every case (tests/browser/test_teks_browser.py), and each message must be, word for
word, the text of its key in static_site/i18n/id.js (tests/unit/test_teks.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.domain.teks import TeksError, bersih

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "teks_cases.json").read_text(encoding="utf-8")
)["cases"]
LABEL = "Nama Lengkap"


def case_id(case: dict[str, Any]) -> str:
    """A readable test id: the value with invisible and non-ASCII characters escaped."""
    return f"{case['kind']}:{ascii(case['value'])[:40]}"


def python_answer(case: dict[str, Any]) -> dict[str, Any]:
    """teks.py's answer to one case, in the shape the browser test compares."""
    try:
        kept = bersih(
            case["value"],
            LABEL,
            case["kind"],
            multiline=case.get("multiline", False),
            max_length=case.get("max"),
            capitals=case.get("capitals", False),
        )
    except TeksError as exc:
        return {"expect": exc.code, "kept": None, "message": str(exc)}
    return {"expect": "ok", "kept": kept, "message": None}
