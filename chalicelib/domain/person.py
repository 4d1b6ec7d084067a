"""Plausibility of a person's dates: the age a service requires, a birth date a living job
seeker can have, and years of schooling and work that come after birth.

Pure functions over dates, shared by the form check (`services/forms.py`) and anything else
that reads a person's dates. Messages are Indonesian, addressed to the applicant.
"""

from __future__ import annotations

from datetime import date

# AK-1 is for job seekers of working age: the national rule the offices apply is 18 years
# (Permenaker 39/2016 on the AK/I card; UU 13/2003 defines a child as under 18). A service's SOP
# may set another `applicant.min_age`; the offices are asked to confirm the figure.
JOB_SEEKER_MIN_AGE = 18
OLDEST = 100  # a birth date more than 100 years back is a typing error, not a job seeker
# Nobody finishes school or starts work before this age: a year earlier than birth + this is a slip.
EARLIEST_YEAR_AFTER_BIRTH = 5


def age_on(birth: date, day: date) -> int:
    """Whole years from `birth` to `day` (a birthday on 29 February counts on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def birth_date_problem(birth: date, today: date, min_age: int | None) -> str | None:
    """Why `birth` cannot be the applicant's birth date, or None. `min_age` in years (None: no rule)."""
    if birth > today:
        return "Tanggal lahir tidak boleh di masa depan."
    age = age_on(birth, today)
    if age > OLDEST:
        return f"Tanggal lahir tidak masuk akal (umur {age} tahun); periksa tahunnya."
    if min_age is not None and age < min_age:
        return f"Layanan ini untuk yang berumur paling sedikit {min_age} tahun; umur Anda {age} tahun."
    return None


def year_problem(label: str, year: int, birth: date) -> str | None:
    """Why `year` (of schooling or work, named `label`) cannot follow a birth on `birth`, or None."""
    if year < birth.year + EARLIEST_YEAR_AFTER_BIRTH:
        return f"{label} {year} tidak masuk akal untuk tanggal lahir {birth.year}; periksa tahunnya."
    return None
