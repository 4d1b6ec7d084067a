"""Who files with Loket: the kinds of applicant account and the rules of an organisation's name.

A job seeker files for themself; a company (TKA services), a school or university (Tanda Daftar
BKK) or a migrant-worker placement agency (P3MI, the CPMI services) files through an officer's
account that carries the organisation's name. A service is filed by the kind its SOP names
(`applicant.kind`, the same four ids as `sop/schema.ApplicantKind`). No I/O here:
`adapters/accounts.py` keeps the kind and the name in Cognito (`custom:kind`,
`custom:organisation`).
"""

from __future__ import annotations

from chalicelib.domain import teks
from chalicelib.errors import InvalidInput

JOB_SEEKER = "pencari_kerja"

KINDS = {
    JOB_SEEKER: "Pencari kerja",
    "perusahaan": "Perusahaan (pemberi kerja TKA)",
    "sekolah": "Sekolah / perguruan tinggi (BKK)",
    "p3mi": "Perusahaan penempatan pekerja migran (P3MI)",
}
"""Account kind id -> the label the sign-up form shows."""

ORGANISATION_LENGTH = (3, 150)
"""Shortest and longest organisation name, in characters, after spaces are collapsed."""


def account_kind(kind: str) -> str:
    """The kind as given when it is one of KINDS; else InvalidInput on the field `kind`."""
    if kind not in KINDS:
        raise InvalidInput("Pilih jenis akun.", field="kind")
    return kind


def is_organisation(kind: str) -> bool:
    """True for an account that files for an organisation (every kind but a job seeker)."""
    return kind != JOB_SEEKER


def organisation_name(kind: str, typed: str | None) -> str | None:
    """The organisation's name as the account keeps it (spaces collapsed, upper case, as on its
    licence), or None for a job seeker, who files for themself. InvalidInput on the field
    `organisation` when an organisation's name is shorter or longer than ORGANISATION_LENGTH."""
    if not is_organisation(account_kind(kind)):
        return None
    name = teks.isian(typed, "Nama lembaga", "latin", field="organisation")
    shortest, longest = ORGANISATION_LENGTH
    if not shortest <= len(name) <= longest:
        raise InvalidInput(
            f"Tulis nama lembaga sesuai izin/dokumen resminya ({shortest}–{longest} karakter).",
            field="organisation",
        )
    return name.upper()
