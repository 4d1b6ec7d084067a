"""The kinds of applicant account and the organisation's name (chalicelib/domain/accounts.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.accounts import KINDS, account_kind, is_organisation, organisation_name
from chalicelib.errors import InvalidInput
from chalicelib.sop.schema import ApplicantKind


def test_the_kinds_are_the_applicant_kinds_of_the_sop_schema() -> None:
    # "masyarakat" is anyone (a complaint, signed in with any kind of account or none): no kind of
    # account of its own.
    assert set(KINDS) == set(ApplicantKind.__args__) - {"masyarakat"}


def test_an_unknown_kind_is_refused_on_its_field() -> None:
    assert account_kind("p3mi") == "p3mi"
    with pytest.raises(InvalidInput) as refused:
        account_kind("admin")
    assert refused.value.field == "kind"


def test_a_job_seeker_files_for_themself_an_organisation_by_its_name() -> None:
    assert not is_organisation("pencari_kerja") and organisation_name("pencari_kerja", "PT Apa Saja") is None
    assert all(is_organisation(kind) for kind in KINDS if kind != "pencari_kerja")
    assert organisation_name("perusahaan", "  pt   contoh  jaya ") == "PT CONTOH JAYA"


@pytest.mark.parametrize("typed", ["", "  ", "PT", "X" * 151])
def test_an_organisation_name_too_short_or_too_long_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        organisation_name("sekolah", typed)
    assert refused.value.field == "organisation" and "3–150 karakter" in str(refused.value)
    assert organisation_name("sekolah", "X" * 150) == "X" * 150
