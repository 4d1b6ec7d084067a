"""The short case code people read aloud and type: 8 characters of Crockford's base32 and a
check character, shown in groups of three (`K7Q-M3X-D2F`).

The long case id (24 characters, services/cases.py `case_id_for`) stays the key in the table and
in URLs; the code is what the status page, every email subject and the staff pages show, and what
staff search for. It is derived from the case id (`candidate`), so a retried request derives the
same code; the table holds one code -> case item per code (adapters/case_index.py), so two cases
never share one: a taken code is skipped for the next candidate.

Sources:
- Alphabet and reading rules: Douglas Crockford, "Base 32", https://www.crockford.com/base32.html
  (digits and upper-case letters without I, L, O, U; on input, lower case is upper case, `O` is
  `0`, `I` and `L` are `1`, and hyphens are ignored).
- Check character: the Luhn mod N algorithm (https://en.wikipedia.org/wiki/Luhn_mod_N_algorithm)
  over the same 32 characters, chosen over Crockford's own mod-37 check symbol because that adds
  `* ~ $ = U`, which cannot be read aloud at a counter. It catches every single mistyped
  character and most swaps of two neighbours.
"""

from __future__ import annotations

import hashlib
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
LENGTH = BODY_LENGTH + 1
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# What people type for a character of the alphabet (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-._/]+")


def check_character(body: str) -> str:
    """The Luhn mod 32 check character of `body` (characters of ALPHABET, upper case).

    Raises KeyError for a character outside the alphabet."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def candidate(case_id: str, attempt: int = 0) -> str:
    """The `attempt`-th code a case may get (9 characters, no separators): 40 bits of
    SHA-256(case id, attempt) in the alphabet, then the check character. Attempt 0 is the case's
    code unless another case holds it (1 in 2^40 per pair of cases)."""
    digest = hashlib.sha256(f"{case_id}\x00{attempt}".encode()).digest()
    number = int.from_bytes(digest[:5], "big")
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(BODY_LENGTH)))
    return body + check_character(body)


def shown(code: str) -> str:
    """The code as people read it: `K7QM3XD2F` -> `K7Q-M3X-D2F`."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def parse(typed: str) -> str | None:
    """The code typed (separators, spaces, lower case, `O` for 0, `I`/`L` for 1 allowed), as
    stored (9 characters), or None when the text is not a code: the wrong length, a character
    outside the alphabet, or a check character that does not match. Eight characters (the code
    without its check character) are completed with it."""
    text = _SEPARATORS.sub("", typed or "").upper().translate(_READ_AS)
    if not text or any(c not in _VALUE for c in text):
        return None
    if len(text) == BODY_LENGTH:
        return text + check_character(text)
    if len(text) == LENGTH and check_character(text[:BODY_LENGTH]) == text[-1]:
        return text
    return None


def wrong_check(typed: str) -> bool:
    """Whether `typed` has a code's shape (9 characters of the alphabet, separators and the
    reading rules allowed, as `parse` reads it) but its last character is not the check
    character of the first eight: one character mistyped, most likely (the check catches every
    single one). False for a valid code and for text that is no code at all."""
    text = _SEPARATORS.sub("", typed or "").upper().translate(_READ_AS)
    if len(text) != LENGTH or any(c not in _VALUE for c in text):
        return False
    return check_character(text[:BODY_LENGTH]) != text[-1]
