"""Text people type, under one set of rules for the applicant's form, the API, the staff pages and
the documents (issue 12): what a text becomes before it is kept, and which characters each kind
of field takes. Pure functions, no I/O; messages are Indonesian and name the field.

Every text, whatever its kind (`bersih`):
- must be text: an object, a list or true/false where text is expected is refused, never kept as
  Python's repr of it; a whole number is taken as its digits;
- has full-width ASCII folded to ASCII ("ＰＴ　ＡＢＣ" -> "PT ABC", as some phone keyboards type)
  and is NFC-normalised (an "é" typed as e + U+0301 is kept as the one letter é);
- loses the invisible characters a paste brings along (zero-width space and joiners, soft hyphen,
  byte-order mark, left-to-right and right-to-left marks); spaces are collapsed and trimmed, line
  breaks kept only where the field has several lines;
- is refused when it holds a control character (C0 and C1, NUL among them), a bidi embedding,
  override or isolate (U+202A-U+202E, U+2066-U+2069: they reorder what a reader sees, the
  "Trojan Source" trick), an emoji or other symbol (category So), a surrogate, a private-use or an
  unassigned code point.
A text with nothing visible left is empty (""), so a required field says "wajib diisi" for a
value of spaces, NULs or zero-width spaces alone.

What each kind of field takes (`JENIS`; the SOP's field type chooses it: `KIND_OF_TYPE`):

| kind      | for                                      | letters | digits | also                     |
| --------- | ---------------------------------------- | ------- | ------ | ------------------------ |
| `nama`    | a person's name as on the KTP / passport | Latin   | none   | space . , ' ’ -          |
|           | (SOP type `name`)                        |         |        |                          |
| `latin`   | any other text of an SOP form or record: | Latin   | 0-9    | ASCII punctuation and    |
|           | addresses, organisations, positions,     |         |        | – — ‘ ’ “ ” … • · « »    |
|           | numbers of documents (`text`, `textarea`)|         |        |                          |
| `catatan` | staff notes read on screen and in email, | any     | any    | any punctuation, math    |
|           | never printed (a decision's reason)      |         |        | and currency signs       |

"Latin" is `LATIN_LETTERS`: A-Z, a-z and the accented Latin of Latin-1, Latin Extended-A and -B
and Latin Extended Additional (Vietnamese ễ ị, Turkish ı ğ ş İ, Azerbaijani ə, German ß), plus
combining accents (U+0300-U+034E) that follow such a letter, at most MAX_MARKS on one letter.
Every one of them, and its capital, is printed by the documents' font (`documents/fonts.py`,
tested in tests/unit/test_fonts.py).

Why Latin letters for names and printed text. Names: the KTP-el prints a name in Latin letters
(Permendagri 73/2022 tentang Pencatatan Nama pada Dokumen Kependudukan, Pasal 5 ayat (1) huruf a:
"menggunakan huruf latin sesuai dengan kaidah bahasa Indonesia"), and a passport's name is in
Latin letters in its machine-readable zone (ICAO Doc 9303), so a name in Arabic or any other script
cannot be the name on the person's KTP or passport: it is refused with "tulis nama dengan huruf
Latin seperti di KTP atau paspor". Digits are refused in names (Pasal 5 ayat (3) huruf b); the
dots, commas, apostrophes and hyphens of older KTPs and of abbreviated degrees (Pasal 5 ayat (1)
huruf c) are taken. Everything else the form or a staff record takes may be printed on a card or
a letter, which Loket draws in Latin letters only (an official letter is in Bahasa Indonesia;
reportlab does not join Arabic letters nor lay out right-to-left text): Latin letters too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from chalicelib.errors import InvalidInput

Jenis = Literal["nama", "latin", "catatan"]
JENIS: tuple[Jenis, ...] = ("nama", "latin", "catatan")

NAME_MAX = 80
"""A person's name: Permendagri 73/2022 Pasal 4 ayat (2) huruf b allows 60 letters including
spaces; the abbreviated degrees a KTP-el may add (Pasal 5 ayat (1) huruf c) get 20 more."""

KIND_OF_TYPE: dict[str, Jenis] = {"name": "nama", "text": "latin", "textarea": "latin"}
"""The kind of text each SOP field type takes."""

MAX_LENGTH: dict[str, int] = {"name": NAME_MAX, "text": 150, "textarea": 600}
"""The most characters (code points, after NFC) each SOP field type takes; a field may ask for
fewer with `max_length` (what a card can print whole: documents/ak1_card.py)."""

MULTILINE_TYPES = frozenset({"textarea"})

MAX_MARKS = 2
"""Combining accents on one letter: Vietnamese needs two on a decomposed letter; more is noise."""

_LATIN_RANGES = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFB))
_LATIN_EXTRA = "ɓɗəɛɔ"  # IPA-block letters of living orthographies: Hausa, Azerbaijani, West African
COMBINING = frozenset(map(chr, range(0x300, 0x34F)))
"""The combining accents (U+0300-U+034E) the font draws: the rest of the block (medieval
superscript letters and the like) is refused as a non-Latin mark."""
_CANDIDATES = frozenset(
    ch
    for first, last in _LATIN_RANGES
    for ch in map(chr, range(first, last + 1))
    if unicodedata.category(ch).startswith("L")
) | frozenset(_LATIN_EXTRA)
LATIN_LETTERS: frozenset[str] = frozenset(
    ch for ch in _CANDIDATES if all(c in _CANDIDATES or c in COMBINING for c in ch.upper())
)
"""The letters Loket prints, each with its capital among them (so "huruf cetak" never leaves the
set: ŉ, ȿ, ɀ and ẚ, whose capitals are outside it, are not taken). See the module's table."""

