"""The shared NIK cases (tests/nik_cases.json) and what chalicelib/domain/nik.py answers to them.

nik.py's answers are given as the browser's text keys (nikLength, ..., "ok"): each NikError
message must be, word for word, the Indonesian text of one key in static_site/i18n/id.js.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from chalicelib.domain.nik import NikError, check_structure, clean, warnings_for
from tests.site import SITE, text_table

CASES: dict[str, Any] = json.loads((Path(__file__).parent / "nik_cases.json").read_text(encoding="utf-8"))
STRUCTURE: list[dict[str, Any]] = CASES["structure"]
WARNINGS: list[dict[str, Any]] = CASES["warnings"]
ERROR_KEYS = ("nikLength", "nikProvince", "nikZero", "nikSerial", "nikDate")
ID_TEXTS = text_table(SITE / "i18n" / "id.js")


def case_id(case: dict[str, Any]) -> str:
    """A readable test id: the NIK with invisible and non-ASCII characters escaped."""
    return ascii(case["nik"]) + ("" if "birth_date" not in case else f" {case['birth_date']} {case['sex']}")


def python_structure(raw: str) -> str:
    """ "ok", or the text key of nik.py's error for the NIK as typed (cleaned as forms.py does)."""
    try:
        check_structure(clean(raw))
    except NikError as exc:
        keys = [key for key in ERROR_KEYS if ID_TEXTS[key] == str(exc)]
        if not keys:
            raise AssertionError(f"nik.py says {str(exc)!r}, which is no NIK text of id.js") from exc
        return keys[0]
    return "ok"


def python_warnings(case: dict[str, Any]) -> list[dict[str, str]]:
    """nik.py's warnings [{code, message}] for a warnings case."""
    birth = date.fromisoformat(case["birth_date"]) if case["birth_date"] else None
    return [
        {"code": w.code, "message": w.message} for w in warnings_for(clean(case["nik"]), birth, case["sex"])
    ]
