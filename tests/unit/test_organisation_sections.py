"""Issue 13: which form sections hold the filing organisation's own data, remembered with its
account (services/profiles.py). Plain SOP data, no AWS."""

from __future__ import annotations

import pytest

from chalicelib.services.profiles import organisation_sections, remember
from chalicelib.sop.loader import list_offices, list_services, load_service


@pytest.mark.parametrize(("office", "service"), [(o, s) for o in list_offices() for s in list_services(o)])
def test_every_organisation_service_remembers_its_own_data_and_no_job_seeker_does(
    office: str, service: str
) -> None:
    sop = load_service(office, service)
    remembered = organisation_sections(sop)
    if sop.applicant.kind in ("pencari_kerja", "masyarakat"):
        # A job seeker files for themself, and anyone may complain: nothing of another's to keep.
        assert remembered == []
        return
    assert remembered, f"{service}: no section of the organisation's own data"
    for section in remembered:
        # Never a person the organisation files for: no NIK field, one entry, not a list of TKA.
        assert not section.repeatable and all(f.type != "nik" for f in section.fields), section.key


def test_nothing_is_written_for_a_form_without_organisation_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.adapters import profiles

    kept: list[object] = []
    monkeypatch.setattr(profiles, "keep", lambda sub, sections: kept.append((sub, sections)))
    remember("sub-1", load_service("kab-pasuruan", "ak1"), {"identitas": {"nama_lengkap": "SITI"}})
    cpmi = load_service("kota-tangerang", "id-rekomendasi-paspor-cpmi")
    remember("sub-1", cpmi, {"cpmi": {"nama_lengkap": "DEWI"}, "p3mi": {}})
    assert kept == []
    remember("sub-1", cpmi, {"cpmi": {"nama_lengkap": "DEWI"}, "p3mi": {"nama_p3mi": "PT CONTOH"}})
    assert kept == [("sub-1", {"p3mi": {"nama_p3mi": "PT CONTOH"}})]
