"""The office's figures for its leaders: the live board (`/staff/papan`, refreshed by a small
script from `/staff/papan/data`) and the evaluation (`/staff/evaluasi`: HTML with charts, CSV,
and a PDF the worker draws). Who may open them and for which office: services/board.py.

The pages parse the query and render; the figures are services/board.py's and
services/evaluation.py's (read only from the aggregates and the role queues).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib.adapters import storage, task_queue
from chalicelib.adapters.identity import Principal
from chalicelib.domain.clock import iso, office_today
from chalicelib.domain.lama import lama, percent
from chalicelib.errors import InvalidInput, LoketError, NotFound
from chalicelib.services import board, evaluation, evaluation_export, reference_search
from chalicelib.staff import charts, labels, session
from chalicelib.staff.pages import _cookie, _signed_in, page, redirect, staff_page, url

if TYPE_CHECKING:
    from markupsafe import Markup

report_bp = Blueprint(__name__)

FORM = ["application/x-www-form-urlencoded"]
PDF_TASK = "evaluation_pdf"


def pdf_key(office: str, first: date, last: date) -> str:
    """Where the worker keeps an evaluation's PDF in the documents bucket."""
    return f"reports/{office}/evaluasi-{first.isoformat()}-{last.isoformat()}.pdf"


def _query() -> dict[str, str]:
    return dict(report_bp.current_request.query_params or {})


def _refused(who: Principal, exc: LoketError) -> Response:
    return page("message.html", exc.status, who=who, csrf=session.csrf_token(_cookie()), message=exc.message)


def _board_json(office: str) -> dict[str, Any]:
    """The board as the page's script reads it: words ready to show (names, ages, standards)."""
    got = board.board(office)
    n = evaluation_export.names(
        office, sorted({g.service for g in got.groups} | {f.service for f in got.late})
    )
    # The late files by the short code people read, in one batch (the long id stays in the link).
    codes = reference_search.codes_of([f.case_id for f in got.late]) if got.late else {}
    return {
        "at": iso(got.at),
        "today": vars(got.today),
        "week": vars(got.week),
        "late_total": got.late_total,
        "more": got.more,
        "groups": [
            {
                "service": n.service(g.service),
                "step": n.step(g.service, g.step),
                "role": labels.role_label(office, g.role),
                "open": g.open,
                "overdue": g.overdue,
                "oldest": lama(g.oldest_seconds),
                "standard": lama(g.standard_seconds),
                "late": g.oldest_seconds > g.standard_seconds > 0,
            }
            for g in got.groups
        ],
        "late": [
            {
                "case": codes.get(f.case_id, f.case_id),
                "href": url(f"/staff/cases/{quote(f.case_id)}"),
                "service": n.service(f.service),
                "step": n.step(f.service, f.step),
                "role": labels.role_label(office, f.role),
                "age": lama(f.age_seconds),
                "standard": lama(f.standard_seconds),
            }
            for f in got.late
        ],
    }


@report_bp.route("/staff/papan", methods=["GET"])
@staff_page
def board_page() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    try:
        office = board.office_for(who, _query().get("kantor"))
    except LoketError as exc:
        return _refused(who, exc)
    return page(
        "board.html",
        who=who,
        office=office,
        offices=board.board_offices(who),
        board=_board_json(office),
    )


@report_bp.route("/staff/papan/data", methods=["GET"])
@staff_page
def board_data() -> Response:
    """The board as JSON for the page's script; 401/403/404 as JSON too (never a page)."""
    who = _signed_in()
    if who is None:
        return _json({"error": "Silakan masuk kembali."}, 401)
    try:
        office = board.office_for(who, _query().get("kantor"))
    except LoketError as exc:
        return _json({"error": exc.message}, exc.status)
    return _json(_board_json(office))


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(
        body=json.dumps(body),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"},
    )


def _period(query: dict[str, str]) -> tuple[date, date]:
    """The period asked: `bulan` (YYYY-MM), or `dari` and `sampai` (YYYY-MM-DD); this month by
    default. InvalidInput for anything unreadable."""
    if query.get("dari") or query.get("sampai"):
        return evaluation.period(query.get("dari", ""), query.get("sampai", ""))
    typed = query.get("bulan") or office_today().strftime("%Y-%m")
    try:
        year, month = (int(p) for p in typed.split("-"))
        return evaluation.month(year, month)
    except ValueError:
        raise InvalidInput("Bulan harus berbentuk TTTT-BB.") from None


