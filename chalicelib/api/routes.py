"""Public API routes: health, services, and the applicant's own cases."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, CORSConfig, Response

from chalicelib.adapters import accounts
from chalicelib.adapters.identity import SIGN_IN, Principal, verify_token
from chalicelib.api.errors import translated
from chalicelib.api.services import catalogue, catalogue_entry
from chalicelib.api.standard import standard
from chalicelib.domain import payload, teks
from chalicelib.errors import InvalidInput, NotSignedIn
from chalicelib.services import cases, complaints, holder, one_card, profiles, sessions, survey, verification
from chalicelib.services import sign_in as signing_in
from chalicelib.settings import get_settings

api_bp = Blueprint(__name__)

# Applicants call with a bearer token (no cookies), so any origin may call; the site's own
# idempotency header must be allowed through the preflight.
PUBLIC_CORS = CORSConfig(allow_origin="*", allow_headers=["Idempotency-Key"], max_age=600)


def _body() -> dict[str, Any]:
    """The request's JSON object, bounded in size and depth (domain.payload): the one place every
    JSON route reads its body, so a huge or deeply nested body is a 413 or 400, never a 500."""
    return payload.parse_object(api_bp.current_request.raw_body)


def _bearer() -> str:
    header = api_bp.current_request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotSignedIn(SIGN_IN)
    return token.strip()


def _applicant() -> Principal:
    """The signed-in applicant: a valid id token of the applicant pool whose session is open
    (ended by sign-out: services/sessions.py). NotSignedIn (401) otherwise."""
    return sessions.principal(sessions.APPLICANT, _bearer())


def _client_ip() -> str | None:
    """The caller's address as API Gateway saw it (`requestContext.identity.sourceIp`)."""
    identity = (api_bp.current_request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "") or None


@api_bp.route("/health", methods=["GET"], cors=PUBLIC_CORS)
@translated
def health() -> dict[str, Any]:
    """Liveness plus a settings check: a deploy with a missing setting answers 503, not 200."""
    get_settings()
    return {"status": "ok", "service": "loket"}


@api_bp.route("/api/offices", methods=["GET"], cors=PUBLIC_CORS)
@translated
def offices() -> Response:
    """The offices and their service standards, for the public site (cached at the edge)."""
    return Response(body={"offices": catalogue()}, headers={"Cache-Control": "public, max-age=300"})


@api_bp.route("/api/offices/{office}/services/{service}", methods=["GET"], cors=PUBLIC_CORS)
@translated
def office_service(office: str, service: str) -> Response:
    """One office with only the one service a page is about (the form page): its entry of
    `/api/offices`, a few KB instead of every office's every service; 404 when not public."""
    return Response(body=catalogue_entry(office, service), headers={"Cache-Control": "public, max-age=300"})


@api_bp.route("/api/standards/{office}/{service}", methods=["GET"], cors=PUBLIC_CORS)
@translated
def service_standard(office: str, service: str) -> Response:
    """The whole published standard of one public service, for its public page (standar.html);
    404 for an unknown or non-public service."""
    return Response(body=standard(office, service), headers={"Cache-Control": "public, max-age=300"})


def _text(body: dict[str, Any], key: str) -> str:
    """The body's `key` as text ("" when absent). An object, a list or true/false there is a 400 on
    that field (domain/teks.as_text), never its Python repr passed on as if typed."""
    try:
        return teks.as_text(body.get(key), key)
    except teks.TeksError:
        raise InvalidInput(f"Isian {key} harus berupa teks.", field=key) from None


@api_bp.route("/api/account/signup", methods=["POST"], cors=PUBLIC_CORS)
@translated
def sign_up() -> Response:
    """A new account; one per email, and a client answered "this email has an account" too often
    waits (429 with Retry-After: domain/sign_in_limits.TAKEN_EMAIL)."""
    body = _body()
    created = signing_in.applicant_sign_up(
        _text(body, "username"),
        _text(body, "password"),
        _text(body, "email"),
        _text(body, "kind") or "pencari_kerja",
        _text(body, "organisation"),
        _client_ip(),
    )
    return Response(body=created, status_code=201)


@api_bp.route("/api/account/confirm", methods=["POST"], cors=PUBLIC_CORS)
@translated
def confirm_account() -> dict[str, Any]:
    body = _body()
    return accounts.confirm(_text(body, "username"), _text(body, "code"))


