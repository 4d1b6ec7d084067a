"""The staff pages' stylesheets and script (chalicelib/staff/assets/), served by the app itself.

The pages' Content-Security-Policy takes no inline `<style>`, `style="..."`, `<script>` or
`onclick="..."` (chalicelib/security_headers.py): what they look like and do comes from these
files. A page links each one as `/staff/assets/<name>?v=<digest of its bytes>` (the template
function `asset`), so a browser keeps it for a year and a changed file has a new address; an
address with any other version is answered `no-cache`.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path

from chalice import Response

FOLDER = Path(__file__).resolve().parent / "assets"
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
FOREVER = "public, max-age=31536000, immutable"


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(p.name for p in FOLDER.iterdir() if p.is_file() and p.suffix in TYPES)


@cache
def _read(name: str) -> tuple[str, str] | None:
    """(text, version) of an asset, or None for a name that is not one of the files."""
    if name not in _names():
        return None
    data = (FOLDER / name).read_bytes()
    return data.decode("utf-8"), hashlib.sha256(data).hexdigest()[:12]


def asset(name: str) -> str:
    """The address of an asset, without the base path: `/staff/assets/staff.css?v=3f2a…`."""
    found = _read(name)
    if found is None:
        raise LookupError(f"no staff asset {name!r} in {FOLDER}")
    return f"/staff/assets/{name}?v={found[1]}"


def served(name: str, version: str | None) -> Response:
    """The answer to GET /staff/assets/<name>: the file with its type, cached for a year when
    asked by its current version; 404 for anything that is not an asset."""
    found = _read(name)
    if found is None:
        return Response(body="", status_code=404, headers={"Content-Type": "text/plain; charset=utf-8"})
    text, current = found
    return Response(
        body=text,
        status_code=200,
        headers={
            "Content-Type": TYPES[Path(name).suffix],
            "Cache-Control": FOREVER if version == current else "no-cache",
        },
    )
