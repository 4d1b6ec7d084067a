"""The national systems (SIAPkerja / SISKOP2MI today, SISKOTKLN in the seeds, the biometric CTKI
registration, Aplikasi TKA Daerah), as Loket sees them.

Staff work in those systems and type what they saw. Two things go through this module:
- the SPR (Surat Permintaan Rekrut) register with each letter's quota, which Loket must enforce;
- the reference numbers staff record (an ID CPMI, a Berita Acara number, a payment journal),
  kept so that a number read in a national system finds its case again.
Both live in our table behind these functions, so the checks are real today and a real
integration (looking the number up in the national system) can replace this module without
touching the use cases.
"""

from __future__ import annotations

import re
from datetime import date

from chalicelib.adapters.models import NationalReference, RecruitmentLetter, UniqueValue
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import iso
from chalicelib.errors import Conflict, InvalidInput

SYSTEMS = {
    "siskotkln": "SISKOTKLN",
    "siapkerja": "SIAPkerja",
    "siskop2mi": "SISKOP2MI",
    "biometrik": "Registrasi CTKI berbasis Biometrik",
    "tka_daerah": "Aplikasi TKA Daerah",
}

# What a reference number in these systems looks like: letters, digits and the usual separators.
_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9./_ -]*")  # after normalise_reference: no double spaces


class ReferenceProblem(InvalidInput):
    """The reference cannot be what the national system shows; the message is Indonesian."""


class SprProblem(Conflict):
    """The SPR cannot be used for this case; the message is Indonesian and says why."""


