"""The security headers of every answer Loket gives a browser, written once.

Where they are sent:
- **the app** (JSON API, staff pages, their redirects and errors, Chalice's own 405 and 415):
  `secure_headers`, the app's one `http` middleware (app.py). A header a route set itself is
  kept: the staff case page sends its own policy, which lets it embed the storage links it shows;
- **the public site**: CloudFront's response-headers policy `SiteHeadersPolicy` (infra/base.yaml),
  and locally the site server of infra/local/run.py, both with `site_policy`;
  tests/unit/test_security_headers.py keeps the template's policy equal to it;
- **API Gateway's own answers** (a path no route has): `GatewayResponses` of `RestAPI` in
  infra/base.yaml, `COMMON` only.

The policies (Content-Security-Policy):
- staff pages (`html_policy`): scripts, styles and everything else only from the app itself, no
  inline script or style (the pages' CSS and JS are files the app serves: chalicelib/staff/assets/),
  images also as `data:` (the favicon), PDFs and images embedded only from the origins the page
  names (its presigned S3 links: img-src, object-src, frame-src), no plugins otherwise, no
  `<base>`, forms only to the app, never in a frame;
- anything else the app answers (JSON, redirects, a download): `DATA_POLICY`, nothing at all;
- the public site (`site_policy`): as the staff pages, plus `blob:` images (a photo is decoded
  from the file picked before it is shrunk) and `connect-src` for the API and the uploads bucket
  (presigned POSTs). The site does not call Cognito itself (the API proxies every account call).
Every answer also carries `COMMON`: HTTPS only for a year (HSTS, subdomains included), no MIME
sniffing, no Referer sent anywhere (nothing in Loket reads one; page addresses carry case ids),
and `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

COMMON = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

CSP = "Content-Security-Policy"
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _policy(directives: Mapping[str, Iterable[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def html_policy(media: Iterable[str] = ()) -> str:
    """The staff pages' policy; `media`: the origins whose images and PDFs the page embeds (a PDF
    in an `<object>` is checked by chromium as an object and as a frame)."""
    embedded = sorted(set(media))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *embedded],
        "object-src": embedded or ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    if embedded:
        directives["frame-src"] = embedded
    return _policy(directives)


def site_policy(connect: Iterable[str] = ()) -> str:
    """The public site's policy; `connect`: the origins its scripts call besides its own (the API,
    the uploads bucket's endpoint for presigned POSTs)."""
    return _policy(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:", "blob:"],
            "connect-src": ["'self'", *connect],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    )


def site_headers(connect: Iterable[str] = ()) -> dict[str, str]:
    """Every security header of the public site's answers."""
    return {CSP: site_policy(connect), **COMMON}


def origin(url: str) -> str:
    """`https://bucket.s3.ap-southeast-3.amazonaws.com/key?...` -> `https://bucket.s3.ap-southeast-3.amazonaws.com`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def secure(response: Any) -> Any:
    """Add the security headers a chalice Response lacks (a header set by its route is kept):
    the staff pages' policy for HTML, `DATA_POLICY` for anything else."""
    headers = response.headers
    present = {name.lower(): name for name in headers}
    content_type = str(headers.get(present.get("content-type", ""), ""))
    policy = html_policy() if content_type.lower().startswith("text/html") else DATA_POLICY
    for name, value in {CSP: policy, **COMMON}.items():
        if name.lower() not in present:
            headers[name] = value
    return response


def secure_headers(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """The app's `http` middleware: every response of the API Lambda gets `secure`."""
    return secure(get_response(event))
