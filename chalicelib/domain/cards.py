"""One valid card per person per office: what a NIK already holds, and whether a filing may go on.

The rule (the AK-1 SOP's `one_per_person`, decided in `ak1.yaml`'s 'decisions'): a person (a NIK)
holds one valid card of a product at one office. A filing for a NIK whose card is still valid is
refused unless it asks a re-issue (lost or damaged card, changed data); a filing while another
filing of the same NIK is in progress is refused whatever it asks, so two filings never run at
once; a re-issued card supersedes the old one. Plain data, no I/O: `services/one_card.py` reads
and writes what the office knows (`Holding`) under a conditional write.

What an applicant may learn (see the README, *One card per person*): of a card or filing of their
own account, its number and until when it is valid; of another account's, only that the NIK has a
valid card or a filing in progress at this office (no number, date or name), which the refusal
at submit says anyway.

Also the region rule: a card is made where the KTP is registered, so staff are warned when a NIK's
region (its first 4 digits: province and regency or city) is not one the office serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.documents.words import tanggal

FREE = "free"  # no valid card, no filing in progress (or only this case's own)
OWN_CARD = "own_card"  # a valid card filed from this account
OTHER_CARD = "other_card"  # a valid card filed from another account
OWN_PENDING = "own_pending"  # another filing of this account is in progress
OTHER_PENDING = "other_pending"  # a filing of another account is in progress


@dataclass(frozen=True)
class Holding:
    """What the office knows of one NIK and one product: the filing in progress and the card in
    force (each None when there is none). Dates are office days."""

    pending_case: str | None = None
    pending_sub: str | None = None
    card_case: str | None = None
    card_sub: str | None = None
    card_number: str | None = None
    card_valid_until: date | None = None


@dataclass(frozen=True)
class Standing:
    """Where a NIK stands for one case (`kind`, one of the constants above), and what of it the
    applicant of that case may be told: `number` and `valid_until` only of their own card."""

    kind: str
    number: str | None = None
    valid_until: date | None = None


def standing(holding: Holding | None, case_id: str, sub: str, today: date) -> Standing:
    """Where the NIK of `holding` stands for case `case_id` of applicant `sub` on `today`.

    A filing in progress comes first (two never run at once); a card counts while `today` is on
    or before its last valid day, and never for the case that issued it."""
    if holding is None:
        return Standing(FREE)
    if holding.pending_case and holding.pending_case != case_id:
        return Standing(OWN_PENDING if holding.pending_sub == sub else OTHER_PENDING)
    valid = holding.card_valid_until is None or today <= holding.card_valid_until
    if holding.card_case and holding.card_case != case_id and valid:
        if holding.card_sub == sub:
            return Standing(OWN_CARD, holding.card_number, holding.card_valid_until)
        return Standing(OTHER_CARD)
    return Standing(FREE)


def refusal(found: Standing, reissue: bool, document: str) -> str | None:
    """Why a filing of `document` ("Kartu AK-1") cannot go on, in Indonesian; None when it may.

    `reissue` is whether the filing asks a re-issue (lost, damaged, changed data)."""
    if found.kind == OWN_PENDING:
        return (
            f"Anda sudah mengajukan {document} dengan NIK ini dan pengajuannya masih diproses. "
            "Tunggu hasilnya di halaman status berkas; satu NIK diproses sekali dalam satu waktu."
        )
    if found.kind == OTHER_PENDING:
        return (
            f"NIK ini sedang dalam proses pengajuan {document} lain di kantor ini; satu NIK diproses "
            "sekali dalam satu waktu. Bila ini NIK Anda dan Anda tidak mengajukannya, hubungi kantor."
        )
    if reissue:
        return None
    if found.kind == OWN_CARD:
        until = f" sampai {tanggal(found.valid_until)}" if found.valid_until else ""
        number = f" (nomor {found.number})" if found.number else ""
        return (
            f"Anda sudah memiliki {document}{number} yang berlaku{until}. Bila kartu hilang atau "
            "rusak, atau data Anda berubah, pilih penggantian pada Jenis permohonan."
        )
    if found.kind == OTHER_CARD:
        return (
            f"NIK ini sudah memiliki {document} yang masih berlaku di kantor ini. Bila ini NIK Anda, "
            "pilih penggantian pada Jenis permohonan (kartu hilang atau rusak, atau data berubah); "
            "petugas mencocokkannya dengan KTP Anda."
        )
    return None


def told(found: Standing, document: str) -> str | None:
    """What the form tells the applicant when the NIK is typed (before any choice of reason):
    None when the NIK holds nothing that stands in the way."""
    if found.kind in (OWN_PENDING, OTHER_PENDING):
        return refusal(found, False, document)
    if found.kind == OWN_CARD:
        until = f" sampai {tanggal(found.valid_until)}" if found.valid_until else ""
        number = f" (nomor {found.number})" if found.number else ""
        return (
            f"Anda sudah memiliki {document}{number} yang berlaku{until}. Pengajuan kartu baru "
            "tidak diperlukan; bila kartu hilang atau rusak, atau data Anda berubah, pilih "
            "penggantian pada Jenis permohonan."
        )
    if found.kind == OTHER_CARD:
        return refusal(found, False, document)
    return None


def region(nik: str) -> str:
    """The region part of a NIK as Kemendagri writes it: '3514015708950001' -> '35.14'."""
    return f"{nik[:2]}.{nik[2:4]}"


def outside(nik: str, served: frozenset[str]) -> str | None:
    """A warning for staff when the NIK's region (its first 4 digits) is not one of `served`
    (4-digit codes, `Office.nik_region_codes`); None when it is, or the NIK is not 16 digits.

    Source: the AK/I card is made at the Disnaker where the applicant's KTP is registered."""
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit() or nik[:4] in served:
        return None
    ours = ", ".join(sorted(f"{c[:2]}.{c[2:]}" for c in served))
    return (
        f"NIK ini terdaftar di wilayah {region(nik)}, bukan wilayah kantor ini ({ours}). Kartu AK-1 "
        "dibuat di Disnaker tempat KTP terdaftar: periksa KTP dan alamatnya sebelum memutuskan."
    )
