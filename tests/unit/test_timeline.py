"""The applicant's timeline on plain data: which steps every case passes (services/progress.py
`main_path`), and the SOP's contact channels as links that work (domain/contacts.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.contacts import segments
from chalicelib.services.progress import main_path
from chalicelib.sop.loader import list_offices, list_services, load_service


def test_ak1s_conditional_step_is_off_the_main_path() -> None:
    """AK-1: 5 (check) -> 6 (counselling) -> 8, 9, 10; step 7 ("if the file is incomplete") only
    when a case was returned."""
    assert main_path(load_service("kab-pasuruan", "ak1")) == {5, 6, 8, 9, 10}


@pytest.mark.parametrize(("office", "service"), [(o, s) for o in list_offices() for s in list_services(o)])
def test_every_main_path_starts_at_the_first_process_step(office: str, service: str) -> None:
    sop = load_service(office, service)
    path = main_path(sop)
    assert sop.process_steps[0].number in path and path <= {s.number for s in sop.process_steps}


def _links(text: str) -> list[tuple[str, str]]:
    return [(p["text"], p["href"]) for p in segments(text) if "href" in p]


def test_contact_channels_become_links_and_the_text_stays_whole() -> None:
    text = (
        "Email : ak1.disnakerkabpas@yahoo.com Live Chat : tawk.to https://hellowork.pasuruankab.go.id, "
        "Tlp. (0343) 414430, WA 0812-3456-7890."
    )
    assert _links(text) == [
        ("ak1.disnakerkabpas@yahoo.com", "mailto:ak1.disnakerkabpas@yahoo.com"),
        ("https://hellowork.pasuruankab.go.id", "https://hellowork.pasuruankab.go.id"),
        ("(0343) 414430", "tel:+62343414430"),
        ("0812-3456-7890", "https://wa.me/6281234567890"),
    ]
    assert "".join(p["text"] for p in segments(text)) == text
    assert ("tawk.to", "tawk.to") not in _links(text)  # no scheme: the vendor's name, not a link


@pytest.mark.parametrize(
    "text",
    ["NIK 3514301126000010", "tanggal 2026-11-30", "Nomor 560/0012/424.081/2026", "biaya Rp 0", ""],
)
def test_numbers_that_are_no_phone_stay_text(text: str) -> None:
    assert _links(text) == []


def test_a_phone_in_international_form() -> None:
    assert _links("+62 21 5555 1234") == [("+62 21 5555 1234", "tel:+622155551234")]
