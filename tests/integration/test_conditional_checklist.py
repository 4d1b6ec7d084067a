"""Conditional requirements on the officer's case page (issue 14): the marriage certificate is on
the checklist of a married CPMI, with the answer that asks for it, and not on an unmarried
CPMI's. (The SOP rule and the submit check: tests/unit/test_conditional_requirements.py.)"""

from __future__ import annotations

import re

import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.services import work
from tests.deadlines import REQUEST_SECONDS
from tests.forms import sample_form
from tests.helpers import body
from tests.walker import SAMPLE, Walk

OFFICE, SERVICE = "kab-pasuruan", "rekomendasi-paspor-cpmi"
CERTIFICATE = "surat_nikah"


@pytest.fixture
def real_time(aws, monkeypatch):
    """Standard times at full length, so no step times out while the officer looks."""
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()


def _file(walk: Walk, key: str, marital: str, with_certificate: bool) -> str:
    """A CPMI case as the agency files it: the form with `marital` status, every document the
    form asks for (the certificate only when `with_certificate`), submitted."""
    case_id = body(walk.applicant.open(key, office=OFFICE, service=SERVICE))["case_id"]
    form = sample_form(walk.entry.sop)  # type: ignore[union-attr]
    form["cpmi"]["status_perkawinan"] = marital
    assert (
        walk.applicant.save_form(case_id, form, ["nik_tanggal_lahir", "nik_jenis_kelamin"]).status_code == 200
    )
    for rule in walk.entry.documents:  # type: ignore[union-attr]
        if rule.key == CERTIFICATE and not with_certificate:
            continue
        data, content_type = SAMPLE[rule.kinds[0]]
        post = body(walk.applicant.slot(case_id, rule.key, content_type))
        requests.post(post["url"], data=post["fields"], files={"file": ("f", data)}, timeout=REQUEST_SECONDS)
        assert walk.applicant.confirm(case_id, post["key"], rule.key).status_code == 200
    submitted = walk.applicant.submit(case_id)
    assert submitted.status_code == 200, submitted.body
    return case_id


def test_the_checklist_asks_the_certificate_of_a_married_cpmi_only(aws, real_time, applicant, staff) -> None:
    with Client(app) as client:
        walk = Walk(client, aws, applicant, staff, OFFICE, SERVICE)
        married = _file(walk, "nikah-0001", "Kawin", with_certificate=True)
        single = _file(walk, "nikah-0002", "Belum Kawin", with_certificate=False)
        officer = walk.officer("staf_perlindungan")
        for case_id in (married, single):  # step 1 (receiving the letter) done: step 2 checks the file
            walk.case_id = case_id
            item = walk.next_item()
            assert item is not None and item.step == "01"
            walk.act(item, work.choices(item)[0].decision)
            item = walk.next_item()
            assert item is not None and item.step == "02"

        page = officer.case_page(married).body.decode()
        checklist = re.search(r'<fieldset class="checklist">.*?</fieldset>', page, re.S)
        assert checklist, "step 2 (may return the file) shows the checklist"
        line = re.search(r'id="item-surat_nikah".*?</label>', checklist.group(0), re.S)
        assert (
            line and "wajib karena Status Perkawinan: Kawin" in line.group(0) and "terunggah" in line.group(0)
        )
        assert "(opsional)" not in line.group(0)

        page = officer.case_page(single).body.decode()
        checklist = re.search(r'<fieldset class="checklist">.*?</fieldset>', page, re.S)
        assert checklist and 'id="item-pas_foto"' in checklist.group(0)
        assert "item-surat_nikah" not in page and 'id="dok-surat_nikah"' not in page