@api_bp.route("/api/account/resend", methods=["POST"], cors=PUBLIC_CORS)
@translated
def resend_code() -> dict[str, Any]:
    return accounts.resend(_text(_body(), "username"))


@api_bp.route("/api/account/signin", methods=["POST"], cors=PUBLIC_CORS)
@translated
def sign_in() -> dict[str, Any]:
    """Sign in, throttled per user id and per client (429 with Retry-After over a limit:
    domain/sign_in_limits.py); an unknown user id and a wrong password are one answer (401)."""
    body = _body()
    return signing_in.applicant(_text(body, "username"), _text(body, "password"), _client_ip())


@api_bp.route("/api/account/signout", methods=["POST"], cors=PUBLIC_CORS)
@translated
def sign_out() -> dict[str, Any]:
    """Sign out everywhere: every session of the account ends (its id tokens are refused from the
    next request) and Cognito revokes its refresh tokens. A token whose session already ended
    signs out again without complaint; a forged or expired one is 401."""
    settings = get_settings()
    who = verify_token(_bearer(), settings.applicant_pool_id, settings.applicant_client_id)
    sessions.end_everywhere(sessions.APPLICANT, who.username)
    return {"signed_out": True}


@api_bp.route("/api/account/refresh", methods=["POST"], cors=PUBLIC_CORS)
@translated
def refresh() -> dict[str, Any]:
    return accounts.refresh(_text(_body(), "refresh_token"))


@api_bp.route("/api/account/forgot", methods=["POST"], cors=PUBLIC_CORS)
@translated
def forgot_password() -> dict[str, Any]:
    return accounts.forgot(_text(_body(), "username"))


@api_bp.route("/api/account/reset", methods=["POST"], cors=PUBLIC_CORS)
@translated
def reset_password() -> dict[str, Any]:
    body = _body()
    return accounts.reset(_text(body, "username"), _text(body, "code"), _text(body, "password"))


@api_bp.route("/api/account/profile", methods=["GET"], cors=PUBLIC_CORS)
@translated
def account_profile() -> Response:
    """The signed-in account's remembered organisation data, to prefill a new form:
    {"sections": {section key: {field key: value}}} ({} before its first form)."""
    return Response(body=profiles.remembered(_applicant().sub), headers={"Cache-Control": "no-store"})


@api_bp.route("/api/verify/{verify_id}", methods=["GET"], cors=PUBLIC_CORS)
@translated
def verify(verify_id: str) -> Response:
    """What a document's QR code shows the public: valid, expired or revoked, and a masked name."""
    found = verification.lookup(verify_id)
    return Response(body=found, headers={"Cache-Control": "no-store"})


@api_bp.route("/api/cases", methods=["GET"], cors=PUBLIC_CORS)
@translated
def my_cases() -> dict[str, Any]:
    return {"cases": [cases.public_view(c) for c in cases.list_cases(_applicant().sub)]}


@api_bp.route("/api/cases", methods=["POST"], cors=PUBLIC_CORS)
@translated
def open_case() -> Response:
    who = _applicant()
    body = _body()
    key = api_bp.current_request.headers.get("idempotency-key", "") or _text(body, "idempotency_key")
    opened = cases.open_case(
        who.sub,
        str(who.email or _text(body, "email")),  # the account's verified address first
        _text(body, "office"),
        _text(body, "service"),
        key,
        kind=who.kind or "pencari_kerja",
        organisation=who.organisation,
    )
    return Response(body=cases.public_view(opened.case), status_code=201 if opened.created else 200)


@api_bp.route("/api/cases/{case_id}", methods=["GET"], cors=PUBLIC_CORS)
@translated
def get_case(case_id: str) -> dict[str, Any]:
    return cases.status(_applicant().sub, case_id)


@api_bp.route("/api/cases/{case_id}/form", methods=["PUT"], cors=PUBLIC_CORS)
@translated
def save_form(case_id: str) -> dict[str, Any]:
    body = _body()
    confirm = body.get("confirm")
    confirmed = [c for c in confirm if isinstance(c, str)] if isinstance(confirm, list) else []
    return cases.public_view(cases.save_form(_applicant().sub, case_id, body.get("form"), confirmed))


