"""The short case code (issue 13): people read it aloud and type it; typing slips still find it,
a wrong character is caught by the check character."""

from __future__ import annotations

import itertools

import pytest

from chalicelib.domain import case_code
from chalicelib.domain.search_terms import exact, name, name_forms, name_matches, name_query

CASE_ID = "lum6dihu5elatqdy6jcupgpb"  # the 24-character id the issue quotes


def test_a_code_is_nine_characters_of_crockfords_alphabet_shown_in_threes() -> None:
    code = case_code.candidate(CASE_ID)
    assert len(code) == 9 and set(code) <= set(case_code.ALPHABET)
    assert not set(code) & set("ILOU")
    shown = case_code.shown(code)
    assert shown == f"{code[:3]}-{code[3:6]}-{code[6:]}"
    assert case_code.candidate(CASE_ID) == code  # a retried request derives the same code
    assert case_code.candidate(CASE_ID, 1) != code  # the next one, when another case holds it


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: case_code.shown(c),
        lambda c: c.lower(),
        lambda c: " ".join(case_code.shown(c).lower().split("-")),
        lambda c: c[:8],  # without the check character
        lambda c: case_code.shown(c).replace("0", "O").replace("1", "I"),
        lambda c: c.replace("1", "l"),
    ],
)
def test_typing_slips_still_read_as_the_code(typed) -> None:
    for attempt in range(40):  # codes with 0 and 1 in them among these
        code = case_code.candidate(CASE_ID, attempt)
        assert case_code.parse(typed(code)) == code


def test_every_single_wrong_character_is_caught() -> None:
    code = case_code.candidate(CASE_ID)
    for i, other in itertools.product(range(9), case_code.ALPHABET):
        if other != code[i]:
            assert case_code.parse(code[:i] + other + code[i + 1 :]) is None


def test_most_swaps_of_neighbours_are_caught() -> None:
    caught = total = 0
    for attempt in range(200):
        code = case_code.candidate(CASE_ID, attempt)
        for i in range(8):
            if code[i] != code[i + 1]:
                total += 1
                caught += case_code.parse(code[:i] + code[i + 1] + code[i] + code[i + 2 :]) is None
    assert caught / total > 0.95


@pytest.mark.parametrize("typed", ["", "SITI RAHAYU", "3514301126000010", "ABCU-EFGH", "AB", "ABCDEFGHJK"])
def test_what_is_not_a_code_is_none(typed: str) -> None:
    assert case_code.parse(typed) is None


def test_exact_values_compare_in_one_form() -> None:
    assert exact("3514 0157 0895 0001") == "3514015708950001"
    assert exact("+62 812-3456-7890") == exact("0812 3456 7890") == exact("(62)81234567890") == "081234567890"
    assert exact("ba/0456 / 2026") == "BA/0456/2026"


def test_names_ignore_case_accents_and_punctuation() -> None:
    assert name("  Sîti   rahayu ") == "SITI RAHAYU"
    assert name("Dewi O'Neil-Putri") == "DEWI ONEIL PUTRI"
    assert name_forms("Siti Rahayu") == ["SITI RAHAYU", "RAHAYU"]
    assert name_query("siti ra") == "SITI RA" and name_query("st") is None and name_query("3514") is None
    assert name_matches("SITI RAHAYU", "RAHA") and name_matches("Sîti Rahayu", "SITI RAHAYU")
    assert not name_matches("SITI RAHAYU", "AHAYU")


def test_a_code_with_a_wrong_last_character_is_told_apart_from_text_that_is_no_code() -> None:
    from chalicelib.domain import case_code

    body = "K7QM3XD2"
    right = body + case_code.check_character(body)
    wrong = body + ("0" if right[-1] != "0" else "1")
    assert case_code.wrong_check(wrong) and case_code.wrong_check(case_code.shown(wrong).lower())
    assert not case_code.wrong_check(right) and not case_code.wrong_check(body)  # 8: completed
    assert not case_code.wrong_check("SITI RAHAYU") and not case_code.wrong_check("3514015708950001")
