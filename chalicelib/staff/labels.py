"""The names staff read for the ids the data holds: an office's name, a role's title.

Both come from the office's `office.yaml` (`name`, `full_name`, `roles.<id>.label`); the roles
Loket itself writes in the audit trail (`pemohon`, `admin`, `sistem`) have their own words; an id
the packaged SOP files no longer know (an office or role removed by a deploy) is shown as it is,
never an error.
"""

from __future__ import annotations

from chalicelib.sop.loader import list_offices, load_office

# Roles Loket itself writes in the trail, beside the office's own (office.yaml `roles`).
OTHER_ROLES = {"pemohon": "Pemohon", "admin": "Admin kantor", "sistem": "Loket (otomatis)"}


def office_name(office: str) -> str:
    """ "Kabupaten Pasuruan" for `kab-pasuruan` (headings); the id itself for an unknown office."""
    if office not in list_offices():
        return office
    return load_office(office).name


def office_full_name(office: str) -> str:
    """ "Dinas Tenaga Kerja Kabupaten Pasuruan" for `kab-pasuruan` (titles, emails); the id itself
    for an unknown office."""
    if office not in list_offices():
        return office
    return load_office(office).full_name


def role_label(office: str, role: str) -> str:
    """ "Petugas Antar Kerja / Staf Pelayanan" for (`kab-pasuruan`, `petugas_antar_kerja`);
    Loket's own roles by OTHER_ROLES ("Pemohon", "Admin kantor", "Loket (otomatis)"); the id
    itself for a role the office does not list."""
    if office in list_offices():
        known = load_office(office)
        if role in known.roles:
            return known.roles[role].label
    return OTHER_ROLES.get(role, role)


def role_filter(role: str, office: str) -> str:
    """`role_label` as the templates' filter reads it: `{{ item.role | role_label(item.office) }}`."""
    return role_label(office, role)
