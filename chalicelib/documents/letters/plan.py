"""What a letter says, before it meets the office's frame: a `Plan` of paragraphs and particulars.

A product's letter renderer (`chalicelib/documents/products/`) returns a `Plan`; `frame.py` draws
it with reportlab. Plain dataclasses: importing this module loads no reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# One millimetre in PDF points, computed as reportlab.lib.units computes it (so sizes are exact).
MM = 72.0 / 2.54 * 0.1


@dataclass(frozen=True)
class Para:
    """A paragraph; `text` is plain text (escaped here), `**bold**` spans are not interpreted."""

    text: str
    style: Literal["indented", "plain", "centre"] = "indented"
    bold: bool = False
    space_before: float = 2 * MM


@dataclass(frozen=True)
class Rows:
    """Particulars as `label : value` lines, indented under the paragraph that introduces them."""

    rows: Sequence[tuple[str, str]]
    numbered: bool = False
    label_width: float = 52 * MM
    indent: float = 8 * MM


@dataclass(frozen=True)
class Items:
    """A numbered list."""

    items: Sequence[str]
    indent: float = 8 * MM


Block = Para | Rows | Items


@dataclass(frozen=True)
class Party:
    """The other signatory of a berita acara (signs on paper): heading, name and a subtitle."""

    heading: Sequence[str]
    name: str
    subtitle: str = ""


@dataclass(frozen=True)
class Plan:
    """One product's letter, before it meets the frame."""

    title: str  # the naskah's title, or the letter's document title (PDF metadata)
    number: str | None
    blocks: Sequence[Block]
    style: Literal["surat", "naskah"] = "naskah"
    number_label: str = "Nomor"
    subtitle: Sequence[str] = ()  # lines under the naskah's number (a registration number)
    addressee: Sequence[str] = ()  # surat: "Yth. ...", then "di", then the place
    sifat: str = "Biasa"
    lampiran: str = "-"
    perihal: str = ""
    dated: Literal["plain", "ditetapkan"] = "plain"
    other_party: Party | None = None  # a berita acara's second signatory (left column)
    signer_heading: Sequence[str] = ()  # above the office's signer: "PIHAK PERTAMA,", "Mengetahui,"
    tembusan: Sequence[str] = ()
