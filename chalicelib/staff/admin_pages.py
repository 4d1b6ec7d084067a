"""Office administration pages (`/staff/admin`): for members of `<office>.admin`, their office only.

The pages only parse forms and render; the rules are in `chalicelib.services.administration`.
Every POST carries the session's CSRF token, as the other staff forms do.
"""

from __future__ import annotations

import email.parser
import email.policy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib.adapters.identity import Principal
from chalicelib.domain import payload
from chalicelib.domain.clock import office_today
from chalicelib.domain.disposition import content_disposition
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import InvalidInput, LoketError
from chalicelib.services import absences
from chalicelib.services.administration import (
    absent_officials,
    accounts,
    decrees,
    joint_leave,
    letterhead,
    office_log,
    offices,
    posters,
    sop_files,
)
from chalicelib.services.delegations import KINDS
from chalicelib.staff import labels, session
from chalicelib.staff.pages import _cookie, _signed_in, page, redirect, staff_page, url

admin_bp = Blueprint(__name__)

FORM = ["application/x-www-form-urlencoded"]
MULTIPART = ["multipart/form-data"]
STALE = "Sesi formulir kedaluwarsa; muat ulang halaman dan coba lagi."
STATES = {"active": "Berlaku hari ini", "future": "Belum berlaku", "ended": "Berakhir"}
ABSENCE_STATES = {**STATES, "cancelled": "Dibatalkan"}


def _fields() -> dict[str, list[str]]:
    return payload.parse_form(admin_bp.current_request.raw_body)


def _one(fields: dict[str, list[str]], key: str) -> str:
    return (fields.get(key) or [""])[0]


def _multipart() -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """The text fields and the one uploaded file (name, bytes) of a multipart form."""
    request = admin_bp.current_request
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    head = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    fields: dict[str, str] = {}
    upload: tuple[str, bytes] | None = None
    if not message.is_multipart():
        return fields, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            upload = (filename, data)
        elif isinstance(name, str):
            fields[name] = data.decode("utf-8", "replace")
    return fields, upload


def _office(who: Principal, wanted: str | None) -> str:
    return offices.office_of(who, wanted or None)


def _refused(who: Principal, exc: LoketError) -> Response:
    return page("message.html", exc.status, who=who, csrf=session.csrf_token(_cookie()), message=exc.message)


def _back(office: str, anchor: str, key: str, text: str) -> Response:
    return redirect(url(f"/staff/admin?kantor={office}&di={anchor}&{key}=" + quote(text) + f"#{anchor}"))


@dataclass(frozen=True)
class Form:
    """A posted admin form: its fields (each may repeat) and, for a multipart form, the one file."""

    fields: dict[str, list[str]]
    upload: tuple[str, bytes] | None = None

    def one(self, key: str) -> str:
        return _one(self.fields, key)

    def all(self, key: str) -> list[str]:
        return self.fields.get(key, [])


def _posted() -> Form:
    content_type = admin_bp.current_request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/"):
        fields, upload = _multipart()
        return Form({k: [v] for k, v in fields.items()}, upload)
    return Form(_fields())


AdminHandler = Callable[[Principal, str, Form], Response]


def admin_post(anchor: str) -> Callable[[AdminHandler], Callable[[], Response]]:
    """The preamble of every admin POST: signed in (else the sign-in page), an administrator of the
    office named by the form's `kantor` (else 403/404), and the session's CSRF token (else back to
    the page section `anchor` with a notice). The handler gets (who, office, form)."""

    def wrap(handler: AdminHandler) -> Callable[[], Response]:
        @functools.wraps(handler)
        def view() -> Response:
            who = _signed_in()
            if who is None:
                return redirect(url("/staff/login"))
            form = _posted()
            try:
                office = _office(who, form.one("kantor"))
            except LoketError as exc:
                return _refused(who, exc)
            if not session.csrf_ok(_cookie(), form.one("csrf")):
                return _back(office, anchor, "galat", STALE)
            return handler(who, office, form)

        return view

    return wrap


def _form_refused(who: Principal, office: str, exc: LoketError, at: str, **kept: Any) -> Response:
    """The page again with the error at its form (section `at`) and what was typed kept."""
    error = {"error": exc.message, "error_field": exc.field, "notice_at": at}
    return _admin_page(who, office, exc.status, **error, **kept)


