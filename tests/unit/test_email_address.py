"""Email addresses as SES can deliver them (issue 12): an IDNA domain goes in ASCII, a local part
SES cannot send to is refused when typed, in Indonesian."""

from __future__ import annotations

import pytest

from chalicelib.domain.email_address import deliverable
from chalicelib.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (" Siti.Rahayu@Contoh.ID ", "siti.rahayu@contoh.id"),
        ("budi@bücher.id", "budi@xn--bcher-kva.id"),  # issue 12: went to SES unencoded
        ("a+ak1@pasuruankab.go.id", "a+ak1@pasuruankab.go.id"),
    ],
)
def test_an_address_is_kept_as_ses_delivers_it(typed: str, kept: str) -> None:
    assert deliverable(typed) == kept


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("bücher@contoh.id", "huruf tanpa aksen"),  # issue 12: SES rejects a non-ASCII local part
        ("имя@contoh.id", "huruf tanpa aksen"),
        ("budi@contoh", "tidak sah"),
        ("budi@@contoh.id", "tidak sah"),
        ("budi contoh@contoh.id", "tidak sah"),
        ("budi@contoh.id\x00", "tidak sah"),
        ("", "wajib diisi"),
        ("a" * 250 + "@contoh.id", "tidak sah"),
    ],
)
def test_what_ses_cannot_deliver_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        deliverable(typed, field="identitas.email")
    assert reason in refused.value.message and refused.value.field == "identitas.email"
