"""The cards: the AK/I card (Kartu Tanda Bukti Pendaftaran Pencari Kerja) and the ID CPMI.

Both are A4 sheets the holder prints, cuts out and folds; their drawing lives in
`documents/ak1_card.py` and `documents/letters/id_card.py` (reportlab, imported only when a card
is rendered). Here: which product each is, and what the issuing rules need to know about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.documents.registry import Numbering, UnreadableImage, renderers
from chalicelib.documents.values import Facts

AK1_NOTE = (
    "Kartu AK-1 wajib dilaporkan kepada Dinas setiap 6 bulan selama Anda belum bekerja, dan "
    "dilaporkan bila Anda sudah mendapat pekerjaan. Bawa kartu ini setiap melamar pekerjaan."
)


@renderers.register(
    "kartu_ak1",
    # AK/I registration number: region code + issue date DDMMYY + the office's running number of the year.
    own_number=Numbering(format="{region}{ddmmyy}{seq:06d}", code="AK1"),
    requires=("identitas.nik", "identitas.nama_lengkap"),
    uploads=("pas_foto",),
    holder=("identitas.nama_lengkap",),
    valid_years=2,
    email_note=AK1_NOTE,
    holder_reports=True,
)
def kartu_ak1(f: Facts) -> bytes:
    """The AK/I card, carrying the approving officer's name and NIP (their decision is its signature).

    Raises UnreadableImage when the 3x4 photo passed the upload check but cannot be drawn.
    """
    from chalicelib.documents.ak1_card import CardContent, render_card

    office = f.office
    person = _section(f.form, "identitas")
    officer = f.issuer
    if f.number is None or f.valid_until is None:
        raise ValueError("the AK/I card needs its registration number and validity")
    content = CardContent(
        government=office.government,
        unit=office.unit,
        address=office.address,
        contact=" · ".join(x for x in (office.phone, office.website or "") if x),
        place=f.place,
        registration_number=f.number,
        nik=person["nik"],
        name=person["nama_lengkap"],
        birth_place=person.get("tempat_lahir", "-"),
        birth_date=date.fromisoformat(person["tanggal_lahir"]),
        sex=person.get("jenis_kelamin", "-"),
        marital_status=person.get("status_perkawinan", "-"),
        religion=person.get("agama", "-"),
        address_line=person.get("alamat", "-"),
        education=_education(_section(f.form, "pendidikan_terakhir")),
        # the skill's name; its note or certificate (up to 600 characters) stays in the register
        skills=tuple(str(s.get("nama_keterampilan") or "") for s in f.entries("keterampilan")),
        experience=tuple(_experience(e) for e in f.entries("pengalaman_kerja")),
        photo=f.uploads.get("pas_foto"),
        officer_name=(officer.shown_name if officer else None) or "-",
        officer_nip=(officer.nip if officer else None) or "-",
        officer_title=(officer.role_label if officer else None) or "Petugas",
        issued_on=f.issued_on,
        valid_until=f.valid_until,
        verify_url=f.verify_url,
        reports=f.holder_reports,
    )
    try:
        return render_card(content)
    except ValueError:
        if content.photo is None:
            raise
        # A file that passed the upload check (right magic bytes) but is no readable image: the
        # card is issued with an empty photo box for a printed photo, and staff can see why.
        raise UnreadableImage("pas_foto", "Pas foto tidak terbaca; kartu terbit tanpa foto.") from None


@renderers.register("id_cpmi", number_record="referensi_siskotkln")
def id_cpmi(f: Facts) -> bytes:
    """The ID CPMI (Kota Tangerang), numbered with the ID staff took from SISKOTKLN."""
    from chalicelib.documents.letters.id_card import render_card

    return render_card(f)


def _section(form: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    values = form.get(key)
    return values if isinstance(values, Mapping) else {}


def _experience(entry: Mapping[str, Any]) -> str:
    years = f"{entry.get('tahun_mulai', '')}–{entry.get('tahun_selesai') or 'sekarang'}"
    return f"{entry.get('jabatan', '')}, {entry.get('nama_perusahaan', '')} ({years})"


def _education(last: Mapping[str, Any]) -> str:
    level = " – ".join(str(x) for x in (last.get("jenjang"), last.get("jurusan")) if x)
    school = last.get("nama_sekolah")
    year = f" ({last['tahun_lulus']})" if last.get("tahun_lulus") else ""
    return ", ".join(x for x in (level, school) if x) + year or "-"
