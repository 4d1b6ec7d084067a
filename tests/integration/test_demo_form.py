"""`make demo` reads the real case page as a browser would (infra/local/demo.py's DecideForm):
a control outside the decision form joins it through its HTML `form` attribute, whatever its
kind (input, select with its options, textarea), before or after the form itself."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import pytest
from chalice.test import Client

from app import app
from chalicelib.sop.loader import load_service
from infra.local.demo import DecideForm, record_value
from tests.integration.test_ak1 import OFFICE, SERVICE, filed
from tests.walker import Walk


@pytest.fixture
def walk(aws, applicant, staff, monkeypatch):  # type: ignore[no-untyped-def]
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()
    with Client(app) as client:
        yield Walk(client, aws, applicant, staff, OFFICE, SERVICE)


def test_the_demo_reads_the_counselling_step_as_the_browser_sends_it(walk: Walk) -> None:
    case_id = filed(walk)
    item = walk.next_item()
    assert item is not None and item.step == "05"
    walk.act(item, "approve")
    counselling = walk.next_item()
    assert counselling is not None and counselling.step == "06"
    officer = walk.officer("pengantar_kerja")
    page = officer.case_page(case_id).body.decode()
    # The page as it is: the choice sits with the data, outside the form, joined by `form=`.
    assert 'name="rec_kanal_konseling" form="putuskan-06"' in page
    assert page.index('name="rec_kanal_konseling"') < page.index('id="putuskan-06"')

    form = DecideForm()
    form.feed(page)
    assert form.form_id == "putuskan-06"
    assert form.records["rec_kanal_konseling"] == [
        "Email",
        "Live Chat (tawk.to)",
        "Website hellowork",
        "Telepon",
    ]
    assert form.records["rec_catatan_konseling"] == ["textarea"]
    assert form.fields["item"] == counselling.SK and form.fields["case_id"] == case_id
    assert [d for d, _ in form.buttons] == ["approve"]

    # What the demo then posts is accepted: the step is decided with a real channel.
    step = load_service(OFFICE, SERVICE).step(6)
    data = dict(form.fields, decision="approve")
    for name, options in form.records.items():
        spec = next((r for r in step.records if f"rec_{r.key}" == name), None)
        data[name] = record_value(spec, options, case_id)
    assert data["rec_kanal_konseling"] == "Email"
    response = walk.client.http.post(
        "/staff/decide",
        headers={"Content-Type": officer.FORM, "Cookie": officer.cookie},
        body=urlencode(data),
    )
    assert "pesan=" in unquote(response.headers["Location"]), response.headers["Location"]


def test_every_control_kind_joins_its_form_wherever_it_stands() -> None:
    page = """
    <input name="rec_before" type="date" form="putuskan-09">
    <select name="rec_pilih" form="putuskan-09"><option>Satu</option><option>Dua</option></select>
    <textarea name="rec_teks" form="putuskan-09"></textarea>
    <input type="checkbox" name="item_ktp" value="1" form="putuskan-09">
    <form action="/staff/search" id="cari"><input type="hidden" name="q" value="x">
      <select name="rec_elsewhere"><option>Bukan</option></select></form>
    <form method="post" action="/staff/decide" id="putuskan-09">
      <input type="hidden" name="item" value="I#09">
      <input type="text" name="rec_outside" form="cari">
      <label><input type="radio" name="decision" value="approve"> Setujui</label>
    </form>
    <select name="rec_after" form="putuskan-09"><option>Belakang</option></select>
    <input type="hidden" name="csrf" value="abc" form="putuskan-09">
    """
    form = DecideForm()
    form.feed(page)
    assert form.form_id == "putuskan-09"
    assert form.records == {
        "rec_before": ["date"],
        "rec_pilih": ["Satu", "Dua"],
        "rec_teks": ["textarea"],
        "rec_after": ["Belakang"],
    }
    assert form.fields == {"item": "I#09", "csrf": "abc"}
    assert form.buttons == [("approve", "Setujui")]
