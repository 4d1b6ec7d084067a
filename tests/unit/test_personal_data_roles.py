"""Which roles see a case's personal data: read from the compiled SOP files (services/personal_data.py)."""

from __future__ import annotations

from chalicelib.services.personal_data import service_roles
from chalicelib.sop.loader import load_service


def test_ak1s_roles_are_the_two_that_act_on_its_steps() -> None:
    assert service_roles(load_service("kab-pasuruan", "ak1")) == {"petugas_antar_kerja", "pengantar_kerja"}


def test_a_signing_rules_substitutes_act_on_the_service_too() -> None:
    for office, service in (
        ("kab-pasuruan", "rekomendasi-paspor-cpmi"),
        ("kota-tangerang", "id-rekomendasi-paspor-cpmi"),
    ):
        sop = load_service(office, service)
        signing = [s.signing for s in sop.steps if s.signing is not None and s.signing.substitutes]
        assert signing  # these two standards name substitutes
        roles = service_roles(sop)
        assert "pemohon" not in roles and "admin" not in roles
        for rule in signing:
            assert {rule.signer, *rule.substitutes} <= roles
