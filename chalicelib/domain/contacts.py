"""Contact channels in an SOP's text as links a phone can follow.

An SOP step tells the applicant where to reach the office in its own words ("Email :
ak1.disnakerkabpas@yahoo.com Live Chat : tawk.to https://hellowork.pasuruankab.go.id, Tlp.
(0343) 414430"). `segments` cuts such a text into plain parts and links: an address with its
scheme (`https:`/`http:`), an email address (`mailto:`), an Indonesian phone number (`tel:+62...`,
RFC 3966), and a mobile number said to be WhatsApp (`https://wa.me/62...`, WhatsApp's click to
chat). A bare name without a scheme ("tawk.to") stays text: it is the vendor's site, not the
office's chat, and a link to it would lead nowhere useful. Plain Python, no I/O.
"""

from __future__ import annotations

import re
from typing import TypedDict

URL = r"https?://[^\s,;()<>]+[^\s,;()<>.:]"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
# (0343) 414430, 0343-414430, 0812 3456 7890, +62 812-3456-7890: 8 to 13 digits after 0 / +62.
PHONE = r"(?<![\w+])(?:\+62|\(0\d{2,4}\)|0)[\d\s.-]{6,16}\d(?!\d)"
TOKEN = re.compile(f"(?P<url>{URL})|(?P<email>{EMAIL})|(?P<phone>{PHONE})")
WHATSAPP = re.compile(r"(?:whats\s?app|\bwa\b)[\s.:]*$", re.IGNORECASE)


class Segment(TypedDict, total=False):
    """A piece of the text; `href` only on a link."""

    text: str
    href: str


def _digits(number: str) -> str | None:
    """The number as +62 digits, or None when it is not a plausible Indonesian number."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        return None
    return digits if 7 <= len(digits) <= 12 else None


def segments(text: str) -> list[Segment]:
    """`text` cut into parts, each {"text"} or a link {"text", "href"}; joined, the texts give
    `text` back unchanged. An empty text gives []."""
    parts: list[Segment] = []
    at = 0
    for found in TOKEN.finditer(text):
        href = None
        shown = found.group(0)
        if found.group("url"):
            href = shown
        elif found.group("email"):
            href = f"mailto:{shown}"
        else:
            digits = _digits(shown)
            if digits is not None:
                said_whatsapp = WHATSAPP.search(text[max(0, found.start() - 14) : found.start()])
                mobile = digits.startswith("8")
                href = f"https://wa.me/62{digits}" if said_whatsapp and mobile else f"tel:+62{digits}"
        if href is None:
            continue
        if found.start() > at:
            parts.append({"text": text[at : found.start()]})
        parts.append({"text": shown, "href": href})
        at = found.end()
    if at < len(text):
        parts.append({"text": text[at:]})
    return parts
