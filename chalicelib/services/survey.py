"""The satisfaction survey (Survei Kepuasan Masyarakat, SKM) of Permenpan RB 14/2017.

After a case is completed its applicant is asked the nine elements (domain/ikm.ELEMENTS, answers
1-4) on the status page (and by a link in the completion email). One response per case: `answer`
writes, in one transaction, a `SurveyTaken` item keyed by the case (no answers) and a
`SurveyResponse` keyed by office, service, month and a random id (the answers, no case id, sub,
NIK or email), on the condition that the case has none yet; a second submit is Conflict (409)
"sudah diisi", never a second response. The results are anonymous: nothing joins a response to
its case (only the month it was given).

`index(office, service, months)` computes the IKM (domain/ikm.index) of a service over whole
months (YYYY-MM), reading only that service's responses of those months: the function the
monthly evaluation calls. `office_report(office, months)` gives it for every surveyed service of
an office (the staff IKM page, staff/ikm_pages.py); `months_between` names the months of a period.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from chalicelib.adapters.models import SurveyResponse, SurveyTaken
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain import clock, ikm
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.services import cases
from chalicelib.sop.loader import list_services, load_service

ALREADY = "Survei untuk berkas ini sudah diisi. Terima kasih atas penilaian Anda."


def _asked(status: str, service: str) -> bool:
    """A completed case is asked, except a complaint (its answer is the service to rate)."""
    from chalicelib.services.complaints import SERVICE as COMPLAINTS

    return status == "completed" and service != COMPLAINTS


def state(applicant_sub: str, case_id: str) -> dict[str, Any]:
    """What the status page shows: {"asked": the case is completed and surveyed, "done": already
    answered, "elements": [{key, label, question}], "scale": {1..4: label}}. NotFound for a case
    not the applicant's."""
    case = cases.own_case(applicant_sub, case_id)
    done = _taken(case.case_id)
    return {
        "asked": _asked(case.status, case.service),
        "done": done,
        "elements": [{"key": k, "label": label, "question": q} for k, label, q in ikm.ELEMENTS],
        "scale": {str(k): v for k, v in ikm.SCALE.items()},
    }


def _taken(case_id: str) -> bool:
    try:
        SurveyTaken.get(*SurveyTaken.key(case_id), consistent_read=True)
    except SurveyTaken.DoesNotExist:
        return False
    return True


def answer(applicant_sub: str, case_id: str, raw: Any) -> dict[str, Any]:
    """Keep the applicant's one response to the survey of their completed case.

    Raises NotFound (not their case), Conflict (409: the case is not completed, or the survey was
    answered already: ALREADY), InvalidInput (400, `field` the element: not nine answers of 1-4).
    Returns {"done": True}."""
    case = cases.own_case(applicant_sub, case_id)
    if not _asked(case.status, case.service):
        raise Conflict("Survei dibuka setelah berkas selesai.")
    try:
        answers = ikm.clean_answers(raw)
    except ikm.SurveyInvalid as exc:
        raise InvalidInput(str(exc), field=exc.field) from None
    month = clock.office_today().strftime("%Y-%m")
    response = SurveyResponse(
        *SurveyResponse.key(case.office, case.service, month, secrets.token_hex(12)),
        office=case.office,
        service=case.service,
        answers=answers,
    )
    taken = SurveyTaken(*SurveyTaken.key(case.case_id))
    try:
        write_all(
            [
                Write("save", taken, condition=SurveyTaken.PK.does_not_exist(), refusal=ALREADY),
                Write("save", response, condition=SurveyResponse.PK.does_not_exist()),
            ]
        )
    except Refused:
        raise Conflict(ALREADY, code="survey_done") from None
    return {"done": True}


def responses(office: str, service: str, months: Iterable[str]) -> list[dict[str, int]]:
    """The answers of every response to `service` at `office` in `months` (YYYY-MM)."""
    found: list[dict[str, int]] = []
    for month in months:
        for item in SurveyResponse.query(SurveyResponse.partition(office, service, month)):
            found.append({k: int(v) for k, v in (item.answers or {}).items()})
    return found


def index(office: str, service: str, months: Iterable[str]) -> ikm.Index:
    """The IKM of `service` at `office` over `months` (YYYY-MM), as Permenpan RB 14/2017
    computes it (domain/ikm.index)."""
    return ikm.index(responses(office, service, months))


MAX_MONTHS = 12
"""The longest period one report reads (a year: the regulation's SKM runs at least once a year)."""


def months_between(first: str, last: str) -> list[str]:
    """The months from `first` to `last` (both YYYY-MM, inclusive), oldest first. Raises
    InvalidInput (field "bulan") for a malformed month, `last` before `first`, or more than
    MAX_MONTHS months."""
    try:
        start, end = (_month(m) for m in (first, last))
    except ValueError:
        raise InvalidInput("Pilih bulan dalam bentuk TTTT-BB, mis. 2026-11.", field="bulan") from None
    if end < start:
        raise InvalidInput("Bulan akhir tidak boleh sebelum bulan awal.", field="bulan")
    count = (end[0] - start[0]) * 12 + end[1] - start[1] + 1
    if count > MAX_MONTHS:
        raise InvalidInput(f"Periode paling panjang {MAX_MONTHS} bulan.", field="bulan")
    found, (year, month) = [], start
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _month(text: str) -> tuple[int, int]:
    """(year, month) of "YYYY-MM"; ValueError otherwise."""
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12 or year < 2000:
        raise ValueError(text)
    return year, month


def surveyed_services(office: str) -> list[tuple[str, str]]:
    """(service id, title) of every service of `office` whose applicants are asked the survey:
    the public services (not the wiring check, not complaints), in the catalogue's order."""
    from chalicelib.services.complaints import SERVICE as COMPLAINTS

    found = []
    for service in list_services(office):
        sop = load_service(office, service)
        if sop.public and service != COMPLAINTS:
            found.append((service, sop.title))
    return found


def office_report(office: str, months: Iterable[str]) -> list[dict[str, Any]]:
    """The IKM of every surveyed service of `office` over `months` (YYYY-MM):
    [{"service", "title", "index": ikm.Index}], one entry per service, with or without responses.
    Reads only that office's partitions, so nothing of another office can show."""
    wanted = list(months)
    return [
        {"service": service, "title": title, "index": index(office, service, wanted)}
        for service, title in surveyed_services(office)
    ]
