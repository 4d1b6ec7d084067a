"""Staff accounts of an office and the roles they hold there (Cognito groups `<office>.<role>`).

Cognito calls go through `adapters/staff_directory`; every change is written to the office log.
A new account gets its temporary password from Cognito by email: Loket never sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from chalicelib.adapters import staff_directory
from chalicelib.adapters.identity import Principal
from chalicelib.domain import email_address, teks
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import sessions
from chalicelib.services.administration import office_log
from chalicelib.services.administration.offices import ADMIN_ROLE, group, roles

_NAME_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])?$")


@dataclass
class StaffRow:
    """One row of the staff table: the Cognito account and the role ids it holds in this office."""

    account: staff_directory.StaffAccount
    roles: list[str] = field(default_factory=list)


def staff(office: str) -> list[StaffRow]:
    """The office's staff: everyone in one of its role groups, with the roles they hold there."""
    prefix = f"{office}."
    accounts = staff_directory.members([group(office, r) for r in roles(office)])
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
    if not re.fullmatch(r"[0-9]{18}", digits):  # ASCII digits: \d would take ١ or ３ too
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
    name = teks.isian(name, "Nama lengkap", "nama", field="name")
    if not name or len(name) > teks.NAME_MAX:  # printed whole on cards and letters (documents/)
        raise InvalidInput(
            f"Isi nama lengkap (paling banyak {teks.NAME_MAX} karakter), seperti pada surat.", field="name"
        )
    nip_text = normal_nip(nip)
    email = email_address.deliverable(email)
    chosen = _valid_roles(office, wanted_roles)
    try:
        staff_directory.create(user, name, nip_text, email)
    except staff_directory.DirectoryError as exc:
        if exc.reason == "exists":
            raise Conflict(f"Nama pengguna {user} sudah dipakai.", field="username") from None
        raise InvalidInput("Akun tidak dapat dibuat: periksa isian formulir.") from None
    for role in chosen:
        staff_directory.add_to_group(user, group(office, role))
    office_log.write(office, who, "account_created", user, {"name": name, "email": email, "roles": chosen})
    return user


def office_account(office: str, username: str) -> staff_directory.StaffAccount:
    """An account of this office (in one of its groups); 404 for anyone else's."""
    account = staff_directory.find(username.strip()) if username.strip() else None
    if account is None or not any(g.startswith(f"{office}.") for g in account.groups):
        raise NotFound("Akun tidak ditemukan di kantor ini.")
    return account


def change_role(who: Principal, office: str, username: str, role: str, add: bool) -> None:
    """Add a role to an account of the office, or take one away (never its last role in the office,
    nor an administrator's own admin role). Taking one away ends the account's sessions (the roles
    ride in the token): it signs in again with the roles left. Raises NotFound, InvalidInput or
    Conflict."""
    account = office_account(office, username)
    (role,) = _valid_roles(office, [role])
    role_group = group(office, role)
    if add:
        if role_group in account.groups:
            raise Conflict("Akun ini sudah memegang peran itu.")
        staff_directory.add_to_group(account.username, role_group)
    else:
        if role_group not in account.groups:
            raise Conflict("Akun ini tidak memegang peran itu.")
        if role == ADMIN_ROLE and account.username == who.username:
            raise Conflict("Anda tidak dapat mencabut peran admin Anda sendiri; minta admin lain.")
        if len([g for g in account.groups if g.startswith(f"{office}.")]) == 1:
            raise Conflict(
                "Ini peran terakhir akun ini di kantor ini; nonaktifkan akunnya bila ia tidak bertugas lagi."
            )
        staff_directory.remove_from_group(account.username, role_group)
        # The role is in the id token's groups: end the sessions, so it is gone at once.
        sessions.end_everywhere(sessions.STAFF, account.username)
    office_log.write(office, who, "role_added" if add else "role_removed", account.username, {"role": role})


def set_enabled(who: Principal, office: str, username: str, enabled: bool) -> None:
    """Disable or enable an account of the office (not one's own, nor one that serves another
    office too). Disabling ends every session of the account at once: its pages answer with the
    sign-in page from the next request. Raises NotFound or Conflict."""
    account = office_account(office, username)
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
    if not enabled:
        # Disabled first, then every session ended: a sign-in racing this either has its session
        # deleted here or finds the account disabled when it checks (services/sign_in.py).
        sessions.end_everywhere(sessions.STAFF, account.username)
    office_log.write(office, who, "enabled" if enabled else "disabled", account.username, None)