@api_bp.route("/api/cases/{case_id}/nik", methods=["POST"], cors=PUBLIC_CORS)
@translated
def check_nik(case_id: str) -> Response:
    """Whether the NIK typed on the applicant's own case already holds a valid card or a filing
    in progress at the case's office (services/one_card.check): the NIK in the body, never a URL."""
    found = one_card.check(_applicant().sub, case_id, _body().get("nik"))
    return Response(body=found, headers={"Cache-Control": "no-store"})


@api_bp.route("/api/cases/{case_id}/products/{product}", methods=["GET"], cors=PUBLIC_CORS)
@translated
def download_product(case_id: str, product: str) -> Response:
    return Response(
        body=cases.product_link(_applicant().sub, case_id, product), headers={"Cache-Control": "no-store"}
    )


@api_bp.route("/api/cases/{case_id}/uploads", methods=["POST"], cors=PUBLIC_CORS)
@translated
def request_upload(case_id: str) -> dict[str, Any]:
    body = _body()
    return cases.request_upload(
        _applicant().sub, case_id, _text(body, "document"), _text(body, "content_type")
    )


@api_bp.route("/api/cases/{case_id}/documents/{document}", methods=["PUT"], cors=PUBLIC_CORS)
@translated
def confirm_upload(case_id: str, document: str) -> dict[str, Any]:
    body = _body()
    return cases.confirm_upload(_applicant().sub, case_id, document, _text(body, "key"))


@api_bp.route("/api/cases/{case_id}/reports", methods=["POST"], cors=PUBLIC_CORS)
@translated
def holder_report(case_id: str) -> dict[str, Any]:
    """The card holder's six-monthly report (services/holder.py): still looking, or found work
    with employer and start date. Once per window; found work closes the card."""
    return holder.report(_applicant().sub, case_id, _body())


@api_bp.route("/api/cases/{case_id}/submit", methods=["POST"], cors=PUBLIC_CORS)
@translated
def submit(case_id: str) -> dict[str, Any]:
    _body()  # nothing is read from it, but it is a JSON object within bounds like every other body
    return cases.public_view(cases.submit(_applicant().sub, case_id))


@api_bp.route("/api/cases/{case_id}/confirm", methods=["POST"], cors=PUBLIC_CORS)
@translated
def confirm_step(case_id: str) -> dict[str, Any]:
    """The applicant confirms their own step after submission (receiving the document, ADR 0021);
    409 when the case waits for no such step."""
    _body()
    return cases.public_view(cases.confirm_step(_applicant().sub, case_id))


@api_bp.route("/api/complaints", methods=["POST"], cors=PUBLIC_CORS)
@translated
def file_complaint() -> Response:
    """A complaint, suggestion or input (services/complaints.file), with or without an account:
    a bearer token, when sent, must be valid (401 otherwise) and makes it the account's case.
    Body: {"office", "complaint": {jenis, nama, email, isi, kode_berkas}, "case_id" (optional:
    the account's case it is about), "situs_web" (the honeypot, empty)}; 201 with the code."""
    body = _body()
    signed_in = bool(api_bp.current_request.headers.get("authorization", "").strip())
    who = _applicant() if signed_in else None
    key = api_bp.current_request.headers.get("idempotency-key", "") or _text(body, "idempotency_key")
    complaint = body.get("complaint")
    filed = complaints.file(
        _text(body, "office"),
        complaint if isinstance(complaint, dict) else {},
        key,
        applicant_sub=who.sub if who else None,
        related_case_id=_text(body, "case_id") or None,
        honeypot=_text(body, complaints.HONEYPOT),
        source_ip=_client_ip(),
    )
    return Response(body=filed, status_code=201)


@api_bp.route("/api/cases/{case_id}/survey", methods=["GET"], cors=PUBLIC_CORS)
@translated
def survey_state(case_id: str) -> Response:
    """Whether the applicant's case asks the SKM survey and whether it was answered, with the
    nine questions (services/survey.state)."""
    return Response(body=survey.state(_applicant().sub, case_id), headers={"Cache-Control": "no-store"})


@api_bp.route("/api/cases/{case_id}/survey", methods=["POST"], cors=PUBLIC_CORS)
@translated
def survey_answer(case_id: str) -> Response:
    """The one SKM response of a completed case: {"answers": {u1..u9: 1..4}}; 201, or 409 when it
    was answered already (services/survey.answer)."""
    return Response(body=survey.answer(_applicant().sub, case_id, _body().get("answers")), status_code=201)
