"""The names staff read for the ids the data holds: an office's name, a role's title.

Both come from the office's `office.yaml` (`name`, `roles.<id>.label`); an id the packaged SOP
files no longer know (an office or role removed by a deploy) is shown as it is, never an error.
"""

from __future__ import annotations

from chalicelib.sop.loader import list_offices, load_office


def office_name(office: str) -> str:
    """ "Kabupaten Pasuruan" for `kab-pasuruan`; the id itself for an unknown office."""
    if office not in list_offices():
        return office
    return load_office(office).name


def role_label(office: str, role: str) -> str:
    """ "Petugas Antar Kerja / Staf Pelayanan" for (`kab-pasuruan`, `petugas_antar_kerja`),
    "Pemohon" for the applicant; the id itself for a role the office does not list."""
    if office not in list_offices():
        return role
    known = load_office(office)
    return known.actor_label(role) if known.knows_actor(role) else role
