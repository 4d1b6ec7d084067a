"""The security headers written once (chalicelib/security_headers.py) and where else they live: the
CloudFront policy and API Gateway's own answers in infra/base.yaml, and the pages that must hold
under a CSP without inline code (staff templates, public site)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from chalice import Response

from chalicelib.security_headers import (
    COMMON,
    CSP,
    DATA_POLICY,
    html_policy,
    origin,
    secure,
    site_headers,
    site_policy,
)
from chalicelib.staff import assets

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "chalicelib" / "templates" / "staff"
SITE = ROOT / "static_site"

# Where the public site's scripts connect in AWS, as the template names them.
API_ORIGIN = "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
UPLOADS_ORIGIN = "https://${UploadsBucket.RegionalDomainName}"


def _resources() -> dict[str, Any]:
    template = yaml.safe_load((ROOT / "infra" / "base.yaml").read_text(encoding="utf-8"))
    return dict(template["Resources"])


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_the_cloudfront_policy_is_the_sites_policy_and_the_apis_other_headers() -> None:
    resources = _resources()
    behaviour = resources["SiteDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SiteHeadersPolicy"}
    config = resources["SiteHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == {
        "Fn::Sub": site_policy([API_ORIGIN, UPLOADS_ORIGIN])
    }
    hsts = security["StrictTransportSecurity"]
    assert (
        f"max-age={hsts['AccessControlMaxAgeSec']}; includeSubDomains" == COMMON["Strict-Transport-Security"]
    )
    assert hsts["IncludeSubdomains"] is True
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == COMMON["Referrer-Policy"]
    assert security["FrameOptions"]["FrameOption"] == COMMON["X-Frame-Options"]
    assert "ContentTypeOptions" in security  # nosniff
    assert all(header["Override"] is True for header in security.values())  # never the origin's own
    assert len(security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]) <= 1783  # CloudFront


def test_api_gateways_own_answers_carry_the_common_headers() -> None:
    """A path no route has never reaches the app: API Gateway answers it (DEFAULT_4XX)."""
    responses = _resources()["RestAPI"]["Properties"]["GatewayResponses"]
    quoted = {name: f"'{value}'" for name, value in COMMON.items()}
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert responses[kind]["ResponseParameters"]["Headers"] == quoted, kind


def test_the_policies_allow_no_inline_code_and_no_framing() -> None:
    for policy in (
        html_policy(),
        html_policy(["https://b.s3.example"]),
        site_policy(["https://api.example"]),
    ):
        directives = _directives(policy)
        assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'none'"]
        assert directives["form-action"] == ["'self'"] and "unsafe" not in policy
    assert _directives(html_policy())["object-src"] == ["'none'"]
    assert _directives(site_policy())["object-src"] == ["'none'"]
    assert _directives(site_policy(["https://api.example"]))["connect-src"] == [
        "'self'",
        "https://api.example",
    ]
    assert _directives(DATA_POLICY) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
    assert site_headers(["https://api.example"]) == {CSP: site_policy(["https://api.example"]), **COMMON}


def test_a_page_embeds_documents_only_from_the_origins_it_names() -> None:
    link = "https://loket-uploads.s3.ap-southeast-3.amazonaws.com/cases/x/ktp?X-Amz-Signature=1"
    directives = _directives(html_policy([origin(link), origin(link)]))
    bucket = "https://loket-uploads.s3.ap-southeast-3.amazonaws.com"
    assert directives["img-src"] == ["'self'", "data:", bucket]
    assert directives["object-src"] == [bucket] and directives["frame-src"] == [bucket]
    assert "frame-src" not in _directives(html_policy())


def test_secure_adds_what_is_missing_and_keeps_what_the_route_set() -> None:
    page = secure(Response(body="<p>", headers={"Content-Type": "text/html; charset=utf-8"}))
    assert page.headers[CSP] == html_policy()
    assert all(page.headers[name] == value for name, value in COMMON.items())
    data = secure(Response(body={"a": 1}))
    assert data.headers[CSP] == DATA_POLICY
    own = secure(
        Response(
            body="<p>",
            headers={
                "content-type": "text/html",
                "content-security-policy": "img-src x",
                "Referrer-Policy": "x",
            },
        )
    )
    assert own.headers["content-security-policy"] == "img-src x" and CSP not in own.headers
    assert own.headers["Referrer-Policy"] == "x" and own.headers["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
HANDLER = re.compile(r"\son[a-z]+=", re.I)


@pytest.mark.parametrize(
    "page", sorted(TEMPLATES.glob("*.html")) + sorted(SITE.glob("*.html")), ids=lambda p: p.name
)
def test_no_page_has_inline_script_or_style(page: Path) -> None:
    """The CSP refuses them: a page with one would lose its style or behaviour in the browser.
    Styles go in chalicelib/staff/assets/ (staff) or static_site/app.css, scripts in files."""
    html = page.read_text(encoding="utf-8")
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER):
        found = pattern.search(html)
        assert found is None, f"{page.name}:{html.count(chr(10), 0, found.start()) + 1}: {found.group(0)}"


def test_every_asset_a_template_links_is_served() -> None:
    named = {
        n for page in TEMPLATES.glob("*.html") for n in re.findall(r"asset\('([^']+)'\)", page.read_text())
    }
    assert {"staff.css", "staff.js", "admin.css", "poster.css"} <= named
    for name in named:
        assert re.fullmatch(rf"/staff/assets/{re.escape(name)}\?v=[0-9a-f]{{12}}", assets.asset(name))
    with pytest.raises(LookupError):
        assets.asset("../assets.py")
