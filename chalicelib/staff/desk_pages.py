"""The operator's desk (`/staff/admin/desk`): an office administrator's page for what is stuck.

The page only parses forms and renders; the rules are `services/administration/operator.py`.
Every POST carries the session's CSRF token and the office (`kantor`), as the other admin forms
do, and comes back to the desk with what happened (`pesan`) or why not (`galat`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib.adapters.identity import Principal
from chalicelib.errors import LoketError, NotSignedIn, Unavailable
from chalicelib.services.administration import office_log, offices, operator
from chalicelib.staff import session
from chalicelib.staff.admin_pages import STALE, Form, _office, _posted, _refused
from chalicelib.staff.case_view import STATUS_TEXT
from chalicelib.staff.pages import _cookie, _signed_in, page, redirect, staff_page, url

desk_bp = Blueprint(__name__)

FORM = ["application/x-www-form-urlencoded"]
SECTIONS = ("macet", "dead-letter", "keputusan")
EXECUTION_STATUS = {
    "FAILED": "gagal",
    "TIMED_OUT": "habis waktu",
    "ABORTED": "dihentikan",
    "RUNNING": "berjalan",
    "SUCCEEDED": "selesai",
}


def _back(office: str, key: str, text: str, anchor: str) -> Response:
    return redirect(url(f"/staff/admin/desk?kantor={office}&di={anchor}&{key}=" + quote(text) + f"#{anchor}"))


DeskHandler = Callable[[Principal, str, Form], operator.Outcome]


def desk_post(anchor: str) -> Callable[[DeskHandler], Callable[[], Response]]:
    """The preamble of every desk POST: signed in (else the sign-in page), an administrator of the
    office named by `kantor` (else 403/404), the session's CSRF token (else back with a notice).
    The handler's outcome comes back to the desk as `pesan`; Loket's refusals as `galat`, except
    a service that is unavailable (its 503 page says to try again)."""

    def wrap(handler: DeskHandler) -> Callable[[], Response]:
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
                return _back(office, "galat", STALE, anchor)
            try:
                outcome = handler(who, office, form)
            except (Unavailable, NotSignedIn):
                raise
            except LoketError as exc:
                return _back(office, "galat", exc.message, anchor)
            return _back(office, "pesan", outcome.text, anchor)

        return view

    return wrap


@desk_bp.route("/staff/admin/desk", methods=["GET"])
@staff_page
def desk_page() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(desk_bp.current_request.query_params or {})
    try:
        office = _office(who, query.get("kantor"))
    except LoketError as exc:
        return _refused(who, exc)
    return page(
        "desk.html",
        who=who,
        csrf=session.csrf_token(_cookie()),
        office=office,
        offices=offices.administered_offices(who),
        desk=operator.desk(office),
        statuses=STATUS_TEXT,
        execution_status=EXECUTION_STATUS,
        actions=office_log.ACTIONS,
        detail_labels=office_log.DETAILS,
        message=query.get("pesan"),
        error=query.get("galat"),
        notice_at=query.get("di") if query.get("di") in SECTIONS else None,
    )


@desk_bp.route("/staff/admin/desk/retry", methods=["POST"], content_types=FORM)
@staff_page
@desk_post("dead-letter")
def retry_message(who: Principal, office: str, form: Form) -> operator.Outcome:
    return operator.retry_message(who, office, form.one("message_id"), form.one("case_id"))


@desk_bp.route("/staff/admin/desk/redrive", methods=["POST"], content_types=FORM)
@staff_page
@desk_post("dead-letter")
def redrive(who: Principal, office: str, form: Form) -> operator.Outcome:
    return operator.redrive_office(who, office)


@desk_bp.route("/staff/admin/desk/resend", methods=["POST"], content_types=FORM)
@staff_page
@desk_post("keputusan")
def resend_decision(who: Principal, office: str, form: Form) -> operator.Outcome:
    return operator.resend_decision(who, office, form.one("case_id"), form.one("item"))


@desk_bp.route("/staff/admin/desk/restart", methods=["POST"], content_types=FORM)
@staff_page
@desk_post("macet")
def restart(who: Principal, office: str, form: Form) -> operator.Outcome:
    return operator.restart_case(who, office, form.one("case_id"), form.one("step"))
