"""Who reads the satisfaction index (the staff IKM page, staff/ikm_pages.py).

In an office, the holders of a Kepala Seksi role (the role id `kasi` or `kasi_*`, e.g.
kasi_penempatan), `kabid`, `kadis` and the office's `admin`: the leaders who answer for the
service's quality (Permenpan RB 14/2017 asks the unit's leadership to follow up the SKM). Staff
groups are `<office>.<role>` (adapters/identity.Principal).
"""

from __future__ import annotations

from chalicelib.adapters.identity import Principal
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services.administration.offices import ADMIN_ROLE
from chalicelib.sop.loader import list_offices

LEADERS = ("kabid", "kadis", ADMIN_ROLE)
"""Roles that read the index, beside every Kepala Seksi role (`kasi*`)."""
ONLY_LEADERS = "Indeks kepuasan hanya untuk Kepala Seksi, Kepala Bidang, Kepala Dinas dan admin kantor."


def may_read(role: str) -> bool:
    """Whether `role` reads the index: a Kepala Seksi role (`kasi`, `kasi_*`), kabid, kadis, admin."""
    return role == "kasi" or role.startswith("kasi_") or role in LEADERS


def readable_offices(who: Principal) -> list[str]:
    """The packaged offices in which `who` holds a role that reads the index, sorted."""
    known = set(list_offices())
    return sorted(o for o in who.offices if o in known and any(may_read(r) for r in who.roles_in(o)))


def office_for(who: Principal, wanted: str | None) -> str:
    """The office whose index `who` reads: Forbidden (403) without such a role anywhere,
    NotFound (404) for an office not among theirs."""
    offices = readable_offices(who)
    if not offices:
        raise Forbidden(ONLY_LEADERS)
    if wanted and wanted not in offices:
        raise NotFound("Kantor tidak ditemukan.")
    return wanted or offices[0]


def reads_ikm(who: Principal) -> bool:
    """Whether `who` reads the index of any office (the inbox links the page then)."""
    return bool(readable_offices(who))
