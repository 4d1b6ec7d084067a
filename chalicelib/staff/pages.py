"""Staff pages: sign in, the inbox of the roles one holds, and decisions on work items."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib import log_context
from chalicelib.adapters import aws_errors
from chalicelib.adapters.identity import NewPasswordRequired, Principal
from chalicelib.adapters.models import WorkItem
from chalicelib.domain import case_code, payload, teks
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import LoketError, NotSignedIn, TooManyAttempts, Unavailable
from chalicelib.security_headers import CSP, html_policy, origin
from chalicelib.services import queues, reference_search, service_clock, sessions, sign_in, work
from chalicelib.services.catalog import find_service
from chalicelib.staff import assets, case_view, ikm_access, labels, session

if TYPE_CHECKING:
    import jinja2

staff_bp = Blueprint(__name__)
log = logging.getLogger("loket.staff")

FORM = ["application/x-www-form-urlencoded"]


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    import jinja2  # the first staff page loads it; the applicant API's cold start does not

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("chalicelib", "templates/staff"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["wib"] = case_view.wib  # staff read office time, never UTC
    environment.filters["tanggal"] = tanggal  # one date format: chalicelib/domain/tanggal.py
    environment.filters["office_name"] = labels.office_name  # names, never ids (issue 13)
    environment.filters["role_label"] = labels.role_filter
    environment.filters["time_left"] = case_view.time_left
    environment.filters["case_code"] = reference_search.code_of  # the short code people read
    environment.globals["asset"] = assets.asset  # {{ base }}{{ asset("staff.css") }}
    environment.globals["reads_ikm"] = ikm_access.reads_ikm  # the inbox links the IKM page
    return environment


def page(
    template: str, status: int = 200, headers: dict[str, str | list[str]] | None = None, **context: Any
) -> Response:
    html = _templates().get_template(template).render(base=base_path(), **context)
    return Response(
        body=html,
        status_code=status,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


def redirect(location: str, cookie: str | list[str] | None = None) -> Response:
    headers: dict[str, str | list[str]] = {"Location": location, "Cache-Control": "no-store"}
    if cookie:
        headers["Set-Cookie"] = cookie
    return Response(body="", status_code=303, headers=headers)


def base_path() -> str:
    """The path prefix in front of our routes: '' locally or on a custom domain, '/api' on an
    execute-api URL (the API Gateway stage). Links and redirects are built from it."""
    context = staff_bp.current_request.context or {}
    path = str(context.get("path") or "")
    resource = str(context.get("resourcePath") or "")
    if resource and path.endswith(resource):
        return path[: len(path) - len(resource)]
    return ""


def url(path: str) -> str:
    return base_path() + path


BROKEN = "Terjadi kesalahan pada layanan kami; apa yang sudah tersimpan tidak hilang. Coba lagi nanti."


def error_page(exc: Exception, where: str) -> Response:
    """The staff pages' one mapping of errors to a page (`chalicelib.errors` holds the tree).

    Not signed in: the sign-in page. AWS busy or unreachable: a page that says so, 503 with
    Retry-After. Any other error of Loket's: its message on a page with its status. A bug: logged
    with its traceback (no form data) and a plain Indonesian page, never Chalice's bare 500."""
    known = aws_errors.translate(exc)
    if known is None:
        log.exception("staff page %s: unexpected error", where)
        known = LoketError(BROKEN)
        status = 500
    else:
        status = known.status
    if isinstance(known, NotSignedIn):
        return redirect(url("/staff/login"))
    headers: dict[str, str | list[str]] = {}
    if isinstance(known, Unavailable):
        log.error("staff page %s: a dependency is unavailable", where)
    if isinstance(known, Unavailable | TooManyAttempts) and known.retry_after is not None:
        headers["Retry-After"] = str(known.retry_after)
    who = _signed_in_quietly()
    if who is None:
        return login_form(status, known.message, headers=headers)
    return page(
        "message.html", status, headers, who=who, csrf=session.csrf_token(_cookie()), message=known.message
    )


