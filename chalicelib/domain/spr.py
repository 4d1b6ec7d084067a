"""The rules of an SPR (Surat Permintaan Rekrut), the recruitment letter a placement agency (P3MI)
holds for its migrant-worker candidates: when one place of its quota may go to a case.

Source: Pasuruan's SOP *Rekomendasi Paspor CPMI*, step 4 (the SPR checked in SIAPkerja /
SISKOP2MI, "SPR sudah habis / tidak sesuai"): the letter must exist, still be valid, belong to
the agency that files the case, and have a place left. No I/O here: `adapters/national.py` reads
and writes the register and asks these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import Conflict

# Words of a company name that say what kind of company it is, not which one it is.
_LEGAL_FORMS = frozenset({"PT", "CV", "TBK", "PERSERO"})


class SprProblem(Conflict):
    """The SPR cannot be used for this case; the message is Indonesian and says why."""


@dataclass(frozen=True)
class Spr:
    """An SPR as the national system issued it: its number, the company it names, its quota of
    places, how many are used and its last valid day."""

    number: str
    company: str
    quota: int
    used: int
    valid_until: date


def normalise_number(number: str) -> str:
    """An SPR number as the register keeps it: upper case, no spaces ("spr/2026/ 0001" ->
    "SPR/2026/0001")."""
    return re.sub(r"\s+", "", number or "").upper()


def company_key(name: str) -> str:
    """What identifies a company in a typed name: upper case words of letters and digits, without
    punctuation and without legal forms (PT, CV, Tbk, Persero). "PT. Contoh Jaya, Tbk" ->
    "CONTOH JAYA"."""
    plain = re.sub(r"[^A-Z0-9 ]", " ", (name or "").upper())
    return " ".join(w for w in plain.split() if w not in _LEGAL_FORMS)


def same_company(a: str, b: str) -> bool:
    """True when two typed company names name the same company (see `company_key`)."""
    return company_key(a) == company_key(b)


def unknown(number: str) -> SprProblem:
    """The refusal for a number the register does not hold."""
    return SprProblem(f"SPR {number} tidak ada di sistem; periksa nomornya pada copy SPR.")


def used_up(spr: Spr) -> SprProblem:
    """The refusal for an SPR whose places are all used (also when the last place went meanwhile)."""
    return SprProblem(f"Kuota SPR {spr.number} sudah habis ({spr.used} dari {spr.quota} terpakai).")


def check_usable(spr: Spr, company: str, today: date) -> None:
    """Raise SprProblem unless a case of `company` may take a place of `spr` on `today` (a date in
    WIB): the letter is valid until today or later, names the same company, and has a place left.
    A case that already holds a place is the caller's to recognise before asking."""
    if spr.valid_until < today:
        raise SprProblem(f"SPR {spr.number} sudah tidak berlaku (sampai {tanggal(spr.valid_until)}).")
    if not same_company(spr.company, company):
        raise SprProblem(
            f"SPR {spr.number} atas nama {spr.company}, tidak sesuai dengan perusahaan pemohon ({company})."
        )
    if spr.used >= spr.quota:
        raise used_up(spr)
