"""The SPR rules (chalicelib/domain/spr.py) on plain values: no register, no moto."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain.spr import Spr, SprProblem, check_usable, company_key, normalise_number, same_company
from chalicelib.errors import Conflict

TODAY = date(2026, 11, 23)
SPR = Spr("SPR/2026/0001", "PT CONTOH PENEMPATAN MIGRAN", quota=5, used=4, valid_until=TODAY)


def test_a_valid_spr_of_the_same_company_with_a_place_left_is_usable() -> None:
    check_usable(SPR, "pt. contoh penempatan migran", TODAY)  # the last valid day, the last place


@pytest.mark.parametrize(
    ("spr", "company", "why"),
    [
        (replace(SPR, valid_until=date(2026, 11, 22)), SPR.company, "tidak berlaku (sampai 22 Nov 2026)"),
        (SPR, "PT LAIN SEKALI", "atas nama PT CONTOH PENEMPATAN MIGRAN, tidak sesuai"),
        (replace(SPR, used=5), SPR.company, "Kuota SPR SPR/2026/0001 sudah habis (5 dari 5 terpakai)"),
    ],
    ids=["expired", "another company", "used up"],
)
def test_an_spr_that_cannot_give_a_place_says_why(spr: Spr, company: str, why: str) -> None:
    with pytest.raises(SprProblem) as refused:
        check_usable(spr, company, TODAY)
    assert why in str(refused.value)
    assert isinstance(refused.value, Conflict)  # answered as 409, the reason shown to staff


def test_company_names_compare_without_legal_forms_punctuation_or_case() -> None:
    assert company_key("PT. Contoh Jaya, Tbk") == "CONTOH JAYA"
    assert same_company("CV Contoh Jaya", "contoh  jaya (persero)")
    assert not same_company("PT Contoh Jaya", "PT Contoh Jaya Abadi")
    assert company_key("") == ""


def test_spr_numbers_are_kept_upper_case_without_spaces() -> None:
    assert normalise_number(" spr/2026/ 0001 ") == "SPR/2026/0001"
    assert normalise_number("") == ""
