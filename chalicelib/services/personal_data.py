"""Who of an office sees a case's personal data: the NIK, the form's personal fields, and the
documents (KTP, photo, diploma, family card, passport) and issued cards and letters.

The rule: the roles that act on that service's SOP steps — each step's staff actors, and the
substitutes a signing rule names — read from the office's compiled SOP file, held by the person
in the case's office as their own role or under a delegation decree in force today. Nobody else
of the office: the office administrator, a supervisor who only hears of delays, a role that
serves other services. They see the case's status, times and step history, the NIK masked
(`3514********0001`) and the name masked, and no document link is made for them (the links are
presigned when the page is rendered, so none exists to be followed).

Source: issue 12 ("only the roles that act on that service's steps should"); UU No. 27 Tahun 2022
tentang Pelindungan Data Pribadi (personal data processed only for the purpose it was given for);
the README's promise that personal data is seen only by the staff of the right office and role.
"""

from __future__ import annotations

from chalicelib.adapters.identity import Principal
from chalicelib.services.catalog import find_service
from chalicelib.services.work import acting_roles
from chalicelib.sop.schema import ServiceStandard


def service_roles(sop: ServiceStandard) -> set[str]:
    """The staff roles that act on some step of `sop`: its actors and its signers' substitutes."""
    roles: set[str] = set()
    for step in sop.steps:
        roles.update(step.staff_roles)
        if step.signing is not None:
            roles.add(step.signing.signer)
            roles.update(step.signing.substitutes)
    return roles


def sees_personal_data(who: Principal, office: str, service: str) -> bool:
    """Whether `who` may see the personal data of a case of `service` at `office` (see the rule
    above). False for a service no longer packaged: nobody acts on its steps any more."""
    entry = find_service(office, service)
    if entry is None:
        return False
    return bool(service_roles(entry.sop) & set(acting_roles(who, office)))
