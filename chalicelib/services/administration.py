"""Office administration: the rules behind the administrator's pages.

An office administrator (Cognito group `<office>.admin`) manages the staff accounts and roles of
their own office only, records delegation decrees, reads the letterhead and numbering of the
office, checks an SOP file as `sop check` does, and prints the QR posters. Every change to an
account or a decree is written to the office's log (OfficeEvent, PK `OFFICE#<office>`).
Passwords are never seen here: Cognito emails a new account its temporary password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import segno

from chalicelib.adapters import staff_directory, storage
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Counter, Delegation, OfficeEvent, SopFile, key_text_ok
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import WIB, iso, now, office_today
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from chalicelib.services import delegations
from chalicelib.services.numbering import format_number
from chalicelib.settings import get_settings
from chalicelib.sop.errors import SopError, SopIssue, SopNotFound
from chalicelib.sop.loader import (
    OFFICE_FILE,
    list_offices,
    list_services,
    load_office,
    load_service,
)
from chalicelib.sop.office_files import OFFICE_SERVICE, check_office_file

ADMIN_ROLE = "admin"
ADMIN_LABEL = "Admin Kantor"
MAX_SOP_BYTES = 200 * 1024
MAX_REASON = 300
SHA_PREFIX = 16
LOG_LIMIT = 50

_NAME_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.ya?ml$")

ACTIONS = {
    "account_created": "Akun dibuat",
    "role_added": "Peran ditambahkan",
    "role_removed": "Peran dicabut",
    "disabled": "Akun dinonaktifkan",
    "enabled": "Akun diaktifkan",
    "decree": "SK pendelegasian dicatat",
    "decree_ended": "SK pendelegasian diakhiri",
    "sop_kept": "Berkas SOP disimpan",
}
DETAILS = {
    "name": "nama",
    "email": "email",
    "roles": "peran",
    "role": "peran",
    "from_role": "peran dilimpahkan",
    "delegate": "penerima",
    "delegate_role": "peran penerima",
    "kind": "jenis",
    "valid_from": "mulai",
    "valid_to": "sampai",
    "old_valid_to": "semula sampai",
    "new_valid_to": "kini berlaku terakhir",
    "reason": "alasan",
    "service": "layanan",
    "sha256": "SHA-256",
    "summary": "hasil periksa",
}


# --- who administers what -------------------------------------------------------------------


def administered_offices(who: Principal) -> list[str]:
    return sorted(o for o in who.offices if ADMIN_ROLE in who.roles_in(o) and o in list_offices())


def office_of(who: Principal, wanted: str | None = None) -> str:
    """The office this administrator manages: 403 for a non-admin, 404 for another office."""
    offices = administered_offices(who)
    if not offices:
        raise Forbidden("Halaman ini hanya untuk admin kantor.")
    if wanted and wanted not in offices:
        raise NotFound("Kantor tidak ditemukan.")
    return wanted or offices[0]


def roles(office: str) -> dict[str, str]:
    """The office's roles (office.yaml) and the administrator role, id -> label."""
    return {**{k: r.label for k, r in load_office(office).roles.items()}, ADMIN_ROLE: ADMIN_LABEL}


def _group(office: str, role: str) -> str:
    return f"{office}.{role}"


# --- staff accounts ---------------------------------------------------------------------------


@dataclass
class StaffRow:
    account: staff_directory.StaffAccount
    roles: list[str] = field(default_factory=list)


def staff(office: str) -> list[StaffRow]:
    """The office's staff: everyone in one of its role groups, with the roles they hold there."""
    prefix = f"{office}."
    accounts = staff_directory.members([_group(office, r) for r in roles(office)])
    return [
        StaffRow(a, sorted(g.removeprefix(prefix) for g in a.groups if g.startswith(prefix)))
        for a in accounts
    ]


def normal_username(office: str, typed: str) -> str:
    """`<office>.<name>` from what was typed (with or without the office prefix)."""
    text = typed.strip().lower().removeprefix(f"{office}.")
    if not _NAME_PART.match(text):
        raise InvalidInput(
            "Nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah dan tanda hubung "
            "(2–40 karakter), mis. siti.rahma.",
            field="username",
        )
    return f"{office}.{text}"


