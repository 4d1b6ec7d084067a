"""An organisation's own data, prefilled from its account and remembered (issue 13).

A company (TKA services), a school (Tanda Daftar BKK) or a placement agency (CPMI services) files
many cases with the same company data. The SOP marks the sections that hold it
(`FormSection.organisation`: name, address, NIB/NPWP, the officer filing and their phone); what
the account typed there last is kept with the account (`adapters/profiles.py`, per account, never
shared), and the site prefills a new form with it. The person edits the prefilled values like any
other; the edited values are remembered the next time the form is saved.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import profiles
from chalicelib.services.forms import applicant_sections
from chalicelib.sop.schema import FormSection, ServiceStandard


def organisation_sections(sop: ServiceStandard) -> list[FormSection]:
    """The sections of the service's form that hold the filing organisation's own data."""
    return [s for s in applicant_sections(sop) if s.organisation and not s.repeatable]


def remember(sub: str, sop: ServiceStandard, form: dict[str, Any]) -> None:
    """Keep the organisation sections of a checked form (`forms.clean_form`'s answer) with the
    account `sub`. Nothing is written for a service without such sections or an empty section."""
    kept = {
        s.key: dict(form[s.key])
        for s in organisation_sections(sop)
        if isinstance(form.get(s.key), dict) and form[s.key]
    }
    if kept:
        profiles.keep(sub, kept)


def remembered(sub: str) -> dict[str, Any]:
    """What the account `sub` has remembered: {"sections": {section key: {field key: value}}}."""
    return {"sections": profiles.sections_of(sub)}
