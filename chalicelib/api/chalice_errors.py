"""Chalice's own refusals in Loket's words: the answers Chalice gives before a view runs.

Chalice answers a body of a Content-Type the route does not take with
`{"Code": "UnsupportedMediaType", "Message": "Unsupported media type: text/plain"}` (415), a
method the address does not answer with `MethodNotAllowedError` (405), and a binary answer to
a request without a matching Accept with `BadRequest` (400): English, and JSON even for the
staff pages. This `http` middleware gives them the answer every other error gets: the JSON
API's `{"error": {"message": <Indonesian>, "code": ...}}` (chalicelib/api/errors.py), and on
/staff/... an HTML page with the message (chalicelib/staff/pages.py `error_page`). Headers
Chalice set (Allow, CORS) are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice, Response

from chalicelib.errors import InvalidInput, LoketError, NotAllowedMethod, UnsupportedMedia

MEDIA = "Jenis isi kiriman (Content-Type) ini tidak diterima di alamat ini. Kirim sebagai {wanted}."
MEDIA_PAGE = (
    "Formulir ini terkirim dalam bentuk yang tidak dikenali. Muat ulang halaman, lalu kirim lagi "
    "dari formulirnya."
)
METHOD = "Permintaan {method} tidak tersedia di alamat ini."
ACCEPT = "Dokumen ini berupa berkas: minta dengan header Accept yang sesuai (misalnya application/pdf)."
OWN_CODES = {
    "UnsupportedMediaType": "unsupported_media_type",
    "MethodNotAllowedError": "method_not_allowed",
    "BadRequest": "bad_request",
}
"""Chalice's error codes this module answers, and the `code` Loket's body gives instead."""


def _chalice_code(response: Any) -> str | None:
    """The Chalice error code of an answer Chalice made itself, or None for any other answer."""
    body = getattr(response, "body", None)
    if isinstance(body, dict) and set(body) == {"Code", "Message"} and body["Code"] in OWN_CODES:
        return str(body["Code"])
    return None


def _wanted(routes: dict[str, dict[str, Any]], request: Any) -> str:
    """The Content-Types the route takes, as the message names them ("application/json")."""
    entry = routes.get(getattr(request, "path", ""), {}).get(getattr(request, "method", ""))
    kinds = getattr(entry, "content_types", None) or ["application/json"]
    return " atau ".join(kinds)


def as_loket_error(request: Any, code: str, routes: dict[str, dict[str, Any]] | None = None) -> LoketError:
    """The error of Loket's tree for Chalice's `code` on `request` (its path and method);
    `routes`: the app's (`Chalice.routes`), to name the Content-Type the route takes."""
    staff = str(getattr(request, "path", "")).startswith("/staff")
    if code == "UnsupportedMediaType":
        text = MEDIA_PAGE if staff else MEDIA.format(wanted=_wanted(routes or {}, request))
        return UnsupportedMedia(text, code=OWN_CODES[code])
    if code == "MethodNotAllowedError":
        return NotAllowedMethod(METHOD.format(method=getattr(request, "method", "")), code=OWN_CODES[code])
    return InvalidInput(ACCEPT, code=OWN_CODES[code])


def middleware(app: Chalice) -> Callable[[Any, Callable[[Any], Any]], Any]:
    """The app's `http` middleware: Chalice's own 405/415/400 answers rewritten (module doc);
    every other answer passes unchanged. Registered after the security headers' middleware, so
    the rewritten answer gets them too."""

    def own_words(event: Any, get_response: Callable[[Any], Any]) -> Any:
        response = get_response(event)
        code = _chalice_code(response)
        if code is None:
            return response
        error = as_loket_error(event, code, app.routes)
        if str(getattr(event, "path", "")).startswith("/staff"):
            from chalicelib.staff.pages import error_page

            answer: Response = error_page(error, str(getattr(event, "path", "")))
        else:
            from chalicelib.api.errors import to_response

            answer = to_response(error)
        kept = {k: v for k, v in (response.headers or {}).items() if k.lower() != "content-type"}
        answer.headers = {**kept, **(answer.headers or {})}
        answer.status_code = error.status
        return answer

    return own_words