def normalise_spr(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def _company(name: str) -> str:
    """Company names as typed vary in 'PT', dots and spaces; compare what identifies them."""
    plain = re.sub(r"[^A-Z0-9 ]", " ", (name or "").upper())
    words = [w for w in plain.split() if w not in {"PT", "CV", "TBK", "PERSERO"}]
    return " ".join(words)


def _use_key(office: str, number: str, case_id: str) -> tuple[str, str]:
    return RecruitmentLetter.key(office, number)[0], f"USE#{case_id}"


def register_spr(office: str, number: str, company: str, quota: int, valid_until: date) -> RecruitmentLetter:
    """Add an SPR as the national system issued it (demo data, or a sync from the real system)."""
    spr = RecruitmentLetter(
        *RecruitmentLetter.key(office, normalise_spr(number)),
        office=office,
        number=normalise_spr(number),
        company=company,
        quota=quota,
        used=0,
        valid_until=valid_until.isoformat(),
    )
    spr.save()
    return spr


def spr_use_writes(office: str, number: str, company: str, case_id: str, today: date) -> list[Write]:
    """The writes that take one place of the SPR's quota for this case, for the caller's
    transaction: the SPR's `used` + 1 (only while under its quota) and the case's use (only once).
    Empty when the case already holds a place. Raises SprProblem (unknown, expired, another
    company's, used up); a quota taken meanwhile refuses the transaction's write with SprProblem.
    Source: the SPR's quota as SIAPkerja / SISKOP2MI issued it (seed: Pasuruan CPMI step 4)."""
    wanted = normalise_spr(number)
    spr = _usable_spr(office, wanted, company, case_id, today)
    if spr is None:
        return []
    pk, sk = _use_key(office, wanted, case_id)
    used_up = SprProblem(f"Kuota SPR {wanted} sudah habis ({int(spr.quota)} dari {int(spr.quota)} terpakai).")
    return [
        Write(
            "update",
            spr,
            condition=RecruitmentLetter.used < int(spr.quota),
            actions=[RecruitmentLetter.used.add(1)],
            refusal=used_up,
        ),
        Write(
            "save",
            UniqueValue(pk, sk, case_id=case_id, at=iso()),
            condition=UniqueValue.PK.does_not_exist(),
            refusal=Conflict(
                "SPR ini sedang dicatat untuk berkas ini oleh keputusan lain; muat ulang halaman."
            ),
        ),
    ]


def _usable_spr(
    office: str, wanted: str, company: str, case_id: str, today: date
) -> RecruitmentLetter | None:
    """The SPR if this case may take a place of it; None if the case holds one already."""
    try:
        spr = RecruitmentLetter.get(*RecruitmentLetter.key(office, wanted), consistent_read=True)
    except RecruitmentLetter.DoesNotExist:
        raise SprProblem(f"SPR {wanted} tidak ada di sistem; periksa nomornya pada copy SPR.") from None
    pk, sk = _use_key(office, wanted, case_id)
    try:
        UniqueValue.get(pk, sk, consistent_read=True)
        return None  # this case already holds a place
    except UniqueValue.DoesNotExist:
        pass
    if date.fromisoformat(spr.valid_until) < today:
        raise SprProblem(f"SPR {wanted} sudah tidak berlaku (sampai {spr.valid_until}).")
    if _company(spr.company) != _company(company):
        raise SprProblem(
            f"SPR {wanted} atas nama {spr.company}, tidak sesuai dengan perusahaan pemohon ({company})."
        )
    if int(spr.used) >= int(spr.quota):
        raise SprProblem(f"Kuota SPR {wanted} sudah habis ({int(spr.used)} dari {int(spr.quota)} terpakai).")
    return spr


def use_spr(office: str, number: str, company: str, case_id: str, today: date) -> RecruitmentLetter:
    """Take one place of the SPR's quota for this case on its own (once: a repeat finds its own
    use). Raises SprProblem as `spr_use_writes` does."""
    writes = spr_use_writes(office, number, company, case_id, today)
    if writes:
        try:
            write_all(writes)
        except Refused:
            return use_spr(office, number, company, case_id, today)  # look again: used up, or ours
    return RecruitmentLetter.get(*RecruitmentLetter.key(office, normalise_spr(number)), consistent_read=True)


def release_spr(office: str, number: str, case_id: str) -> None:
    """Give the place back (the decision that took it did not happen)."""
    wanted = normalise_spr(number)
    pk, sk = _use_key(office, wanted, case_id)
    try:
        use = UniqueValue.get(pk, sk, consistent_read=True)
    except UniqueValue.DoesNotExist:
        return
    spr = RecruitmentLetter.get(*RecruitmentLetter.key(office, wanted), consistent_read=True)
    write_all(
        [
            Write(
                "update", spr, condition=RecruitmentLetter.used > 0, actions=[RecruitmentLetter.used.add(-1)]
            ),
            Write("delete", use, condition=UniqueValue.case_id == case_id),
        ]
    )


def normalise_reference(text: str) -> str:
    return " ".join((text or "").upper().split())


def record_reference(
    office: str, system: str, label: str, reference: str, case_id: str, service: str, field: str
) -> NationalReference:
    """Keep a reference number staff read in a national system on the case (once: a repeat of the
    same decision writes the same item). Raises ReferenceProblem for a number that cannot be one."""
    entry = reference_entry(office, system, label, reference, case_id, service, field)
    entry.save()
    return entry


def reference_entry(
    office: str, system: str, label: str, reference: str, case_id: str, service: str, field: str
) -> NationalReference:
    """The (unsaved) item that keeps a reference number on the case, for the caller's transaction.
    Raises ReferenceProblem for a number that cannot be one of `system` (3–60 letters, digits and
    `. / - _`); a real integration would first look the number up there."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown national system {system!r}")
    value = normalise_reference(reference)
    if not (3 <= len(value) <= 60 and _REFERENCE.fullmatch(value)):
        raise ReferenceProblem(
            f"{label}: '{reference.strip()}' bukan nomor {SYSTEMS[system]} yang sah "
            "(3–60 huruf atau angka; pemisah yang boleh: . / - _ dan spasi). Salin nomornya dari layar "
            f"{SYSTEMS[system]}."
        )
    entry = NationalReference(
        *NationalReference.key(office, system, value, case_id, field),
        office=office,
        system=system,
        reference=value,
        case_id=case_id,
        service=service,
        field=field,
        label=label,
        at=iso(),
    )
    return entry


def forget_reference(office: str, system: str, reference: str, case_id: str, field: str) -> None:
    """Take the reference off the case again (the decision that recorded it did not happen)."""
    value = normalise_reference(reference)
    NationalReference(*NationalReference.key(office, system, value, case_id, field)).delete()


def find_reference(office: str, reference: str) -> list[NationalReference]:
    """Every case of the office that carries this number, in any national system.

    Only a number record_reference would keep can be found: anything else (a search box holding
    3,000 characters) is answered with nothing rather than sent as a key DynamoDB refuses."""
    value = normalise_reference(reference)
    if not (3 <= len(value) <= 60 and _REFERENCE.fullmatch(value)):
        return []
    found: list[NationalReference] = []
    for system in SYSTEMS:
        pk = NationalReference.key(office, system, value, "", "")[0]
        found.extend(NationalReference.query(pk))
    return sorted(found, key=lambda r: r.at, reverse=True)