def normal_nip(typed: str) -> str:
    """A NIP as `YYYYMMDD YYYYMM S NNN`: 18 digits (spaces allowed), a real birth date,
    a month of appointment and the sex digit 1 or 2."""
    digits = re.sub(r"\s+", "", typed)
    if not re.fullmatch(r"\d{18}", digits):
        raise InvalidInput("NIP harus 18 angka (spasi boleh), mis. 19850312 201001 1 004.", field="nip")
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidInput("Delapan angka pertama NIP harus tanggal lahir (TTTTBBHH).", field="nip") from None
    if not 1 <= int(digits[12:14]) <= 12 or digits[14] not in "12":
        raise InvalidInput(
            "NIP tidak sah: angka 9–14 adalah tahun dan bulan pengangkatan, "
            "angka 15 jenis kelamin (1 atau 2).",
            field="nip",
        )
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def _valid_roles(office: str, wanted: list[str]) -> list[str]:
    known = roles(office)
    chosen = sorted({r for r in wanted if r})
    if not chosen:
        raise InvalidInput("Pilih paling sedikit satu peran.", field="roles")
    unknown = [r for r in chosen if r not in known]
    if unknown:
        raise InvalidInput(f"Peran tidak dikenal di kantor ini: {', '.join(unknown)}.", field="roles")
    return chosen


def create_account(
    who: Principal, office: str, username: str, name: str, nip: str, email: str, wanted_roles: list[str]
) -> str:
    """A new staff account in the office's role groups; Cognito emails its temporary password."""
    user = normal_username(office, username)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise InvalidInput("Isi nama lengkap (paling banyak 100 karakter), seperti pada surat.", field="name")
    nip_text = normal_nip(nip)
    email = email.strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("Alamat email tidak sah.", field="email")
    chosen = _valid_roles(office, wanted_roles)
    try:
        staff_directory.create(user, name, nip_text, email)
    except staff_directory.DirectoryError as exc:
        if exc.reason == "exists":
            raise Conflict(f"Nama pengguna {user} sudah dipakai.", field="username") from None
        raise InvalidInput("Akun tidak dapat dibuat: periksa isian formulir.") from None
    for role in chosen:
        staff_directory.add_to_group(user, _group(office, role))
    _log(office, who, "account_created", user, {"name": name, "email": email, "roles": chosen})
    return user


def _office_account(office: str, username: str) -> staff_directory.StaffAccount:
    """An account of this office (in one of its groups); 404 for anyone else's."""
    account = staff_directory.find(username.strip()) if username.strip() else None
    if account is None or not any(g.startswith(f"{office}.") for g in account.groups):
        raise NotFound("Akun tidak ditemukan di kantor ini.")
    return account


def change_role(who: Principal, office: str, username: str, role: str, add: bool) -> None:
    account = _office_account(office, username)
    (role,) = _valid_roles(office, [role])
    group = _group(office, role)
    if add:
        if group in account.groups:
            raise Conflict("Akun ini sudah memegang peran itu.")
        staff_directory.add_to_group(account.username, group)
    else:
        if group not in account.groups:
            raise Conflict("Akun ini tidak memegang peran itu.")
        if role == ADMIN_ROLE and account.username == who.username:
            raise Conflict("Anda tidak dapat mencabut peran admin Anda sendiri; minta admin lain.")
        if len([g for g in account.groups if g.startswith(f"{office}.")]) == 1:
            raise Conflict(
                "Ini peran terakhir akun ini di kantor ini; nonaktifkan akunnya bila ia tidak bertugas lagi."
            )
        staff_directory.remove_from_group(account.username, group)
    _log(office, who, "role_added" if add else "role_removed", account.username, {"role": role})