def _evaluation(who: Principal) -> tuple[str, date, date, evaluation.Report, evaluation_export.Names]:
    query = _query()
    office = board.office_for(who, query.get("kantor"))
    first, last = _period(query)
    report = evaluation.report(office, first, last)
    return office, first, last, report, evaluation_export.names(office, list(report.services))


@report_bp.route("/staff/evaluasi", methods=["GET"])
@staff_page
def evaluation_page() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    try:
        office, first, last, report, n = _evaluation(who)
    except LoketError as exc:
        return _refused(who, exc)
    # A chart of each service's steps (steps only: the whole case, a day or more, would flatten
    # the steps' minutes to nothing; it is the table's first row). The office's own section has
    # no chart: its services' times differ a thousandfold (AK-1 minutes, CPMI days); its table
    # lists each service's whole case.
    sections: list[tuple[evaluation.Figures, Markup | None]] = [(report.office, None)]
    for f in report.services.values():
        rows = [
            (f"Langkah {int(s)}" if s.isdigit() else s, t.median, t.p90, t.standard)
            for s, t in f.steps.items()
        ]
        sections.append((f, charts.time_bars(rows, f"Waktu per langkah: {n.service(f.service)}")))
    query = f"kantor={quote(office)}&dari={first.isoformat()}&sampai={last.isoformat()}"
    return page(
        "evaluation.html",
        who=who,
        csrf=session.csrf_token(_cookie()),
        office=office,
        offices=board.board_offices(who),
        first=first,
        last=last,
        month=first.strftime("%Y-%m"),
        report=report,
        names=n,
        sections=sections,
        daily=charts.daily_bars(report.days, "Berkas masuk, selesai dan dikembalikan per hari"),
        lama=lama,
        percent=percent,
        query=query,
        pdf_ready=bool(storage.objects().document_keys(pdf_key(office, first, last))),
        message=_query().get("pesan"),
    )


@report_bp.route("/staff/evaluasi/csv", methods=["GET"])
@staff_page
def evaluation_csv() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    try:
        office, first, last, report, n = _evaluation(who)
    except LoketError as exc:
        return _refused(who, exc)
    name = f"evaluasi-{office}-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        body=evaluation_export.csv_text(report, n),
        status_code=200,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@report_bp.route("/staff/evaluasi/pdf", methods=["POST"], content_types=FORM)
@staff_page
def evaluation_pdf_order() -> Response:
    """Ask the worker to draw the period's PDF (it replaces an older one of the same period)."""
    from chalicelib.staff.pages import _form

    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    form = _form()
    try:
        office = board.office_for(who, form.get("kantor"))
        first, last = evaluation.period(form.get("dari", ""), form.get("sampai", ""))
    except LoketError as exc:
        return _refused(who, exc)
    back = f"/staff/evaluasi?kantor={quote(office)}&dari={first.isoformat()}&sampai={last.isoformat()}"
    if not session.csrf_ok(_cookie(), form.get("csrf", "")):
        return redirect(url(back + "&pesan=" + quote("Halaman sudah lama terbuka; coba lagi.")))
    task_queue.notices().send(  # bulky: never in front of card issuing (docs/adr/0032)
        {
            "task": PDF_TASK,
            "case_id": f"evaluasi:{office}",
            "step": f"{first.isoformat()}:{last.isoformat()}",
            "entered": iso(),
            "office": office,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "key": pdf_key(office, first, last),
            "by": who.username,
        }
    )
    return redirect(url(back + "&pesan=" + quote("PDF sedang dibuat; muat ulang halaman ini sebentar lagi.")))


@report_bp.route("/staff/evaluasi/pdf", methods=["GET"])
@staff_page
def evaluation_pdf() -> Response:
    """The period's PDF, once the worker drew it: a short-lived download link."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = _query()
    try:
        office = board.office_for(who, query.get("kantor"))
        first, last = evaluation.period(query.get("dari", ""), query.get("sampai", ""))
        key = pdf_key(office, first, last)
        if not storage.objects().document_keys(key):
            raise NotFound("PDF periode ini belum dibuat.")
    except LoketError as exc:
        return _refused(who, exc)
    return redirect(storage.objects().download_link(key, key.rsplit("/", 1)[1]))
