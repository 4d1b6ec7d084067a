"""chalicelib/domain/nik.py against the NIK cases the browser's check must answer alike
(tests/nik_cases.json; the browser's side is tests/browser/test_nik_browser.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.domain.nik import WARN_BIRTH_DATE, clean
from tests.nik_cases import ID_TEXTS, STRUCTURE, WARNINGS, case_id, python_structure, python_warnings


def _fill(text: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


@pytest.mark.parametrize("case", STRUCTURE, ids=case_id)
def test_structure(case: dict[str, Any]) -> None:
    """nik.py answers each case as the table says (the browser test asks nik.js the same)."""
    assert python_structure(case["nik"]) == case["expect"], case["why"]


@pytest.mark.parametrize("case", WARNINGS, ids=case_id)
def test_warnings_and_their_words(case: dict[str, Any]) -> None:
    nik = clean(case["nik"])
    day = int(nik[6:8])
    female = day > 40
    expected = {
        WARN_BIRTH_DATE: _fill(
            ID_TEXTS["nikWarnDate"], date=f"{day - 40 * female:02d}-{nik[8:10]}-{nik[10:12]}"
        ),
        "nik_jenis_kelamin": _fill(ID_TEXTS["nikWarnSex"], sex=ID_TEXTS["female" if female else "male"]),
    }
    found = python_warnings(case)
    assert [w["code"] for w in found] == case["expect"]
    assert [w["message"] for w in found] == [expected[code] for code in case["expect"]]


def test_the_table_covers_every_rule() -> None:
    """Valid NIKs, every error of the browser's check and both warnings have cases."""
    answers = {case["expect"] for case in STRUCTURE}
    assert answers == {"ok", "nikLength", "nikProvince", "nikZero", "nikSerial", "nikDate"}
    codes = {code for case in WARNINGS for code in case["expect"]}
    assert codes == {"nik_tanggal_lahir", "nik_jenis_kelamin"}