def set_enabled(who: Principal, office: str, username: str, enabled: bool) -> None:
    account = _office_account(office, username)
    if account.username == who.username and not enabled:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    others = sorted({g.split(".", 1)[0] for g in account.groups if not g.startswith(f"{office}.")})
    if others:
        raise Conflict(
            f"Akun ini juga bertugas di kantor lain ({', '.join(others)}); hubungi admin kantor itu."
        )
    if account.enabled == enabled:
        raise Conflict("Akun ini sudah aktif." if enabled else "Akun ini sudah nonaktif.")
    staff_directory.set_enabled(account.username, enabled)
    _log(office, who, "enabled" if enabled else "disabled", account.username, None)


# --- delegation decrees -----------------------------------------------------------------------


def decrees(office: str, today: date | None = None) -> list[dict[str, Any]]:
    """Every decree of the office, newest start first, with whether it is in force today."""
    day = (today or office_today()).isoformat()
    found = Delegation.query(Delegation.partition(office), Delegation.SK.startswith(Delegation.PREFIX))
    items = sorted(
        (d for d in found if isinstance(d, Delegation)),
        key=lambda d: (d.valid_from, d.created_at),
        reverse=True,
    )
    return [
        {
            "decree": d,
            "state": "active"
            if d.valid_from <= day <= d.valid_to
            else "future"
            if day < d.valid_from
            else "ended",
        }
        for d in items
    ]