def _admin_page(who: Principal, office: str, status: int = 200, **extra: Any) -> Response:
    query = dict(admin_bp.current_request.query_params or {})
    context: dict[str, Any] = {
        "message": query.get("pesan"),
        "error": query.get("galat"),
        "notice_at": query.get("di"),
        "account_form": {},
        "decree_form": {},
        "absence_form": {},
        "end_form": {},
        "leave_form": {},
        "sop_result": None,
        "sop_error": None,
        "error_field": None,
        **extra,
    }
    roles = offices.roles(office)
    return page(
        "admin.html",
        status,
        who=who,
        csrf=session.csrf_token(_cookie()),
        office=office,
        offices=offices.administered_offices(who),
        roles=roles,
        office_roles={k: v for k, v in roles.items() if k != offices.ADMIN_ROLE},
        staff=accounts.staff(office),
        decrees=decrees.of_office(office),
        absences=absences.of_office(office, this_year=True),
        absence_states=ABSENCE_STATES,
        absence_reasons=absences.REASONS,
        today=office_today().isoformat(),
        end_forms=decrees.end_forms(office),
        states=STATES,
        kinds=KINDS,
        letterhead=letterhead.of_office(office),
        calendar=joint_leave.calendar(office),
        services=[
            {**s, "qr": posters.qr_svg(s["url"], f"Kode QR {s['title']}")} for s in posters.services(office)
        ],
        log=office_log.shown(office, office_log.log(office)),
        sop_versions=sop_files.sop_versions(office),
        actions=office_log.ACTIONS,
        detail_labels=office_log.DETAILS,
        max_kb=sop_files.MAX_SOP_BYTES // 1024,
        **context,
    )


@admin_bp.route("/staff/admin", methods=["GET"])
@staff_page
def admin_home() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(admin_bp.current_request.query_params or {})
    try:
        office = _office(who, query.get("kantor"))
    except LoketError as exc:
        return _refused(who, exc)
    return _admin_page(who, office)


