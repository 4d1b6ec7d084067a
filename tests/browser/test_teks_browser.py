"""The browser's text rules (static_site/js/components/teks.js) against the shared text cases
(tests/teks_cases.json), beside chalicelib/domain/teks.py's answers to the same cases.

No stack: Debian's chromium imports the module from the site as `make run` serves it and checks
every case at once; each error must be teks.py's, word for word.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from chalicelib.domain import teks
from tests.teks_cases import CASES, LABEL, python_answer

pytestmark = pytest.mark.browser


def test_the_browser_answers_every_case_as_teks_py_in_the_same_words(page: Page) -> None:
    answers: list[dict[str, Any]] = page.evaluate(
        """async ([cases, label]) => {
            const teks = await import("/js/components/teks.js");
            return cases.map(c => {
                const r = teks.clean(c.value, {label: label, kind: c.kind, multiline: !!c.multiline,
                                               capitals: !!c.capitals, max: c.max || null});
                return {expect: r.error || "ok", kept: r.error ? null : r.kept, message: r.message || null};
            });
        }""",
        [CASES, LABEL],
    )
    differ = [
        (ascii(case["value"]), python_answer(case), answer)
        for case, answer in zip(CASES, answers, strict=True)
        if answer != python_answer(case) or answer["expect"] != case["expect"]
    ]
    assert differ == [], "(value, teks.py, browser)"


def test_the_browser_takes_the_same_latin_letters_and_lengths(page: Page) -> None:
    letters: list[int] = page.evaluate(
        """async () => {
            const teks = await import("/js/components/teks.js");
            const found = [];
            for (let c = 0; c < 0x2000; c++) {
                if (teks.isLatinLetter(String.fromCodePoint(c))) { found.push(c); }
            }
            return found;
        }"""
    )
    assert {chr(c) for c in letters} == teks.LATIN_LETTERS
    rules: dict[str, Any] = page.evaluate(
        """async types => {
            const teks = await import("/js/components/teks.js");
            return Object.fromEntries(types.map(t => [t, teks.ruleFor({type: t, max_length: 100})]));
        }""",
        ["name", "text", "textarea", "date"],
    )
    for kind, rule in rules.items():
        python = teks.rule_for(kind, 100)
        assert rule == (
            None
            if python is None
            else {"kind": python.jenis, "multiline": python.multiline, "max": python.max_length}
        )
