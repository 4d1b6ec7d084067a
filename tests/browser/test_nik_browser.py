"""The browser's NIK check (static_site/js/components/nik.js) against the shared NIK cases
(tests/nik_cases.json), beside chalicelib/domain/nik.py's answers to the same cases.

No stack: Debian's chromium imports the module from the site as `make run` serves it and checks
every case at once; the words of each warning must be nik.py's, word for word.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.nik_cases import STRUCTURE, WARNINGS, python_structure, python_warnings

pytestmark = pytest.mark.browser


def _browser_structure(page: Page) -> list[str]:
    answers: list[str] = page.evaluate(
        """async niks => {
            const nik = await import("/js/components/nik.js");
            return niks.map(n => nik.check(n).error || "ok");
        }""",
        [case["nik"] for case in STRUCTURE],
    )
    return answers


def test_the_browser_answers_every_case_as_the_table_says(page: Page) -> None:
    answers = _browser_structure(page)
    wrong = [
        (ascii(case["nik"]), case["expect"], answer)
        for case, answer in zip(STRUCTURE, answers, strict=True)
        if answer != case["expect"]
    ]
    assert wrong == [], "(nik, expected, browser)"


def test_the_browser_and_nik_py_agree_on_every_case(page: Page) -> None:
    answers = _browser_structure(page)
    differ = [
        (ascii(case["nik"]), python_structure(case["nik"]), answer)
        for case, answer in zip(STRUCTURE, answers, strict=True)
        if python_structure(case["nik"]) != answer
    ]
    assert differ == [], "(nik, nik.py, browser)"


def test_the_browser_warns_as_nik_py_does_in_the_same_words(page: Page) -> None:
    found: list[list[dict[str, Any]]] = page.evaluate(
        """async cases => {
            const nik = await import("/js/components/nik.js");
            return cases.map(c => nik.warnings(c.nik, c.birth_date || "", c.sex || ""));
        }""",
        WARNINGS,
    )
    for case, warnings in zip(WARNINGS, found, strict=True):
        assert [w["code"] for w in warnings] == case["expect"], case
        assert warnings == python_warnings(case), case
