"""The SKM survey (services/survey.py): once per completed case, anonymous, and its IKM."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import SurveyResponse, SurveyTaken
from chalicelib.domain import ikm
from chalicelib.services import survey
from tests.helpers import body
from tests.walker import Walk

OFFICE, SERVICE = "kota-tangerang", "uji-sambungan"
ALL_THREES = {k: 3 for k in ikm.ELEMENT_KEYS}


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _post(walk: Walk, answers: object) -> object:
    return walk.client.http.post(
        f"/api/cases/{walk.case_id}/survey",
        headers=walk.applicant.headers(),
        body=json.dumps({"answers": answers}),
    )


def _completed(client, aws, applicant, staff, username: str = "penilai1") -> Walk:
    walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE, username=username)
    walk.file(f"skm-{username}")
    assert walk.run() == "completed"
    return walk


def test_survey_once_per_case_and_anonymous(client, aws, applicant, staff) -> None:
    walk = _completed(client, aws, applicant, staff)
    shown = client.http.get(f"/api/cases/{walk.case_id}/survey", headers=walk.applicant.headers())
    assert shown.status_code == 200
    assert body(shown)["asked"] is True and body(shown)["done"] is False
    assert len(body(shown)["elements"]) == 9
    first = _post(walk, ALL_THREES)
    assert first.status_code == 201, first.body
    second = _post(walk, {k: 1 for k in ikm.ELEMENT_KEYS})
    assert second.status_code == 409
    assert "sudah diisi" in body(second)["error"]["message"]
    again = client.http.get(f"/api/cases/{walk.case_id}/survey", headers=walk.applicant.headers())
    assert body(again)["done"] is True
    stored = [r for r in SurveyResponse.scan() if isinstance(r, SurveyResponse)]
    assert len(stored) == 1, "one response, not two"
    raw = json.dumps(stored[0].attribute_values, default=str)
    case_sub = walk.applicant.token  # nothing of the applicant or the case is in the response
    from chalicelib.adapters.models import Case

    case = Case.get(*Case.key(walk.case_id))
    for secret in (walk.case_id, case.applicant_sub, case.data.get("email", ""), case.code):
        assert secret and secret not in raw
    assert case_sub not in raw
    assert SurveyTaken.get(*SurveyTaken.key(walk.case_id)).attribute_values.keys() <= {
        "PK",
        "SK",
        "kind",
    }
    found = survey.index(OFFICE, SERVICE, [stored[0].PK.rsplit("#", 1)[1]])
    assert found.respondents == 1 and found.converted == 75.0 and found.grade == "C"


def test_survey_only_after_completion_and_for_the_owner(client, aws, applicant, staff) -> None:
    walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE, username="penilai2")
    walk.file("skm-open")
    early = _post(walk, ALL_THREES)
    assert early.status_code == 409
    state = client.http.get(f"/api/cases/{walk.case_id}/survey", headers=walk.applicant.headers())
    assert body(state)["asked"] is False
    other = applicant("bukan-pemilik")
    stranger = client.http.post(
        f"/api/cases/{walk.case_id}/survey",
        headers={"Authorization": f"Bearer {other}", "Content-Type": "application/json"},
        body=json.dumps({"answers": ALL_THREES}),
    )
    assert stranger.status_code == 404


def test_answers_must_be_nine_of_1_to_4(client, aws, applicant, staff) -> None:
    walk = _completed(client, aws, applicant, staff, "penilai3")
    bad = _post(walk, {**ALL_THREES, "u5": 7})
    assert bad.status_code == 400 and body(bad)["error"]["field"] == "u5"
    assert _post(walk, ALL_THREES).status_code == 201
