"""How the staff search writes and reads what it finds cases by: pure text rules, shared by the
index written at submit and number time and the search itself (services/reference_search.py).

- An exact value (NIK, phone, card or letter number, a national reference) is compared in one
  form: upper case, no spaces or hyphens, a phone in its `08...` form, so `3514 0157 0895 0001`,
  `+62 812-3456-7890` and `0812 3456 7890` find what was stored.
- A name is compared without case, accents or punctuation (`Sîti  Rahayu` reads `SITI RAHAYU`),
  by prefix of any of its words from the third letter on: `SITI RA`, `rahayu` and `RAH` find
  `SITI RAHAYU`.
"""

from __future__ import annotations

import re
import unicodedata

MIN_NAME = 3  # letters typed before a name is searched (and the name index's partition prefix)
NAME_WORDS_KEPT = 6  # a name's index entries start at most at its first 6 words
_SPACES = re.compile(r"[\s\-]+")
_PHONE = re.compile(r"(\+62|62|0)(8\d{7,12})")


def exact(text: str) -> str:
    """The one form of an exact value: `+62 812-3456-7890` -> `081234567890`,
    `bA/0456 / 2026` -> `BA/0456/2026`."""
    value = _SPACES.sub("", text or "").upper()
    phone = _PHONE.fullmatch(value.replace("(", "").replace(")", ""))
    return "0" + phone.group(2) if phone else value


def name(text: str) -> str:
    """A name compared without case, accents or punctuation: `Dewi  O'Neil-Putri` ->
    `DEWI ONEIL PUTRI` (an apostrophe joins, other punctuation separates)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", plain).split())


def name_forms(text: str) -> list[str]:
    """What a name is indexed under: the name from each of its words on (`SITI RAHAYU`,
    `RAHAYU`), each at least MIN_NAME characters, for its first NAME_WORDS_KEPT words."""
    words = name(text).split()
    forms = [" ".join(words[i:]) for i in range(min(len(words), NAME_WORDS_KEPT))]
    return [f for f in dict.fromkeys(forms) if len(f) >= MIN_NAME]


def name_query(typed: str) -> str | None:
    """The name prefix a typed search looks for, or None when it cannot be a name (fewer than
    MIN_NAME characters, or no letter at all: a number)."""
    wanted = name(typed)
    if len(wanted) < MIN_NAME or not re.search(r"[A-Z]", wanted):
        return None
    return wanted


def name_matches(stored: str, wanted: str) -> bool:
    """Whether a name `stored` (as typed on the form) has a word from which it starts with the
    prefix `wanted` (as name_query gives it)."""
    return any(form.startswith(wanted) for form in name_forms(stored))
