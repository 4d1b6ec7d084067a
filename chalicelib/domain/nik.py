"""NIK (Nomor Induk Kependudukan) checks: the structure is a rule, the birth date inside it a hint.

A NIK is 16 digits: province (2), regency or city (2), district (2), birth date DDMMYY with 40
added to the day for women (6), and a serial (4). Dukcapil has issued NIKs whose date is wrong,
so a date or sex that does not match what the person typed is a warning they may confirm, never
a rejection; a NIK that cannot exist (wrong length, unknown province, zero codes, impossible
date such as 31 February, digits other than 0-9) is an error. static_site/js/components/nik.js
repeats these rules for inline feedback, checked against this module over one table of cases
(tests/nik_cases.json); this is the one that counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Kemendagri province codes (Aceh 11 ... Papua Barat Daya 96).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)

WARN_BIRTH_DATE = "nik_tanggal_lahir"
WARN_SEX = "nik_jenis_kelamin"
FEMALE = "Perempuan"


class NikError(ValueError):
    """A NIK that cannot exist; the message is Indonesian."""


@dataclass(frozen=True)
class NikWarning:
    code: str
    message: str


def clean(raw: str) -> str:
    """Digits only as typed (spaces and dots people put between groups are dropped)."""
    return re.sub(r"[\s.\-]", "", raw or "")


def check_structure(nik: str) -> tuple[int, int, int]:
    """The day (minus 40 for women), month and two-digit year inside a well-formed NIK."""
    if not re.fullmatch(r"[0-9]{16}", nik):  # ASCII digits only: \d would take ３ or ٣ too
        raise NikError("NIK harus 16 angka, sesuai KTP.")
    if int(nik[0:2]) not in PROVINCES:
        raise NikError("Dua angka pertama NIK bukan kode provinsi yang dikenal. Periksa kembali NIK Anda.")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise NikError("Kode kabupaten/kota atau kecamatan pada NIK tidak sah. Periksa kembali NIK Anda.")
    if nik[12:16] == "0000":
        raise NikError("Empat angka terakhir NIK tidak boleh 0000. Periksa kembali NIK Anda.")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day_of_month = day - 40 if day > 40 else day
    if not _a_real_day(day_of_month, month, year):
        raise NikError(
            "Tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) tidak mungkin. Periksa kembali NIK Anda."
        )
    return day, month, year


def _a_real_day(day: int, month: int, year: int) -> bool:
    """Whether DD-MM-YY is a day of the calendar in 19YY or 20YY (29-02-00 is: 2000 was leap)."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return False
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False


def warnings_for(nik: str, birth_date: date | None, sex: str | None) -> list[NikWarning]:
    """Where the NIK disagrees with the birth date and sex typed (structure already checked)."""
    day, month, year = check_structure(nik)
    found: list[NikWarning] = []
    female_in_nik = day > 40
    day_of_month = day - 40 if female_in_nik else day
    if birth_date is not None and (day_of_month, month, year) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        found.append(
            NikWarning(
                WARN_BIRTH_DATE,
                f"Tanggal lahir di NIK ({day_of_month:02d}-{month:02d}-{year:02d}) berbeda dengan tanggal "
                "lahir yang Anda isi. Periksa kembali; bila KTP Anda memang begitu, centang konfirmasi.",
            )
        )
    if sex in ("Laki-laki", FEMALE) and female_in_nik != (sex == FEMALE):
        found.append(
            NikWarning(
                WARN_SEX,
                "Menurut NIK, jenis kelamin Anda "
                + ("perempuan" if female_in_nik else "laki-laki")
                + " (tanggal di NIK ditambah 40 untuk perempuan). Periksa kembali; bila KTP Anda memang "
                "begitu, centang konfirmasi.",
            )
        )
    return found


def mask(raw: str) -> str:
    """A NIK as staff without access to personal data see it: the first 4 digits (province and
    regency: which office's area) and the last 4, the rest starred: `3514********0001`. Text that
    is not 16 digits after `clean` is starred whole (nothing of it shown)."""
    digits = clean(raw)
    if len(digits) != 16 or not digits.isascii() or not digits.isdigit():
        return "*" * 16
    return f"{digits[:4]}{'*' * 8}{digits[-4:]}"