def _signed_in_quietly() -> Principal | None:
    """Who is signed in, for an error page: None when that cannot be known either."""
    try:
        return _signed_in()
    except Exception:
        return None


def staff_page(view: Callable[..., Response]) -> Callable[..., Response]:
    """Route decorator of every staff page: whatever goes wrong becomes `error_page`. (Chalice
    turns any exception a view raises into a bare 500 before middleware sees it.)"""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        with log_context.about(kwargs.get("case_id")):
            try:
                return view(*args, **kwargs)
            except Exception as exc:
                return error_page(exc, view.__name__)

    return wrapper


def _form() -> dict[str, str]:
    """The posted form's fields, each its first value (payload.parse_form's bounds: TooLarge)."""
    return {k: v[0] for k, v in payload.parse_form(staff_bp.current_request.raw_body).items()}


def _cookie() -> str | None:
    return staff_bp.current_request.headers.get("cookie")


def _signed_in() -> Principal | None:
    try:
        return session.principal_from(_cookie())
    except NotSignedIn:
        return None


@staff_bp.route("/staff/assets/{name}", methods=["GET"])
def asset(name: str) -> Response:
    """The pages' stylesheets and script (chalicelib/staff/assets/), by name and version."""
    return assets.served(name, dict(staff_bp.current_request.query_params or {}).get("v"))


def login_form(
    status: int = 200,
    error: str | None = None,
    username: str = "",
    headers: dict[str, str | list[str]] | None = None,
    fresh: bool = False,
) -> Response:
    """The sign-in page with its CSRF token (a hash of the sign-in cookie, set here when the
    browser has none, or anew when `fresh`: after a refused form)."""
    nonce, set_cookie = session.fresh_login_nonce() if fresh else session.login_nonce(_cookie())
    headers = dict(headers or {})
    if set_cookie:
        headers["Set-Cookie"] = set_cookie
    return page(
        "login.html",
        status,
        headers,
        error=error,
        username=username,
        csrf=session.login_csrf_token(nonce),
    )


LOGIN_STALE = "Formulir masuk sudah kedaluwarsa atau tidak dibuka dari halaman ini. Silakan masuk lagi."


def _client_ip() -> str | None:
    """The caller's address as API Gateway saw it (`requestContext.identity.sourceIp`)."""
    context = staff_bp.current_request.context or {}
    identity = context.get("identity") or {}
    return str(identity.get("sourceIp") or "") or None


def _signed_in_cookies(token: str) -> list[str]:
    return [session.set_cookie(token), session.clear_login_cookie()]


@staff_bp.route("/staff/login", methods=["GET"])
@staff_page
def login_page() -> Response:
    return login_form()


@staff_bp.route("/staff/login", methods=["POST"], content_types=FORM)
@staff_page
def login() -> Response:
    """Sign in: the form's CSRF token first (else 403 and a fresh form), then the throttle
    (429 with the wait), then Cognito (401 for a wrong name or password)."""
    form = _form()
    username = form.get("username", "").strip()
    password = form.get("password", "")
    if not session.login_csrf_ok(_cookie(), form.get("csrf", "")):
        return login_form(403, LOGIN_STALE, username, fresh=True)
    if not username or not password:
        return login_form(400, "Isi nama pengguna dan kata sandi.", username)
    try:
        token = sign_in.staff(username, password, _client_ip())
    except NewPasswordRequired as challenge:
        nonce, _ = session.login_nonce(_cookie())
        return page(
            "new_password.html",
            username=username,
            challenge=challenge.session,
            error=None,
            csrf=session.login_csrf_token(nonce),
        )
    except TooManyAttempts as exc:
        return login_form(429, exc.message, username, headers={"Retry-After": str(exc.retry_after or 60)})
    except NotSignedIn as exc:
        return login_form(401, exc.message, username)
    return redirect(url("/staff"), _signed_in_cookies(token))


