"""chalicelib/domain/teks.py: the text rules, over the cases the browser must answer alike
(tests/teks_cases.json; the browser's side is tests/browser/test_teks_browser.py), and the kind
of notes only staff write."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.domain import teks
from tests.site import SITE, text_table
from tests.teks_cases import CASES, LABEL, case_id, python_answer

ID_TEXTS = text_table(SITE / "i18n" / "id.js")
EN_TEXTS = text_table(SITE / "i18n" / "en.js")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_each_case_is_answered_as_the_table_says(case: dict[str, Any]) -> None:
    answer = python_answer(case)
    assert answer["expect"] == case["expect"], case["why"]
    if case["expect"] == "ok":
        assert answer["kept"] == case["kept"], case["why"]


@pytest.mark.parametrize("key", sorted(teks.MESSAGES))
def test_every_message_is_the_browsers_text_word_for_word(key: str) -> None:
    assert teks.MESSAGES[key] == ID_TEXTS[key]
    assert key in EN_TEXTS and set(re.findall(r"\{\w+\}", EN_TEXTS[key])) == set(
        re.findall(r"\{\w+\}", ID_TEXTS[key])
    )


def test_the_table_covers_every_error() -> None:
    assert {case["expect"] for case in CASES} == {"ok", *teks.MESSAGES}


def test_the_issue_examples_in_words() -> None:
    """Issue 12, as the applicant reads it."""
    with pytest.raises(teks.TeksError, match="tulis nama dengan huruf Latin seperti di KTP"):
        teks.bersih("محمد", LABEL, "nama")
    with pytest.raises(teks.TeksError, match=r"karakter kendali .*\(U\+0000\)"):
        teks.bersih("Siti\x00", LABEL, "nama")
    with pytest.raises(teks.TeksError, match=r"karakter kendali .*\(U\+202E\)"):
        teks.bersih("Siti\u202e", LABEL, "nama")
    with pytest.raises(teks.TeksError, match="harus berupa teks"):
        teks.bersih({"$ne": ""}, LABEL, "nama")
    assert teks.bersih("\x00" * 5, LABEL, "nama") == ""


def test_a_lone_surrogate_is_no_character() -> None:
    with pytest.raises(teks.TeksError) as raised:
        teks.bersih("Siti\ud800", LABEL, "latin")
    assert raised.value.code == "teksTakDikenal"


def test_staff_notes_take_any_script_but_no_control_or_emoji() -> None:
    assert (
        teks.bersih("Berkas sesuai. Nama Arab: محمد", "Catatan", "catatan")
        == "Berkas sesuai. Nama Arab: محمد"
    )
    for bad, code in (("ok 👍", "teksSimbol"), ("ok\u202e", "teksKendali"), ("ok\x00", "teksKendali")):
        with pytest.raises(teks.TeksError) as raised:
            teks.bersih(bad, "Catatan", "catatan")
        assert raised.value.code == code


def test_empty_is_what_holds_nothing_visible() -> None:
    assert teks.kosong(None) and teks.kosong("") and teks.kosong("\x00 \u200b\ufeff")
    assert not teks.kosong("a") and not teks.kosong({}) and not teks.kosong(0)


def test_every_latin_letter_and_its_capital_is_a_letter_the_rules_take_back() -> None:
    """What the form keeps in capitals ("huruf cetak") passes the same rules again: a capital is
    never refused after the small letter was taken."""
    for letter in sorted(teks.LATIN_LETTERS):
        assert teks.bersih(teks.upper(letter + "a"), LABEL, "nama")


def test_the_rule_of_each_field_type() -> None:
    assert teks.rule_for("name") == teks.Aturan("nama", False, teks.NAME_MAX)
    assert teks.rule_for("textarea", 300) == teks.Aturan("latin", True, 300)
    assert teks.rule_for("text", 999) == teks.Aturan("latin", False, 150)
    assert teks.rule_for("date") is None
