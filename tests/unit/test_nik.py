"""NIK rules: what cannot exist is an error, a date or sex that disagrees is a warning."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.nik import WARN_BIRTH_DATE, WARN_SEX, NikError, check_structure, clean, warnings_for

WOMAN = "3514015708950001"  # Kab. Pasuruan, 17-08-1995 (+40), serial 0001
MAN = "3671021703880002"  # Kota Tangerang, 17-03-1988


def test_spaces_and_dots_people_type_are_dropped() -> None:
    assert clean("3514 0157 0895 0001") == WOMAN
    assert clean("3514.0157.0895.0001") == WOMAN


@pytest.mark.parametrize(
    ("nik", "says"),
    [
        ("351401570895001", "16 angka"),
        ("35140157089500011", "16 angka"),
        ("35140157O8950001", "16 angka"),
        ("9914015708950001", "kode provinsi"),
        ("3500015708950001", "kabupaten/kota"),
        ("3514005708950001", "kecamatan"),
        ("3514015708950000", "0000"),
        ("3514013213950001", "tidak mungkin"),  # month 13
        ("3514010008950001", "tidak mungkin"),  # day 00
        ("3514017208950001", "tidak mungkin"),  # day 72 - 40 = 32
    ],
)
def test_a_nik_that_cannot_exist_is_an_error(nik: str, says: str) -> None:
    with pytest.raises(NikError, match=says):
        check_structure(nik)


def test_matching_date_and_sex_give_no_warning() -> None:
    assert warnings_for(WOMAN, date(1995, 8, 17), "Perempuan") == []
    assert warnings_for(MAN, date(1988, 3, 17), "Laki-laki") == []


def test_other_birth_date_is_a_warning_not_an_error() -> None:
    found = warnings_for(WOMAN, date(1995, 8, 18), "Perempuan")
    assert [w.code for w in found] == [WARN_BIRTH_DATE]
    assert "17-08-95" in found[0].message


def test_day_plus_40_means_a_woman() -> None:
    assert [w.code for w in warnings_for(WOMAN, date(1995, 8, 17), "Laki-laki")] == [WARN_SEX]
    assert [w.code for w in warnings_for(MAN, date(1988, 3, 17), "Perempuan")] == [WARN_SEX]


def test_nothing_typed_yet_gives_no_warning() -> None:
    assert warnings_for(WOMAN, None, None) == []