@admin_bp.route("/staff/admin/accounts", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("akun")
def create_account(who: Principal, office: str, posted: Form) -> Response:
    form = {k: posted.one(k) for k in ("username", "name", "nip", "email")}
    chosen = posted.all("roles")
    try:
        username = accounts.create_account(
            who, office, form["username"], form["name"], form["nip"], form["email"], chosen
        )
    except LoketError as exc:
        return _form_refused(who, office, exc, "akun", account_form={**form, "roles": chosen})
    return _back(
        office,
        "akun",
        "pesan",
        f"Akun {username} dibuat. Cognito mengirim kata sandi sementara ke email {form['email'].strip()}.",
    )


@admin_bp.route("/staff/admin/accounts/roles", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("akun")
def change_role(who: Principal, office: str, form: Form) -> Response:
    username, role, add = form.one("username"), form.one("role"), form.one("change") == "add"
    try:
        accounts.change_role(who, office, username, role, add)
    except LoketError as exc:
        return _back(office, "akun", "galat", exc.message)
    label = labels.role_label(office, role)
    if add:
        text = f"Peran {label} ditambahkan ke {username}. Berlaku saat ia masuk berikutnya."
    else:
        text = f"Peran {label} dicabut dari {username}; sesinya diakhiri, berlaku saat itu juga."
    return _back(office, "akun", "pesan", text)


@admin_bp.route("/staff/admin/accounts/status", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("akun")
def change_status(who: Principal, office: str, form: Form) -> Response:
    username, enable = form.one("username"), form.one("enabled") == "1"
    try:
        accounts.set_enabled(who, office, username, enable)
    except LoketError as exc:
        return _back(office, "akun", "galat", exc.message)
    text = "diaktifkan kembali" if enable else "dinonaktifkan: sesinya diakhiri dan ia tidak dapat masuk lagi"
    return _back(office, "akun", "pesan", f"Akun {username} {text}.")


@admin_bp.route("/staff/admin/delegations", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("sk")
def record_decree(who: Principal, office: str, posted: Form) -> Response:
    keys = ("decree", "from_role", "delegate", "delegate_role", "kind", "valid_from", "valid_to")
    form = {k: posted.one(k) for k in keys}
    try:
        item = decrees.record_decree(who, office, **form)
    except LoketError as exc:
        return _form_refused(who, office, exc, "sk", decree_form=form)
    return _back(office, "sk", "pesan", f"SK {item.decree} dicatat untuk {item.delegate}.")


@admin_bp.route("/staff/admin/delegations/end", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("sk")
def end_decree(who: Principal, office: str, posted: Form) -> Response:
    form = {k: posted.one(k) for k in ("key", "last_day", "reason")}
    try:
        item, changed = decrees.end_decree(who, office, form["key"], form["last_day"], form["reason"])
    except LoketError as exc:
        if exc.status == 404:
            return _refused(who, exc)
        return _form_refused(who, office, exc, "sk", end_form=form)
    last = tanggal(item.valid_to)
    if not changed:
        text = f"SK {item.decree} sudah berlaku terakhir pada {last}; tidak ada yang diubah."
    else:
        text = (
            f"SK {item.decree} diakhiri: berlaku terakhir pada {last}; mulai hari berikutnya "
            f"{item.delegate} tidak lagi bertindak untuk {labels.role_label(office, item.from_role)}."
        )
    return _back(office, "sk", "pesan", text)


@admin_bp.route("/staff/admin/absences", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("berhalangan")
def record_absence(who: Principal, office: str, posted: Form) -> Response:
    """Record that an official is away (cuti, dinas luar, sakit): while it lasts, the substitutes
    the SOP names may sign for them (ADR 0022)."""
    form = {k: posted.one(k) for k in ("role", "reason", "valid_from", "valid_to", "note")}
    try:
        away = absent_officials.record_absence(who, office, **form)
    except LoketError as exc:
        return _form_refused(who, office, exc, "berhalangan", absence_form=form)
    label = labels.role_label(office, away.role)
    if away.repeated:  # the same form sent again: nothing new was written
        text = f"{label} sudah tercatat berhalangan: {away.summary()}. Tidak dicatat dua kali."
    else:
        text = f"{label} dicatat berhalangan: {away.summary()}."
    return _back(office, "berhalangan", "pesan", text)


@admin_bp.route("/staff/admin/absences/end", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("berhalangan")
def end_absence(who: Principal, office: str, posted: Form) -> Response:
    try:
        away = absent_officials.end_absence(who, office, posted.one("key"))
    except LoketError as exc:
        return _back(office, "berhalangan", "galat", exc.message)
    label = labels.role_label(office, away.role)
    if away.cancelled:
        text = f"Catatan berhalangan {label} ({away.summary()}) dibatalkan: tidak pernah berlaku."
    else:
        text = f"Catatan berhalangan {label} diakhiri: berlaku terakhir pada {tanggal(away.valid_to)}."
    return _back(office, "berhalangan", "pesan", text)


@admin_bp.route("/staff/admin/joint-leave", methods=["POST"], content_types=FORM)
@staff_page
@admin_post("libur")
def record_joint_leave(who: Principal, office: str, posted: Form) -> Response:
    """The year's SKB cuti bersama, as the admin typed it (services/administration/joint_leave.py)."""
    form = {key: posted.one(key) for key in ("year", "decree", "days")}
    try:
        item = joint_leave.record(who, office, form["year"], form["decree"], form["days"])
    except LoketError as exc:
        return _form_refused(who, office, exc, "libur", leave_form=form)
    count = len(item.days or [])
    return _back(office, "libur", "pesan", f"Cuti bersama {item.year} dicatat: {count} hari ({item.decree}).")


@admin_bp.route("/staff/admin/sop-check", methods=["POST"], content_types=MULTIPART)
@staff_page
@admin_post("sop")
def sop_check(who: Principal, office: str, form: Form) -> Response:
    try:
        if form.upload is None:
            raise InvalidInput("Pilih satu berkas YAML.")
        result = sop_files.keep_sop(who, office, *form.upload)
    except LoketError as exc:
        return _admin_page(who, office, exc.status, sop_error=exc.message, notice_at="sop")
    return _admin_page(who, office, 200 if result.ok else 422, sop_result=result, notice_at="sop")


@admin_bp.route("/staff/admin/sop-file/{service}/{sha}", methods=["GET"])
@staff_page
def sop_download(service: str, sha: str) -> Response:
    """A kept SOP version, as the file the administrator uploaded (same name, same bytes)."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(admin_bp.current_request.query_params or {})
    try:
        office = _office(who, query.get("kantor"))
        item, data = sop_files.sop_file(office, service, sha)
    except LoketError as exc:
        return _refused(who, exc)
    return Response(
        body=data.decode("utf-8"),  # checked as UTF-8 before it was kept; str keeps the bytes
        status_code=200,
        headers={
            "Content-Type": "application/yaml; charset=utf-8",
            "Content-Disposition": content_disposition(item.file_name),
            "Cache-Control": "no-store",
        },
    )


@admin_bp.route("/staff/admin/poster/{service}", methods=["GET"])
@staff_page
def poster_page(service: str) -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(admin_bp.current_request.query_params or {})
    try:
        office = _office(who, query.get("kantor"))
        poster = posters.poster(office, service)
    except LoketError as exc:
        return _refused(who, exc)
    return page("admin_poster.html", who=who, office=office, poster=poster)
