"""Email addresses as Amazon SES can deliver to them, checked with `email-validator`.

SES takes an address only in ASCII: a domain with other letters (`bücher.id`) goes in its IDNA
form (`xn--bcher-kva.id`), and a local part with other letters cannot be sent at all (SES has
no SMTPUTF8). An address SES would refuse is refused here, when it is typed, in Indonesian,
rather than dead-lettering the card's email later.
"""

from __future__ import annotations

from chalicelib.errors import InvalidInput

MAX_LENGTH = 254  # RFC 5321's limit on a forward path


def deliverable(text: str, field: str = "email") -> str:
    """`text` as an address SES delivers to: trimmed, lower case, the domain in IDNA (ASCII).

    Raises InvalidInput (400) on `field` with an Indonesian reason. The library is imported here,
    not at module load: the API Lambda's cold start does not pay for it."""
    from email_validator import EmailNotValidError, validate_email

    address = (text or "").strip()
    if not address:
        raise InvalidInput("Alamat email wajib diisi.", field=field)
    local = address.rpartition("@")[0]
    if any(ord(c) > 127 for c in local):
        raise InvalidInput(
            "Bagian sebelum @ hanya boleh huruf tanpa aksen, angka dan tanda . _ - + "
            "(email dengan huruf lain tidak dapat dikirim).",
            field=field,
        )
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidInput("Alamat email tidak sah (contoh: nama@contoh.id).", field=field) from None
    ascii_address = str(checked.ascii_email or "").lower()
    if not ascii_address or len(ascii_address) > MAX_LENGTH:
        raise InvalidInput("Alamat email tidak sah (contoh: nama@contoh.id).", field=field)
    return ascii_address