def _day(text: str, label: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{label} tidak sah; isi tanggal (tttt-bb-hh).", field=field_name) from None


def record_decree(
    who: Principal,
    office: str,
    decree: str,
    from_role: str,
    delegate: str,
    delegate_role: str,
    kind: str,
    valid_from: str,
    valid_to: str,
) -> Delegation:
    """Record a decree after the checks of the office (roles, the delegate's account) and of
    `delegations.record` (kind, number, date order)."""
    office_roles = load_office(office).roles
    if from_role not in office_roles:
        raise InvalidInput("Pilih peran yang dilimpahkan.", field="from_role")
    try:
        account = _office_account(office, delegate.strip().lower())
    except NotFound:
        raise NotFound("Penerima delegasi harus akun petugas kantor ini.", field="delegate") from None
    held = {g.removeprefix(f"{office}.") for g in account.groups if g.startswith(f"{office}.")}
    if delegate_role not in office_roles or delegate_role not in held:
        raise InvalidInput(
            f"Pilih peran penerima delegasi yang memang dipegangnya ({', '.join(sorted(held))}).",
            field="delegate_role",
        )
    if from_role in held:
        raise InvalidInput("Penerima delegasi sudah memegang peran yang dilimpahkan.", field="from_role")
    if any(row["decree"].decree == decree.strip() for row in decrees(office)):
        raise Conflict(f"SK nomor {decree.strip()} sudah dicatat.", field="decree")
    start = _day(valid_from, "Tanggal mulai", "valid_from")
    end = _day(valid_to, "Tanggal akhir", "valid_to")
    try:
        item = delegations.record(
            office, from_role, account.username, kind, decree, start, end, who.username, delegate_role
        )
    except delegations.DelegationError as exc:
        message = str(exc)
        where = "valid_to" if "Tanggal" in message else "decree" if "Nomor" in message else "kind"
        raise InvalidInput(message, field=where) from None
    _log(
        office,
        who,
        "decree",
        item.decree,
        {
            "from_role": from_role,
            "delegate": account.username,
            "delegate_role": delegate_role,
            "kind": kind,
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
        },
    )
    return item


@dataclass(frozen=True)
class EndForm:
    """What the "Akhiri" form of one decree shows: its key, the allowed last days and a default."""

    key: str
    earliest: date
    latest: date
    default: date


def end_forms(office: str, today: date | None = None) -> dict[str, EndForm]:
    """The "Akhiri" form of each decree that is in force or still to come, by decree key (SK)."""
    day = today or office_today()
    forms = {}
    for row in decrees(office, day):
        item = row["decree"]
        if row["state"] == "ended":
            continue
        earliest, latest = delegations.end_bounds(item, day)
        if earliest <= latest:
            forms[item.SK] = EndForm(item.SK, earliest, latest, min(max(day, earliest), latest))
    return forms


def _decree_of(office: str, key: str) -> Delegation:
    """A decree of this office by its key; 404 for anything else (another office's, a typo)."""
    if not key.startswith("DELEGATION#") or not key_text_ok(key):
        raise NotFound("SK tidak ditemukan di kantor ini.")
    try:
        item = Delegation.get(Delegation.partition(office), key)
    except Delegation.DoesNotExist:
        raise NotFound("SK tidak ditemukan di kantor ini.") from None
    if not isinstance(item, Delegation):
        raise NotFound("SK tidak ditemukan di kantor ini.")
    return item


def end_decree(
    who: Principal, office: str, key: str, last_day: str, reason: str, today: date | None = None
) -> tuple[Delegation, bool]:
    """End a decree early: `last_day` is the last day it counts (WIB); from the next day
    `delegations.active_for` no longer grants it. Returns the decree and whether it changed: the
    same end again changes nothing and logs nothing. The decree and its log line are one write."""
    day = today or office_today()
    item = _decree_of(office, key)
    wanted = _day(last_day, "Tanggal terakhir berlaku", "last_day")
    if wanted.isoformat() == item.valid_to:
        return item, False
    if item.valid_to < day.isoformat():
        raise Conflict(f"SK {item.decree} sudah berakhir pada {item.valid_to}.")
    earliest, latest = delegations.end_bounds(item, day)
    if wanted > latest:
        raise InvalidInput(
            f"Tanggal terakhir berlaku tidak boleh sesudah {item.valid_to} (akhir SK sekarang). "
            "Untuk memperpanjang, catat SK baru.",
            field="last_day",
        )
    if wanted < earliest:
        if wanted < date.fromisoformat(item.valid_from):
            text = f"Tanggal terakhir berlaku tidak boleh sebelum SK mulai berlaku ({item.valid_from})."
        else:
            text = (
                f"Tanggal terakhir berlaku paling awal {earliest.isoformat()} (kemarin): "
                "hari-hari yang sudah lewat tetap tercakup SK ini."
            )
        raise InvalidInput(text, field="last_day")
    why = " ".join(reason.split())
    if not 3 <= len(why) <= MAX_REASON:
        raise InvalidInput(f"Tulis alasannya (3–{MAX_REASON} karakter).", field="reason")
    old = item.valid_to
    event = _event(
        office,
        who,
        "decree_ended",
        item.decree,
        {"delegate": item.delegate, "old_valid_to": old, "new_valid_to": wanted.isoformat(), "reason": why},
    )
    try:
        write_all(
            [
                Write(
                    "update",
                    item,
                    condition=Delegation.valid_to == old,
                    actions=[
                        Delegation.valid_to.set(wanted.isoformat()),
                        Delegation.planned_valid_to.set(Delegation.planned_valid_to | old),
                        Delegation.ended_by.set(who.username),
                        Delegation.ended_at.set(event.at),
                        Delegation.end_reason.set(why),
                    ],
                ),
                Write("save", event, condition=OfficeEvent.SK.does_not_exist()),
            ]
        )
    except Refused:
        current = _decree_of(office, key)
        if current.valid_to == wanted.isoformat():  # the same request, answered meanwhile
            return current, False
        raise Conflict("SK ini baru saja diubah admin lain; muat ulang halaman dan periksa lagi.") from None
    return _decree_of(office, key), True


# --- letterhead and numbering -----------------------------------------------------------------


def letterhead(office: str, at: datetime | None = None) -> dict[str, Any]:
    """The letterhead fields of office.yaml and the next number of each classification code."""
    data = load_office(office)
    when = at or datetime.now(WIB)
    codes = {data.numbering.default_code: "kode bawaan"}
    for service_id in list_services(office):
        try:
            service = load_service(office, service_id)
        except (SopError, SopNotFound):
            continue
        for product in service.products:
            if product.code:
                codes.setdefault(product.code, product.name)
    examples = []
    for code, used_for in sorted(codes.items()):
        year = when.astimezone(WIB).year
        try:
            current = int(Counter.get(*Counter.key(office, code, year)).value)
        except Counter.DoesNotExist:
            current = 0
        number = format_number(data.numbering, current + 1, code, when, data.region_code)
        examples.append({"code": code, "used_for": used_for, "next": number, "taken": current})
    fields = [
        ("Pemerintah", data.government),
        ("Dinas", data.unit),
        ("Bidang", data.division),
        ("Wilayah", data.name),
        ("Alamat", data.address),
        ("Telepon", data.phone),
        ("Faks", data.fax),
        ("Situs", data.website),
        ("Email", data.email),
        ("Kode wilayah", data.region_code),
    ]
    return {
        "office": data,
        "fields": [(label, value) for label, value in fields],
        "numbering": data.numbering,
        "examples": examples,
        "path": f"chalicelib/sop/offices/{office}/{OFFICE_FILE}",
    }


# --- SOP files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SopCheck:
    file: str
    ok: bool
    summary: str = ""
    issues: tuple[SopIssue, ...] = ()
    service: str = ""  # the service id of a file that passed, or "office" for office.yaml
    kept: SopFile | None = None  # the stored version, once kept
    already: bool = False  # the same bytes were kept before


def check_sop(office: str, filename: str, data: bytes) -> SopCheck:
    """The checks of `sop check` on an uploaded file, against this office. Nothing is activated."""
    name = Path(filename.replace("\\", "/")).name
    if not name:
        raise InvalidInput("Pilih satu berkas YAML.")
    if not _FILE_NAME.match(name):
        raise InvalidInput(
            "Nama berkas harus berakhiran .yaml (huruf, angka, titik, garis bawah, tanda hubung), "
            "mis. ak1.yaml atau office.yaml."
        )
    if len(data) > MAX_SOP_BYTES:
        raise TooLarge(
            f"Berkas terlalu besar ({len(data) // 1024} KB); paling besar {MAX_SOP_BYTES // 1024} KB."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1} tidak terbaca). Simpan ulang sebagai UTF-8 "
            "dari penyunting teks, lalu unggah lagi."
        ) from None
    with tempfile.TemporaryDirectory(prefix="loket-sop-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            service, summary = check_office_file(office, path)
        except SopError as error:
            return SopCheck(name, False, issues=tuple(error.issues))
    return SopCheck(name, True, summary=summary, service=service)


def keep_sop(who: Principal, office: str, filename: str, data: bytes) -> SopCheck:
    """Check an uploaded SOP file and, when it passes, keep it: the bytes privately in the documents
    bucket (encrypted), who/when/SHA-256/summary in a SopFile item and the office log. The same
    bytes again are kept once. Keeping activates nothing: see `sop pull` and a deploy."""
    result = check_sop(office, filename, data)
    if not result.ok:
        return result
    sha = hashlib.sha256(data).hexdigest()
    pk, sk = SopFile.key(office, result.service, sha)
    try:
        return replace(result, kept=SopFile.get(pk, sk), already=True)
    except SopFile.DoesNotExist:
        pass
    at = now()
    item = SopFile(
        pk,
        sk,
        office=office,
        service=result.service,
        sha256=sha,
        object_key=storage.sop_key(office, result.service, sha, at),
        file_name=result.file,
        size=len(data),
        summary=result.summary,
        uploaded_by=who.username,
        uploaded_at=iso(at),
    )
    storage.put_document(item.object_key, data, "application/yaml")
    event = _event(
        office,
        who,
        "sop_kept",
        result.file,
        {"service": result.service, "sha256": sha[:SHA_PREFIX], "summary": result.summary},
    )
    try:
        write_all(
            [
                Write("save", item, condition=SopFile.SK.does_not_exist()),
                Write("save", event, condition=OfficeEvent.SK.does_not_exist()),
            ]
        )
    except Refused:
        storage.delete_document(item.object_key)  # the same bytes were kept meanwhile
        return replace(result, kept=SopFile.get(pk, sk), already=True)
    return replace(result, kept=item)


def sop_versions(office: str) -> list[dict[str, Any]]:
    """The kept versions of each of the office's files, newest first; services without one are left out."""
    found = SopFile.query(OfficeEvent.partition(office), SopFile.SK.startswith("SOPFILE#"))
    by_service: dict[str, list[SopFile]] = {}
    for item in found:
        if isinstance(item, SopFile):
            by_service.setdefault(item.service, []).append(item)
    titles = _titles(office)  # every service, the ones without a poster (`public: false`) too
    titles[OFFICE_SERVICE] = f"Kop, peran dan penomoran ({OFFICE_FILE})"
    order = [OFFICE_SERVICE, *list_services(office)]
    return [
        {
            "service": service,
            "title": titles.get(service, service),
            "versions": sorted(by_service[service], key=lambda v: v.uploaded_at, reverse=True),
        }
        for service in sorted(by_service, key=lambda s: order.index(s) if s in order else len(order))
    ]


def _titles(office: str) -> dict[str, str]:
    titles = {}
    for service_id in list_services(office):
        try:
            titles[service_id] = load_service(office, service_id).title
        except (SopError, SopNotFound):
            continue
    return titles


def sop_file(office: str, service: str, sha256: str) -> tuple[SopFile, bytes]:
    """A kept version of this office's file and its bytes; 404 for anything else."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}", service) or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFound("Versi berkas SOP tidak ditemukan.")
    try:
        item = SopFile.get(*SopFile.key(office, service, sha256))
    except SopFile.DoesNotExist:
        raise NotFound("Versi berkas SOP tidak ditemukan.") from None
    return item, storage.get_document(item.object_key)


# --- QR posters -------------------------------------------------------------------------------


def form_url(office: str, service: str) -> str:
    site = get_settings().public_site_url.rstrip("/")
    return f"{site}/ajukan.html?kantor={office}&layanan={service}"


def qr_svg(url: str, title: str) -> str:
    """An inline, scalable SVG QR code (segno, pure Python)."""
    qr = segno.make(url, error="m")
    return str(qr.svg_inline(scale=1, border=4, omitsize=True, title=title, svgclass="qr", lineclass=None))


def services(office: str) -> list[dict[str, Any]]:
    """Each public SOP service of the office with its form link (`public: false` has no poster)."""
    rows = []
    for service_id in list_services(office):
        try:
            service = load_service(office, service_id)
        except (SopError, SopNotFound):
            continue
        if not service.public:
            continue
        url = form_url(office, service_id)
        rows.append({"id": service_id, "title": service.title, "url": url, "sop": service})
    return rows


def poster(office: str, service_id: str) -> dict[str, Any]:
    """What the printable poster of one service shows; 404 for a service of another office."""
    found = next((s for s in services(office) if s["id"] == service_id), None)
    if found is None:
        raise NotFound("Layanan tidak ditemukan di kantor ini.")
    data = load_office(office)
    sop = found["sop"]
    return {
        **found,
        "office": data,
        "contact": " · ".join(p for p in (data.phone, data.website, data.email) if p),
        "qr": qr_svg(found["url"], f"Kode QR formulir {sop.title}"),
        "requirements": [
            d.name if d.required else f"{d.name} (opsional)" for d in sop.requirements.documents
        ],
        "fee": sop.fee.text,
        "duration": sop.duration.text,
    }


# --- the office log ---------------------------------------------------------------------------


def _event(
    office: str, who: Principal, action: str, subject: str, details: dict[str, Any] | None
) -> OfficeEvent:
    at = iso()
    return OfficeEvent(
        *OfficeEvent.key(office, at, secrets.token_hex(4)),
        office=office,
        at=at,
        actor=who.username,
        action=action,
        subject=subject,
        details=details or None,
    )


def _log(office: str, who: Principal, action: str, subject: str, details: dict[str, Any] | None) -> None:
    _event(office, who, action, subject, details).save()


def log(office: str, limit: int = LOG_LIMIT) -> list[OfficeEvent]:
    """The office's administration log, newest first."""
    events = OfficeEvent.query(
        OfficeEvent.partition(office),
        OfficeEvent.SK.startswith(OfficeEvent.PREFIX),
        scan_index_forward=False,
        limit=limit,
    )
    return [e for e in events if isinstance(e, OfficeEvent)]
