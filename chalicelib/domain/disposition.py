"""How a file is handed to a browser: its Content-Disposition (RFC 6266).

`inline` shows it in the page or a tab (a PDF or an image of the kind it was checked to be);
`attachment` saves it. The name goes twice: `filename="..."`, plain ASCII any browser reads
(letters, digits, space and `. , _ - ( )`; accents are dropped, anything else becomes `_`), and
`filename*=UTF-8''...`, the exact name percent-encoded (RFC 5987), which browsers prefer. A
name is never a way to add a header parameter or a path: quotes, `;`, `/`, `\\` and control
characters cannot reach the header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9 .,_()-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\]+")
# RFC 5987 attr-char beyond letters and digits: what needs no percent-encoding in filename*.
_ATTR_CHARS = "!#$&+-.^_`|~"


def clean_name(name: str, fallback: str = "dokumen") -> str:
    """The name as a person would read it, without control characters or path separators, at most
    MAX_NAME characters (the extension kept); `fallback` when nothing is left."""
    cleaned = " ".join(_CONTROL.sub(" ", name).split()).strip(" .")
    if len(cleaned) > MAX_NAME:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 5:
            cleaned = stem[: MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            cleaned = cleaned[:MAX_NAME].rstrip()
    return cleaned or fallback


def ascii_name(name: str) -> str:
    """`name` in the characters every browser reads in `filename="..."`: `Surat Pengantar –
    Siti Rahayu.pdf` -> `Surat Pengantar Siti Rahayu.pdf`, a name with no such character ->
    `dokumen.<extension>`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = " ".join(_UNSAFE.sub("_", plain).split())
    stem, dot, extension = safe.rpartition(".")
    if not dot:
        stem, extension = safe, ""
    stem = stem.strip(" ._") or "dokumen"
    return f"{stem}.{extension}" if extension.strip("_") else stem


def content_disposition(filename: str, inline: bool = False) -> str:
    """`inline; filename="..."; filename*=UTF-8''...` (or `attachment; ...`) for `filename`."""
    name = clean_name(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"
