"""The satisfaction index page (`/staff/ikm`): the IKM of Permenpan RB 14/2017 per service and
period for one office, read by its leaders.

Who may read it: staff/ikm_access.py (Kepala Seksi roles, kabid, kadis, admin; 403 for others,
404 for an office not theirs). The
period is whole months (`?dari=YYYY-MM&sampai=YYYY-MM`, month pickers; the current month when
absent, at most services/survey.MAX_MONTHS). Per service: the respondents, each element's NRR and
weighted NRR (x 1/9), the IKM on the 1-4 scale, its converted value (x 25) and the category
(domain/ikm.py computes them all; services/survey.office_report reads the responses). The
responses are anonymous: the page shows figures only.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.domain import clock, ikm
from chalicelib.errors import LoketError
from chalicelib.services import survey
from chalicelib.staff import labels, session
from chalicelib.staff.ikm_access import office_for, readable_offices
from chalicelib.staff.pages import _cookie, _signed_in, page, redirect, staff_page, url

ikm_bp = Blueprint(__name__)


def _rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The element rows of one service: label, NRR, weighted NRR (NRR x 1/9, 4 decimals)."""
    index: ikm.Index = entry["index"]
    rows: list[dict[str, Any]] = []
    for key, label, _question in ikm.ELEMENTS:
        nrr = index.nrr.get(key)
        weighted = round(nrr * float(ikm.WEIGHT), 4) if nrr is not None else None
        rows.append({"key": key, "number": len(rows) + 1, "label": label, "nrr": nrr, "weighted": weighted})
    return rows


@ikm_bp.route("/staff/ikm", methods=["GET"])
@staff_page
def ikm_page() -> Response:
    """The index of every surveyed service of one office over the chosen months."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(ikm_bp.current_request.query_params or {})
    csrf = session.csrf_token(_cookie())
    try:
        office = office_for(who, query.get("kantor"))
    except LoketError as exc:
        return page("message.html", exc.status, who=who, csrf=csrf, message=exc.message)
    this_month = clock.office_today().strftime("%Y-%m")
    first = (query.get("dari") or this_month)[:7]
    last = (query.get("sampai") or first)[:7]
    error = None
    try:
        months = survey.months_between(first, last)
    except LoketError as exc:
        error, first, last, months = exc.message, this_month, this_month, [this_month]
    report = survey.office_report(office, months)
    return page(
        "ikm.html",
        status=400 if error else 200,
        who=who,
        csrf=csrf,
        office=office,
        office_name=labels.office_name(office),
        offices=[(o, labels.office_name(o)) for o in readable_offices(who)],
        first=first,
        last=last,
        months=months,
        error=error,
        services=[{**entry, "rows": _rows(entry)} for entry in report],
        categories=ikm.CATEGORIES,
        weight=f"{float(ikm.WEIGHT):.3f}",
    )
