"""The staff pool as an office administrator sees it: accounts, their groups, enabled or not.

Only Cognito calls live here; which changes are allowed is decided in
`chalicelib.services.administration`. Passwords never pass through this module: a new account
gets a temporary password that Cognito emails to the person itself.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.settings import get_settings


class DirectoryError(Exception):
    """A change Cognito refused; `reason` is a short machine word (exists, not_found, invalid)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass
class StaffAccount:
    username: str
    name: str = ""
    nip: str = ""
    email: str = ""
    enabled: bool = True
    status: str = ""  # CONFIRMED, FORCE_CHANGE_PASSWORD, ...
    groups: set[str] = field(default_factory=set)


def _pool() -> str:
    return get_settings().staff_pool_id


def _account(user: dict[str, Any]) -> StaffAccount:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", user.get("UserAttributes", []))}
    return StaffAccount(
        username=str(user["Username"]),
        name=attributes.get("name", ""),
        nip=attributes.get("custom:nip", ""),
        email=attributes.get("email", ""),
        enabled=bool(user.get("Enabled", True)),
        status=str(user.get("UserStatus", "")),
    )


def members(groups: list[str]) -> list[StaffAccount]:
    """Every account in any of `groups`, each once, with the groups (of those) it is in."""
    cognito = client("cognito-idp")
    found: dict[str, StaffAccount] = {}
    for group in groups:
        kwargs: dict[str, Any] = {"UserPoolId": _pool(), "GroupName": group}
        try:
            while True:
                page = cognito.list_users_in_group(**kwargs)
                for user in page.get("Users", []):
                    account = found.setdefault(str(user["Username"]), _account(user))
                    account.groups.add(group)
                if not page.get("NextToken"):
                    break
                kwargs["NextToken"] = page["NextToken"]
        except cognito.exceptions.ResourceNotFoundException:
            continue  # the group does not exist yet: nobody holds that role
    return sorted(found.values(), key=lambda a: (a.name.lower(), a.username))


def find(username: str) -> StaffAccount | None:
    """One account with all its groups, or None."""
    cognito = client("cognito-idp")
    try:
        user = cognito.admin_get_user(UserPoolId=_pool(), Username=username)
    except cognito.exceptions.UserNotFoundException:
        return None
    account = _account(user)
    account.groups = set(groups_of(username))
    return account


def groups_of(username: str) -> list[str]:
    cognito = client("cognito-idp")
    groups: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": _pool(), "Username": username}
    while True:
        page = cognito.admin_list_groups_for_user(**kwargs)
        groups.extend(str(g["GroupName"]) for g in page.get("Groups", []))
        if not page.get("NextToken"):
            return groups
        kwargs["NextToken"] = page["NextToken"]


def create(username: str, name: str, nip: str, email: str) -> None:
    """A new account; Cognito emails the person a temporary password (never seen by Loket)."""
    cognito = client("cognito-idp")
    try:
        cognito.admin_create_user(
            UserPoolId=_pool(),
            Username=username,
            UserAttributes=[
                {"Name": "name", "Value": name},
                {"Name": "custom:nip", "Value": nip},
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
    except cognito.exceptions.UsernameExistsException:
        raise DirectoryError("exists", username) from None
    except cognito.exceptions.InvalidParameterException as exc:
        raise DirectoryError("invalid", str(exc)) from None


def add_to_group(username: str, group: str) -> None:
    cognito = client("cognito-idp")
    with contextlib.suppress(cognito.exceptions.GroupExistsException):
        cognito.create_group(UserPoolId=_pool(), GroupName=group)
    try:
        cognito.admin_add_user_to_group(UserPoolId=_pool(), Username=username, GroupName=group)
    except cognito.exceptions.UserNotFoundException:
        raise DirectoryError("not_found", username) from None


def remove_from_group(username: str, group: str) -> None:
    cognito = client("cognito-idp")
    try:
        cognito.admin_remove_user_from_group(UserPoolId=_pool(), Username=username, GroupName=group)
    except (cognito.exceptions.UserNotFoundException, cognito.exceptions.ResourceNotFoundException):
        raise DirectoryError("not_found", username) from None


def set_enabled(username: str, enabled: bool) -> None:
    cognito = client("cognito-idp")
    try:
        if enabled:
            cognito.admin_enable_user(UserPoolId=_pool(), Username=username)
        else:
            cognito.admin_disable_user(UserPoolId=_pool(), Username=username)
    except cognito.exceptions.UserNotFoundException:
        raise DirectoryError("not_found", username) from None
