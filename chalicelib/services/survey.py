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
monthly evaluation calls.
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