@staff_bp.route("/staff/new-password", methods=["POST"], content_types=FORM)
@staff_page
def new_password() -> Response:
    """First sign-in of an account the office admin created: choose a password, then in."""
    form = _form()
    username, challenge = form.get("username", "").strip(), form.get("challenge", "")
    password, repeat = form.get("password", ""), form.get("repeat", "")
    if not session.login_csrf_ok(_cookie(), form.get("csrf", "")):
        return login_form(403, LOGIN_STALE, username, fresh=True)
    csrf = form.get("csrf", "")

    def again(status: int, error: str) -> Response:
        return page(
            "new_password.html", status, username=username, challenge=challenge, error=error, csrf=csrf
        )

    if password != repeat:
        return again(400, "Kedua kata sandi tidak sama.")
    try:
        token = sign_in.staff_first_password(username, challenge, password)
    except LoketError as exc:
        if isinstance(exc, Unavailable):
            raise
        # The form again with the reason: an ended challenge is a refused form (400), not a sign-in.
        return again(400 if isinstance(exc, NotSignedIn) else exc.status, exc.message)
    return redirect(url("/staff"), _signed_in_cookies(token))


@staff_bp.route("/staff/logout", methods=["POST"], content_types=FORM)
@staff_page
def logout() -> Response:
    """Sign out: every session of the account ends at once (services/sessions.end_everywhere), so
    this cookie, and any other browser's, is refused from the next request on."""
    if not session.csrf_ok(_cookie(), _form().get("csrf", "")):
        return redirect(url("/staff"))
    who = _signed_in()
    if who is not None:
        sessions.end_everywhere(sessions.STAFF, who.username)
    return redirect(url("/staff/login"), session.clear_cookie())


ITEM_STATES = {
    "lewat": "Lewat waktu baku",
    "terlambat": "Lewat jangka waktu layanan",
    "bebas": "Belum diambil",
    "saya": "Saya kerjakan",
}


def _in_state(item: WorkItem, state: str, username: str, late_cases: frozenset[str] = frozenset()) -> bool:
    """The inbox's 'keadaan' filter: a step past its standard time (`lewat`), a case past its
    published service time (`terlambat`, `late_cases`: services/service_clock.py), free, mine."""
    if state == "lewat":
        return bool(item.overdue)
    if state == "terlambat":
        return item.case_id in late_cases
    if state == "bebas":
        return not item.claimed_by or (
            not work.claimed_by_other(item, username) and item.claimed_by != username
        )
    if state == "saya":
        return item.claimed_by == username
    return True


INBOX_ROWS = 100
"""Files listed per office in the inbox, at most (the queue's count says how many wait)."""


def _filter_url(current: dict[str, str], **changed: str) -> str:
    """The inbox's address with the filters `current` changed by `changed` (an empty value drops
    the filter): each filter is a plain link, so it applies at once, with or without script."""
    wanted = {**current, **changed}
    query = "&".join(f"{k}={quote(v)}" for k, v in wanted.items() if v)
    return url("/staff" + (f"?{query}" if query else ""))


def _row(
    item: WorkItem,
    titles: dict[str, str],
    names: dict[str, str],
    clocks: dict[str, dict[str, Any]],
    username: str,
) -> dict[str, Any]:
    """One line of the inbox; `clocks` are the cases' service clocks (services/service_clock.py
    `shown`) by case id."""
    return {
        "item": item,
        "step": work.sop_step(item),
        "title": titles[item.service],
        "role": labels.role_label(item.office, item.role),
        "applicant": names.get(item.case_id),
        "clock": clocks.get(item.case_id) or {"due": None, "overdue": False},
        "claimed_by_other": work.claimed_by_other(item, username),
        "substitute": None,  # set on "Bisa dikerjakan juga" rows (`_shared_row`)
    }


