"""`python -m chalicelib.cli bootstrap`: an office's staff groups and its first administrator on
a fresh staff pool, safe to run again.

A new pool has no groups, so `admin-add-user-to-group` alone fails and nobody can open
`/staff/admin` to make the others: this makes every group of the office (`<office>.<role>` for
each role of `office.yaml`, and `<office>.admin`), then the administrator's account (name, NIP,
email; Cognito emails the temporary password, in Indonesian: infra/base.yaml) in `<office>.admin`.
Run again, it makes only what is missing and never a second invitation. The pool id is given
(stack output `StaffUserPoolId`), so no other setting is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain import email_address, teks
from chalicelib.errors import InvalidInput
from chalicelib.services.administration.accounts import normal_nip, normal_username
from chalicelib.services.administration.offices import ADMIN_ROLE, group
from chalicelib.sop.loader import list_offices, load_office


@dataclass
class Bootstrapped:
    """What one run did: groups made now, groups already there, the admin's user name and
    whether the account was made now (False: it existed and was only put in the group)."""

    username: str
    created_groups: list[str] = field(default_factory=list)
    existing_groups: list[str] = field(default_factory=list)
    account_created: bool = False
    added_to_admin: bool = False


def office_groups(office: str) -> list[str]:
    """Every Cognito group the office uses: one per role of its office.yaml, then `<office>.admin`.
    Raises InvalidInput for an office Loket does not have."""
    if office not in list_offices():
        raise InvalidInput(
            f"Kantor {office} tidak ada; pilihan: {', '.join(list_offices())}.", field="office"
        )
    return [group(office, role) for role in load_office(office).roles] + [group(office, ADMIN_ROLE)]


def bootstrap(
    cognito: Any, pool_id: str, office: str, username: str, name: str, nip: str, email: str
) -> Bootstrapped:
    """Make what is missing of the office's groups and first administrator in pool `pool_id`
    (`cognito` is a boto3 cognito-idp client). The NIP and user name follow the admin page's
    rules (services/administration/accounts.py); raises InvalidInput for a bad one, before
    anything is made."""
    user = normal_username(office, username)
    name = teks.isian(name, "Nama lengkap", "nama", field="name")
    if not name:
        raise InvalidInput("Isi nama lengkap administrator.", field="name")
    nip_text = normal_nip(nip)
    email = email_address.deliverable(email)
    groups = office_groups(office)
    done = Bootstrapped(username=user)
    existing = set()
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 60}
    while True:
        page = cognito.list_groups(**kwargs)
        existing |= {g["GroupName"] for g in page.get("Groups", [])}
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    for name_of_group in groups:
        if name_of_group in existing:
            done.existing_groups.append(name_of_group)
            continue
        try:
            cognito.create_group(UserPoolId=pool_id, GroupName=name_of_group)
            done.created_groups.append(name_of_group)
        except cognito.exceptions.GroupExistsException:  # made meanwhile by another run
            done.existing_groups.append(name_of_group)
    try:
        cognito.admin_get_user(UserPoolId=pool_id, Username=user)
    except cognito.exceptions.UserNotFoundException:
        try:
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=user,
                UserAttributes=[
                    {"Name": "name", "Value": name},
                    {"Name": "custom:nip", "Value": nip_text},
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                DesiredDeliveryMediums=["EMAIL"],
            )
            done.account_created = True
        except cognito.exceptions.UsernameExistsException:
            pass  # made meanwhile by another run: it got the invitation
    admin_group = group(office, ADMIN_ROLE)
    current: set[str] = set()
    kwargs = {"UserPoolId": pool_id, "Username": user}
    while True:
        page = cognito.admin_list_groups_for_user(**kwargs)
        current |= {g["GroupName"] for g in page.get("Groups", [])}
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    if admin_group not in current:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user, GroupName=admin_group)
        done.added_to_admin = True
    return done