NAME_MARKS = frozenset(" .,'’-")
"""What a name takes besides letters: space, dot, comma, apostrophe (straight or curly), hyphen."""
TYPOGRAPHIC = frozenset("–—‘’‚“”„…•·«»")
"""Punctuation phones and word processors put in place of ASCII's, taken in printed text."""
ASCII_PRINTABLE = frozenset(map(chr, range(0x20, 0x7F)))

INVISIBLE = frozenset("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
"""Dropped without a word: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
space / non-joiner / joiner, LRM, RLM, word joiner, invisible operators, byte-order mark."""
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def without_bidi(text: str) -> str:
    """`text` with every bidi embedding, override and isolate (BIDI_CONTROLS) taken out: for
    text shown back as typed (a search box), where refusing would only hide what was meant."""
    return "".join(c for c in text if c not in BIDI_CONTROLS)


LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
SPACES = frozenset("\t") | frozenset(
    ch for ch in map(chr, range(0x20, 0x3001)) if unicodedata.category(ch) == "Zs"
)
EMOJI_MODIFIERS = frozenset(map(chr, range(0x1F3FB, 0x1F400)))  # skin tones: Sk, but emoji


class TeksError(ValueError):
    """A text that cannot be kept. `code` is the text key of static_site/i18n/id.js whose Indonesian
    text is `str(self)` (checked by tests/teks_cases.json); `params` fill it in."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


MESSAGES = {
    "teksBukanTeks": "{label} harus berupa teks.",
    "teksKendali": "{label} memuat karakter kendali yang tidak boleh ({char}); hapus lalu ketik ulang.",
    "teksSimbol": "{label} tidak boleh memuat emoji atau simbol ({char}).",
    "teksTakDikenal": "{label} memuat karakter yang tidak dikenal ({char}).",
    "teksNamaLatin": "{label}: tulis nama dengan huruf Latin seperti di KTP atau paspor ({char}).",
    "teksNamaAngka": "{label} tidak boleh memuat angka.",
    "teksNamaTanda": (
        "{label} hanya boleh memuat huruf, spasi, titik, koma, tanda petik (') dan tanda hubung (-)."
    ),
    "teksLatin": "{label}: tulis dengan huruf Latin ({char}).",
    "teksAngka": "{label}: tulis angka dengan 0-9 ({char}).",
    "teksTakTercetak": "{label} memuat karakter yang tidak dapat dicetak ({char}).",
    "teksTandaBaca": "{label}: tanda aksen hanya boleh di atas huruf ({char}).",
    "teksPanjang": "{label} paling panjang {max} karakter.",
}
"""The messages, by the text key the browser uses (static_site/i18n/id.js holds the same words)."""


def _fail(code: str, **params: Any) -> TeksError:
    message = MESSAGES[code]
    for key, value in params.items():
        message = message.replace("{" + key + "}", str(value))
    return TeksError(code, message, **params)


def shown_char(ch: str) -> str:
    """A character as a message names it: itself when it can be seen, else U+XXXX."""
    category = unicodedata.category(ch)
    if category[0] in "LNPS" and category not in ("Co",) and ch not in BIDI_CONTROLS:
        return ch
    return f"U+{ord(ch):04X}"


def fold_width(text: str) -> str:
    """Full-width ASCII (U+FF01-U+FF5E) and the ideographic space as the ASCII they stand for."""
    return "".join(
        chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else " " if ch == "\u3000" else ch for ch in text
    )


def as_text(value: object, label: str) -> str:
    """`value` as text: a str as it is, a JSON number as its digits, None as "". Raises TeksError
    (teksBukanTeks) for anything else: an object, a list, true or false."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.0 as JavaScript's String(1.0) shows it: "1"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _fail("teksBukanTeks", label=label)


def kosong(value: object) -> bool:
    """Whether `value` holds nothing a person typed: None, or text of spaces, controls and invisible
    characters alone (a NUL, a zero-width space). An object, a list or a number is not empty."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    return not any(_visible(ch) for ch in fold_width(value) if ch not in INVISIBLE)


def bersih(
    value: object,
    label: str,
    jenis: Jenis = "latin",
    *,
    multiline: bool = False,
    max_length: int | None = None,
    capitals: bool = False,
) -> str:
    """The text as Loket keeps it, or "" when nothing visible was typed (the caller decides whether
    the field is required).

    `value` is what arrived (str, int or None; anything else is refused); `label` names the field
    in messages; `jenis` is the kind (module table); `multiline` keeps line breaks (one between
    lines, at most one empty line in a row); `capitals` keeps it in capitals ("huruf cetak", see
    `upper`); `max_length` counts code points of the kept text.
    Raises TeksError with the first broken rule, in this order: not text, a control character,
    an emoji or symbol, an unknown code point, a character the kind does not take, too long.
    """
    text = unicodedata.normalize("NFC", fold_width(as_text(value, label))).replace("\r\n", "\n")
    kept: list[str] = []
    for ch in text:
        if ch in INVISIBLE:
            continue
        if ch in LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif ch in SPACES:
            kept.append(" ")
        else:
            kept.append(ch)
    lines = [re.sub(" +", " ", line).strip(" ") for line in "".join(kept).split("\n")]
    text = re.sub("\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not any(_visible(ch) for ch in text):
        return ""
    _check_characters(text, label, jenis)
    if capitals:
        text = upper(text)
    if max_length is not None and len(text) > max_length:
        raise _fail("teksPanjang", label=label, max=max_length)
    return text


def _visible(ch: str) -> bool:
    return ch not in " \n" and unicodedata.category(ch)[0] not in "CZ"


def _check_characters(text: str, label: str, jenis: Jenis) -> None:
    """Every character against the rules every text follows, then against its kind's."""
    for ch in text:  # the rules of every text first: a control is named as one in any kind
        category = unicodedata.category(ch)
        if ch in BIDI_CONTROLS or (category in ("Cc", "Cf") and ch != "\n"):
            raise _fail("teksKendali", label=label, char=f"U+{ord(ch):04X}")
        if category == "So" or ch in EMOJI_MODIFIERS:
            raise _fail("teksSimbol", label=label, char=ch)
        if category in ("Cs", "Co", "Cn"):
            raise _fail("teksTakDikenal", label=label, char=f"U+{ord(ch):04X}")
    marks = 0
    previous = ""
    for ch in text:
        if ch in COMBINING and jenis != "catatan":
            marks += 1
            if not (previous in LATIN_LETTERS or previous in COMBINING) or marks > MAX_MARKS:
                raise _fail("teksTandaBaca", label=label, char=f"U+{ord(ch):04X}")
            previous = ch
            continue
        marks = 0
        previous = ch
        if jenis == "nama":
            _name_character(ch, label)
        elif jenis == "latin":
            _latin_character(ch, label)


def _name_character(ch: str, label: str) -> None:
    if ch in LATIN_LETTERS or ch in NAME_MARKS:
        return
    category = unicodedata.category(ch)
    if category.startswith("L") or category.startswith("M"):
        raise _fail("teksNamaLatin", label=label, char=shown_char(ch))
    if category.startswith("N"):
        raise _fail("teksNamaAngka", label=label)
    raise _fail("teksNamaTanda", label=label)


def _latin_character(ch: str, label: str) -> None:
    if ch in LATIN_LETTERS or ch in ASCII_PRINTABLE or ch in TYPOGRAPHIC or ch == "\n":
        return
    category = unicodedata.category(ch)
    if category.startswith("L") or category.startswith("M"):
        raise _fail("teksLatin", label=label, char=shown_char(ch))
    if category.startswith("N"):
        raise _fail("teksAngka", label=label, char=shown_char(ch))
    raise _fail("teksTakTercetak", label=label, char=shown_char(ch))


def upper(text: str) -> str:
    """Capitals as the documents print them ("huruf cetak"), NFC again: "ǰ" -> "J̌", "ß" -> "SS"."""
    return unicodedata.normalize("NFC", text.upper())


@dataclass(frozen=True)
class Aturan:
    """The text rule of one SOP field: its kind, whether it has several lines, its longest length."""

    jenis: Jenis
    multiline: bool
    max_length: int


def rule_for(field_type: str, max_length: int | None = None) -> Aturan | None:
    """The rule of an SOP field type ("name", "text", "textarea"), or None for a type that is not
    free text (a date, a NIK, a choice...). `max_length` (the field's own, at most the type's)
    replaces the type's longest length."""
    if field_type not in KIND_OF_TYPE:
        return None
    longest = MAX_LENGTH[field_type] if max_length is None else min(max_length, MAX_LENGTH[field_type])
    return Aturan(KIND_OF_TYPE[field_type], field_type in MULTILINE_TYPES, longest)


def isian(
    value: object,
    label: str,
    jenis: Jenis,
    *,
    field: str,
    multiline: bool = False,
    max_length: int | None = None,
) -> str:
    """`bersih` for one input of a page or an API body: a TeksError becomes InvalidInput (400) on
    `field`, with the same Indonesian sentence. Returns "" when nothing visible was typed."""
    try:
        return bersih(value, label, jenis, multiline=multiline, max_length=max_length)
    except TeksError as exc:
        raise InvalidInput(str(exc), field=field) from None
