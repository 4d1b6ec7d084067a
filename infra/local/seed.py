"""Seed the local stack: the offices of the seeds, one demo staff account for every role.

Passwords are generated here and returned once (make run prints them); they are never written
to disk. Staff groups are named `<office>.<role>`: that name is how the app knows a person's
office and role.
"""

from __future__ import annotations

import contextlib
import secrets
import string
from dataclasses import dataclass

from chalicelib.adapters.aws import client

ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class DemoAccount:
    office: str
    role: str
    username: str
    password: str


def new_password() -> str:
    """A password that meets the staff pool's policy (12+, upper, lower, digit)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        if (
            any(c.isupper() for c in body)
            and any(c.islower() for c in body)
            and any(c.isdigit() for c in body)
        ):
            return body


def create_user(
    pool_id: str,
    username: str,
    password: str,
    email: str,
    groups: list[str],
    name: str | None = None,
    nip: str | None = None,
    extra: dict[str, str] | None = None,
) -> None:
    """A confirmed user with a permanent password, in the given groups (groups made if needed)."""
    cognito = client("cognito-idp")  # made once, shared (making one costs tens of milliseconds)
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    if name:
        attributes.append({"Name": "name", "Value": name})
    if nip:
        attributes.append({"Name": "custom:nip", "Value": nip})
    attributes.extend({"Name": k, "Value": v} for k, v in (extra or {}).items())
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    for group in groups:
        with contextlib.suppress(cognito.exceptions.GroupExistsException):
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def demo_nip(number: int) -> str:
    """A NIP-shaped demo number (birth date, appointment month, sex, serial): clearly not real."""
    return f"19900101 202001 1 {number:03d}"


def seed_staff(staff_pool_id: str) -> list[DemoAccount]:
    """One account per role of every office (plus the office administrator)."""
    from chalicelib.sop.loader import list_offices, load_office

    accounts = []
    for office_id in list_offices():
        office = load_office(office_id)
        for number, role in enumerate([*office.roles, ADMIN_ROLE], start=1):
            username = f"{office_id}.{role}"
            password = new_password()
            label = office.roles[role].label if role in office.roles else "Admin Kantor"
            create_user(
                staff_pool_id,
                username,
                password,
                f"{role}@{office_id}.loket.test",
                [f"{office_id}.{role}"],
                name=f"Demo {label.split(' (')[0]}",
                nip=demo_nip(number),
            )
            accounts.append(DemoAccount(office_id, role, username, password))
    return accounts


DEMO_P3MI = "PT CONTOH PENEMPATAN MIGRAN"


def seed_registers() -> list[str]:
    """The national registers Loket checks against, as a demo: two SPRs of one placement agency
    (one with places left, one used up), so the CPMI services can be walked locally."""
    from datetime import date

    from chalicelib.adapters.models import RecruitmentLetter
    from chalicelib.adapters.national import register_spr

    register_spr("kab-pasuruan", "SPR/2026/0001", DEMO_P3MI, 5, date(2027, 12, 31))
    used_up = register_spr("kab-pasuruan", "SPR/2026/0002", DEMO_P3MI, 1, date(2027, 12, 31))
    used_up.update(actions=[RecruitmentLetter.used.set(1)])
    return [f"SPR/2026/0001 ({DEMO_P3MI}, kuota 5)", f"SPR/2026/0002 ({DEMO_P3MI}, kuota habis)"]
