"""An applicant account's remembered organisation data in DynamoDB: one `AccountProfile` item per
account (its Cognito sub). Read and merged by `services/profiles.py`; DynamoDB busy or failing
surfaces as PynamoDB's errors, which each entry point translates (503)."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.models import AccountProfile, key_text_ok
from chalicelib.domain.clock import iso


def sections_of(sub: str) -> dict[str, dict[str, Any]]:
    """The remembered sections of the account `sub`: {section key: {field key: value}}; {} when
    nothing was remembered yet."""
    if not key_text_ok(sub):
        return {}
    try:
        profile = AccountProfile.get(*AccountProfile.key(sub), consistent_read=True)
    except AccountProfile.DoesNotExist:
        return {}
    kept = profile.sections or {}
    return {k: dict(v) for k, v in kept.items() if isinstance(v, dict)}


def keep(sub: str, sections: dict[str, dict[str, Any]]) -> None:
    """Remember `sections` for the account `sub`, each replacing the section of the same key (a
    field left empty is forgotten); other sections stay. Last writer wins: one account, one person."""
    merged = {**sections_of(sub), **sections}
    AccountProfile(*AccountProfile.key(sub), sub=sub, sections=merged, updated_at=iso()).save()
