"""The national systems (SIAPkerja / SISKOP2MI today, SISKOTKLN in the seeds, the biometric CTKI
registration, Aplikasi TKA Daerah), as Loket sees them.

Staff work in those systems and type what they saw. Two things go through this module:
- the SPR (Surat Permintaan Rekrut) register with each letter's quota, which Loket must enforce;
- the reference numbers staff record (an ID CPMI, a Berita Acara number, a payment journal),
  kept so that a number read in a national system finds its case again.
Both live in our table behind these functions, so the checks are real today and a real
integration (looking the number up in the national system) can replace this module without
touching the use cases. The SPR rules themselves (valid until, the same company, a place left)
are `chalicelib/domain/spr.py`; this module reads and writes the register.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from chalicelib.adapters.models import NationalReference, RecruitmentLetter, UniqueValue
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain import spr as spr_rules
from chalicelib.domain.clock import iso
from chalicelib.domain.spr import SprProblem as SprProblem  # raised through this module's calls
from chalicelib.domain.spr import normalise_number
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


def normalise_spr(number: str) -> str:
    """An SPR number as the register keeps it (`domain/spr.normalise_number`)."""
    return normalise_number(number)


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
    # Refused in the transaction: the last place went meanwhile, so all of them are used.
    used_up = spr_rules.used_up(replace(_rules_view(spr), used=int(spr.quota)))
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
    """The SPR if this case may take a place of it; None if the case holds one already. Raises
    SprProblem for an unknown SPR and as `domain/spr.check_usable` rules."""
    try:
        spr = RecruitmentLetter.get(*RecruitmentLetter.key(office, wanted), consistent_read=True)
    except RecruitmentLetter.DoesNotExist:
        raise spr_rules.unknown(wanted) from None
    pk, sk = _use_key(office, wanted, case_id)
    try:
        UniqueValue.get(pk, sk, consistent_read=True)
        return None  # this case already holds a place
    except UniqueValue.DoesNotExist:
        pass
    spr_rules.check_usable(_rules_view(spr), company, today)
    return spr


def _rules_view(spr: RecruitmentLetter) -> spr_rules.Spr:
    """The stored letter as the SPR rules read it."""
    return spr_rules.Spr(
        number=str(spr.number),
        company=str(spr.company),
        quota=int(spr.quota),
        used=int(spr.used),
        valid_until=date.fromisoformat(spr.valid_until),
    )


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