def _shared_row(
    who: Principal,
    item: WorkItem,
    titles: dict[str, str],
    names: dict[str, str],
    clocks: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """A "Bisa dikerjakan juga" line: `_row`, and for a substitute the SOP names who may not sign
    yet, the refusal's own words (services/work.py `refusal`)."""
    row = _row(item, titles, names, clocks, who.username)
    row["substitute"] = work.refusal(who, item, row["step"])
    return row


@staff_bp.route("/staff", methods=["GET"])
@staff_page
def inbox() -> Response:
    """The inbox: one line per open file of the roles one acts as, the count of each role's
    queue per service, and filters (peran, layanan, keadaan) as links; below, "Bisa dikerjakan
    juga": files queued for another role on steps the SOP gives one's role too (ADR 0021).
    Decisions are taken on the case page only, after its documents were seen."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    query = dict(staff_bp.current_request.query_params or {})
    state = query.get("keadaan", "") if query.get("keadaan", "") in ITEM_STATES else ""
    current = {
        "peran": query.get("peran", "")[:60],
        "layanan": query.get("layanan", "")[:60],
        "keadaan": state,
    }
    wanted, role_wanted = current["layanan"], current["peran"]
    offices = []
    codes: dict[str, str] = {}
    for office in sorted(who.offices):
        items = work.queue(who, office, limit=INBOX_ROWS)
        also = work.shared_queue(who, office, limit=INBOX_ROWS)  # steps the SOP gives them too
        counted = queues.counts(who, office)
        service_ids = {i.service for i in items} | {i.service for i in also} | {c.service for c in counted}
        entries = {s: find_service(office, s) for s in service_ids}
        titles = {s: e.title if e else s for s, e in entries.items()}
        held = work.cases_of([i.case_id for i in items + also])  # one batch: names and due dates
        clocks = {case_id: service_clock.shown(case) for case_id, case in held.items()}
        late = frozenset(case_id for case_id, clock in clocks.items() if clock["overdue"])
        shown = [
            i
            for i in items
            if (not wanted or i.service == wanted)
            and (not role_wanted or i.role == role_wanted)
            and _in_state(i, state, who.username, late)
        ]
        shared = [
            i
            for i in also
            if (not wanted or i.service == wanted)
            and not role_wanted
            and _in_state(i, state, who.username, late)
        ]
        names = {
            case_id: str((case.data or {}).get("name"))
            for case_id, case in held.items()
            if (case.data or {}).get("name")
        }
        codes.update(reference_search.codes_of([i.case_id for i in shown + shared]))
        offices.append(
            {
                "id": office,
                "name": labels.office_name(office),
                "roles": [(r, labels.role_label(office, r)) for r in sorted(work.acting_roles(who, office))],
                "counts": [
                    {
                        "count": c,
                        "role": labels.role_label(office, c.role),
                        "title": titles[c.service],
                        "link": _filter_url(current, peran=c.role, layanan=c.service),
                        "chosen": c.role == role_wanted and c.service == wanted,
                    }
                    for c in counted
                ],
                "total": sum(c.total for c in counted),
                "overdue": sum(c.overdue for c in counted),
                "late_cases": len(late),  # cases (not steps) past their published service time
                "services": sorted(titles.items()),
                "items": [_row(item, titles, names, clocks, who.username) for item in shown],
                "shared": [_shared_row(who, item, titles, names, clocks) for item in shared],
            }
        )
    return page(
        "inbox.html",
        who=who,
        offices=offices,
        codes=codes,
        csrf=session.csrf_token(_cookie()),
        message=query.get("pesan"),
        error=query.get("galat"),
        wanted=wanted,
        role_wanted=role_wanted,
        state=state,
        states=ITEM_STATES,
        filter_url=functools.partial(_filter_url, current),
    )


USE_THE_FORM = (
    "Pencarian hanya lewat formulir di bawah ini, bukan lewat alamat halaman: nomor seperti NIK "
    "tidak boleh tercatat di alamat atau log akses. Ketik nomornya lalu tekan Cari."
)


@staff_bp.route("/staff/cari", methods=["GET"])
@staff_page
def find_by_reference() -> Response:
    """The search form. A number in the address (`?rujukan=`, an old bookmark or a typed link) is
    not searched: it would already be in the access log, and a NIK must never be; the form says
    to use it instead."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    in_address = "rujukan" in dict(staff_bp.current_request.query_params or {})
    return _search_page(who, "", notice=USE_THE_FORM if in_address else None)


@staff_bp.route("/staff/cari", methods=["POST"], content_types=FORM)
@staff_page
def find_by_reference_posted() -> Response:
    """A number read in a national system (SISKOTKLN, biometric, TKA Daerah), a NIK, or Loket's
    case number, back to its case: posted with the session's CSRF token, so the number is in the
    request body only, never in the address or an access log."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    form = _form()
    if not session.csrf_ok(_cookie(), form.get("csrf", "")):
        return _search_page(who, "", status=403, notice=STALE_FORM)
    # bidi controls reorder what is echoed back (teks.BIDI_CONTROLS): out before anything else
    typed = teks.without_bidi(form.get("rujukan", "")).strip()[: reference_search.MAX_LENGTH]
    if not typed:
        return _search_page(who, "", status=400, notice=TYPE_SOMETHING)
    return _search_page(who, typed)


STALE_FORM = "Sesi formulir kedaluwarsa; muat ulang halaman dan coba lagi."
TYPE_SOMETHING = (
    "Kotak pencarian masih kosong. Ketik kode berkas (misalnya K7Q-M3X-D2F), nama pemohon, NIK, "
    "nomor HP, nomor kartu atau surat, atau nomor dari sistem nasional."
)
WRONG_CHECK = "Kode berkas salah ketik: periksa lagi karakter terakhirnya."


def _search_page(who: Principal, typed: str, status: int = 200, notice: str | None = None) -> Response:
    found = reference_search.search(who, typed) if typed else []
    if typed and not found and case_code.wrong_check(typed):
        notice = WRONG_CHECK  # a code whose check character does not match (domain/case_code.py)
    return page(
        "search.html",
        status,
        who=who,
        csrf=session.csrf_token(_cookie()),
        typed=typed,
        notice=notice,
        too_short=bool(typed) and len(typed) < reference_search.MIN_LENGTH,
        found=found,
        statuses=case_view.STATUS_TEXT,
        wrong_check=notice == WRONG_CHECK,
    )


@staff_bp.route("/staff/cases/{case_id}", methods=["GET"])
@staff_page
def case_page(case_id: str) -> Response:
    """The file of one case: the applicant's data, each document inline with the SOP's checklist,
    the step's decision for those allowed to take it, what was issued, and the audit trail."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    try:
        file = work.case_file(who, case_id)
    except LoketError as exc:
        return page(
            "message.html", exc.status, who=who, csrf=session.csrf_token(_cookie()), message=exc.message
        )
    query = dict(staff_bp.current_request.query_params or {})
    view = case_view.build(who, file)
    # The page embeds the documents (images, PDFs) from their presigned links: its policy allows
    # exactly the origins of those links.
    embedded = {origin(doc["url"]) for doc in view["documents"] if doc["url"]}
    return page(
        "case.html",
        headers={CSP: html_policy(media=embedded)},
        who=who,
        csrf=session.csrf_token(_cookie()),
        view=view,
        message=query.get("pesan"),
        error=query.get("galat"),
    )


@staff_bp.route("/staff/claim", methods=["POST"], content_types=FORM)
@staff_page
def claim() -> Response:
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    form = _form()
    back = _back(form)
    if not session.csrf_ok(_cookie(), form.get("csrf", "")):
        return redirect(
            back + "galat=" + quote("Sesi formulir kedaluwarsa; muat ulang halaman dan coba lagi.")
        )
    try:
        work.claim(who, form.get("case_id", ""), form.get("item", ""))
    except LoketError as exc:
        return _refused_back(back, exc)
    return redirect(back + "pesan=" + quote("Tugas Anda ambil; rekan Anda melihatnya sedang dikerjakan."))


FROM_CASE_PAGE = "berkas"
"""The value of the `dari` field the case page's decision form carries: a decision comes only
from the page that shows the file's documents."""
OPEN_THE_FILE = "Keputusan diambil di halaman berkas, setelah dokumennya diperiksa. Buka berkasnya dulu."


@staff_bp.route("/staff/decide", methods=["POST"], content_types=FORM)
@staff_page
def decide() -> Response:
    """A decision from the case page's form. Saved, it leads away from the decided file: with
    `lanjut` ("Simpan & berikutnya") to the next file of the same queue (`queues.next_item`), or
    to the inbox when there is none or it was plain "Simpan". Refused (or not from the case page's
    form, which carries `dari=berkas`), it goes back with the reason."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    form = _form()
    if not session.csrf_ok(_cookie(), form.get("csrf", "")):
        return redirect(
            url("/staff?galat=") + quote("Sesi formulir kedaluwarsa; muat ulang halaman dan coba lagi.")
        )
    if form.get("dari") != FROM_CASE_PAGE:
        return redirect(url("/staff?galat=") + quote(OPEN_THE_FILE))
    back = _back(form)
    try:
        decided = work.decide(
            who,
            form.get("case_id", ""),
            form.get("item", ""),
            work.Decision(
                form.get("decision", ""),
                form.get("note", "").strip(),
                {k.removeprefix("rec_"): v for k, v in form.items() if k.startswith("rec_")},
                tuple(k.removeprefix("item_") for k, v in form.items() if k.startswith("item_") and v),
            ),
        )
    except LoketError as exc:
        return _refused_back(back, exc)
    return _after_decision(who, decided, bool(form.get("lanjut")))


def _after_decision(who: Principal, decided: work.Decided, go_on: bool) -> Response:
    """Where a saved decision leads: never back to the decided file (its step is done)."""
    item = decided.item
    if not go_on:
        return redirect(url("/staff?pesan=") + quote(decided.message))
    queue = f"{labels.role_label(item.office, item.role)} · {_service_title(item.office, item.service)}"
    try:
        following = queues.next_item(who, item)
    except Exception:  # the decision is saved: say so, and let the inbox show the queue
        log.exception("case %s step %s: the next file could not be read", item.case_id, item.step)
        return redirect(url("/staff?pesan=") + quote(decided.message))
    if following is None:
        said = f"{decided.message} Antrean {queue} sudah kosong: tidak ada berkas berikutnya."
        return redirect(url("/staff?pesan=") + quote(said))
    said = f"{decided.message} Berikutnya dari antrean {queue}."
    return redirect(url(f"/staff/cases/{following.case_id}?pesan=") + quote(said))


def _service_title(office: str, service: str) -> str:
    entry = find_service(office, service)
    return entry.title if entry else service


def _refused_back(back: str, exc: LoketError) -> Response:
    """A refused staff action: back to the page it came from, with the reason on it. A service
    that is unavailable is not a refusal: its 503 page (with Retry-After) says to try again."""
    if isinstance(exc, Unavailable | NotSignedIn):
        raise exc
    return redirect(back + "galat=" + quote(exc.message))


def _back(form: dict[str, str]) -> str:
    """Where a form returns to: the case page it was sent from, or the inbox."""
    case_id = form.get("case_id", "")
    if form.get("back") == "case" and case_id.isalnum():
        return url(f"/staff/cases/{case_id}?")
    return url("/staff?")


@staff_bp.route("/staff/revoke", methods=["POST"], content_types=FORM)
@staff_page
def revoke() -> Response:
    """Revoke an issued card or letter: its QR code answers 'dicabut' from now on."""
    who = _signed_in()
    if who is None:
        return redirect(url("/staff/login"))
    form = _form()
    back = _back({**form, "back": "case"})
    if not session.csrf_ok(_cookie(), form.get("csrf", "")):
        return redirect(
            back + "galat=" + quote("Sesi formulir kedaluwarsa; muat ulang halaman dan coba lagi.")
        )
    try:
        case_view.revoke(who, form.get("case_id", ""), form.get("product", ""), form.get("reason", ""))
    except LoketError as exc:
        return _refused_back(back, exc)
    return redirect(back + "pesan=" + quote("Dokumen dicabut; pemeriksaan kode QR kini menunjukkan DICABUT."))
