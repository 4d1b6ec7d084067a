"""The IKM of Permenpan RB 14/2017 (chalicelib/domain/ikm.py) against a worked example by hand."""

from __future__ import annotations

import pytest

from chalicelib.domain import ikm

KEYS = ikm.ELEMENT_KEYS


def _response(*values: int) -> dict[str, int]:
    return dict(zip(KEYS, values, strict=True))


# Four respondents, nine elements (U1..U9), answers 1-4.
WORKED = [
    _response(4, 4, 3, 4, 3, 3, 4, 3, 3),
    _response(3, 3, 3, 4, 3, 4, 4, 3, 3),
    _response(4, 3, 2, 4, 3, 3, 3, 2, 3),
    _response(3, 3, 3, 4, 4, 4, 4, 3, 2),
]


def test_worked_example_by_the_regulations_method() -> None:
    # Jumlah nilai per unsur:   14, 13, 11, 16, 13, 14, 15, 11, 11   (total 118)
    # NRR per unsur (/4):       3.50, 3.25, 2.75, 4.00, 3.25, 3.50, 3.75, 2.75, 2.75
    # NRR tertimbang (x 1/9), summed: 29.5 / 9 = 3.2778 (nilai interval)
    # Konversi: 3.2778 x 25 = 81.94 -> 76.61 <= 81.94 <= 88.30: B, Baik
    # (with the printed weight 0.111: 29.5 x 0.111 = 3.2745, x 25 = 81.86, also B)
    found = ikm.index(WORKED)
    assert found.respondents == 4
    assert found.nrr == {
        "u1": 3.5,
        "u2": 3.25,
        "u3": 2.75,
        "u4": 4.0,
        "u5": 3.25,
        "u6": 3.5,
        "u7": 3.75,
        "u8": 2.75,
        "u9": 2.75,
    }
    assert found.unit == 3.2778
    assert found.converted == 81.94
    assert (found.grade, found.label) == ("B", "Baik")


def test_the_scale_ends_at_25_and_100() -> None:
    assert ikm.index([_response(*[4] * 9)]).converted == 100.0
    assert ikm.index([_response(*[4] * 9)]).grade == "A"
    low = ikm.index([_response(*[1] * 9)])
    assert (low.converted, low.grade, low.label) == (25.0, "D", "Tidak Baik")


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        (100.0, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.996, "C"),  # shown as 65.00
        (64.99, "D"),
        (25.0, "D"),
    ],
)
def test_category_bounds_of_the_regulations_table(converted: float, grade: str) -> None:
    assert ikm.category(converted)[0] == grade


def test_unit_scale_bounds_convert_to_the_table() -> None:
    # 1.00-2.5996 / 2.60-3.064 / 3.0644-3.532 / 3.5324-4.00 on the 1-4 scale
    assert ikm.category(2.5996 * 25)[0] == "D"
    assert ikm.category(2.60 * 25)[0] == "C"
    assert ikm.category(3.064 * 25)[0] == "C"
    assert ikm.category(3.0644 * 25)[0] == "B"
    assert ikm.category(3.532 * 25)[0] == "B"
    assert ikm.category(3.5324 * 25)[0] == "A"


def test_no_responses_has_no_index() -> None:
    empty = ikm.index([])
    assert (empty.respondents, empty.converted, empty.grade) == (0, None, None)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {k: 4 for k in KEYS[:8]},
        {**{k: 4 for k in KEYS}, "u1": 5},
        {**{k: 4 for k in KEYS}, "u1": 0},
        {**{k: 4 for k in KEYS}, "u1": True},
        {**{k: 4 for k in KEYS}, "u1": "4"},
        {**{k: 4 for k in KEYS}, "nik": "3514"},
    ],
)
def test_answers_are_nine_values_of_1_to_4(raw: object) -> None:
    with pytest.raises(ikm.SurveyInvalid):
        ikm.clean_answers(raw)


def test_clean_answers_keeps_the_nine() -> None:
    assert ikm.clean_answers({k: 3 for k in KEYS}) == {k: 3 for k in KEYS}
