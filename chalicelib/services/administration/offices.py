"""Who administers which office (Cognito group `<office>.admin`), and the roles of an office."""

from __future__ import annotations

from chalicelib.adapters.identity import Principal
from chalicelib.errors import Forbidden, NotFound
from chalicelib.sop.loader import list_offices, load_office

ADMIN_ROLE = "admin"
ADMIN_LABEL = "Admin Kantor"


def administered_offices(who: Principal) -> list[str]:
    """The packaged offices in which `who` holds the administrator role, sorted."""
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


def group(office: str, role: str) -> str:
    """The Cognito group of a role in an office: `<office>.<role>`."""
    return f"{office}.{role}"
