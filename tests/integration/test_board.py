"""The live board and the evaluation pages: who sees them, office isolation, the JSON the board's
script reads, the CSV and the PDF order."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from chalicelib.domain.clock import iso, now, office_today
from chalicelib.services import tallies
from tests.helpers import Officer


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _open_item(office: str, service: str, case_id: str, role: str, minutes_ago: float, overdue: int) -> None:
    entered = iso(now() - timedelta(minutes=minutes_ago))
    item = WorkItem(
        *Case.key(case_id),
        case_id=case_id,
        office=office,
        service=service,
        step="02",
        role=role,
        task_token="t",
        entered_at=entered,
        standard_seconds=1800,
        status="open",
        overdue=overdue,
    )
    item.SK = f"WORK#02#{entered}"
    item.GSI1PK, item.GSI1SK = item.queue_key()
    item.save()


def _case(case_id: str, code: str | None = None) -> Case:
    """A submitted AK-1 case of Kabupaten Pasuruan (not stored)."""
    return Case(
        *Case.key(case_id),
        case_id=case_id,
        office="kab-pasuruan",
        service="ak1",
        applicant_sub="s",
        status="submitted",
        created_at=iso(),
        updated_at=iso(),
        code=code,
    )


def _get(client: Client, who: Officer, path: str):
    return client.http.get(path, headers={"Cookie": who.cookie})


def test_the_board_shows_the_own_office_only(client, staff) -> None:
    _open_item("kab-pasuruan", "ak1", "pasuruan-lama", "petugas_antar_kerja", 120, 1)
    _open_item("kab-pasuruan", "ak1", "pasuruan-baru", "petugas_antar_kerja", 5, 0)
    _open_item("kota-tangerang", "id-rekomendasi-paspor-cpmi", "tangerang-1", "kasi_penempatan", 300, 1)
    tallies.submitted(_case("x"))
    kabid = Officer(client, *staff("kabid1", "kab-pasuruan.kabid"))

    page = _get(client, kabid, "/staff/papan")
    assert page.status_code == 200
    text = page.body.decode()
    assert "Papan kinerja" in text and "pasuruan-lama" in text and "tangerang-1" not in text
    assert 'data-field="today-intake">1<' in text

    data = _get(client, kabid, "/staff/papan/data")
    assert data.status_code == 200 and data.headers["Content-Type"].startswith("application/json")
    board = json.loads(data.body)
    assert board["today"]["intake"] == 1 and board["late_total"] == 1
    assert [f["case"] for f in board["late"]] == ["pasuruan-lama"]  # a case without a code: its id
    assert board["groups"][0]["open"] == 2 and board["groups"][0]["overdue"] == 1

    # A late file is listed by the short code people read, linked by its id.
    _case("pasuruan-lama", code="K7QM3XD2F").save()
    (late,) = json.loads(_get(client, kabid, "/staff/papan/data").body)["late"]
    assert late["case"] == "K7Q-M3X-D2F" and late["href"].endswith("/staff/cases/pasuruan-lama")

    # Another office's board: the same answer as an office that does not exist.
    assert _get(client, kabid, "/staff/papan?kantor=kota-tangerang").status_code == 404
    assert _get(client, kabid, "/staff/papan/data?kantor=kota-tangerang").status_code == 404
    assert _get(client, kabid, "/staff/evaluasi?kantor=kota-tangerang").status_code == 404


def test_officers_without_a_leading_role_do_not_see_the_board(client, staff) -> None:
    officer = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    assert _get(client, officer, "/staff/papan").status_code == 403
    assert _get(client, officer, "/staff/papan/data").status_code == 403
    assert _get(client, officer, "/staff/evaluasi").status_code == 403
    assert client.http.get("/staff/papan/data").status_code == 401
    kasi = Officer(client, *staff("kasi1", "kab-pasuruan.kasi_penempatan"))
    assert _get(client, kasi, "/staff/papan").status_code == 200


def test_the_evaluation_page_csv_and_pdf_order(client, staff) -> None:
    case = _case("x")
    tallies.submitted(case)
    kadis = Officer(client, *staff("kadis1", "kab-pasuruan.kadis"))
    # The office's days (WIB), from the day before: the tally is dated by the office's calendar,
    # which is a day ahead of UTC from 17:00 UTC, and midnight may pass between write and read.
    since, today = (office_today() - timedelta(days=1)).isoformat(), office_today().isoformat()
    page = _get(client, kadis, f"/staff/evaluasi?dari={since}&sampai={today}")
    assert page.status_code == 200
    text = page.body.decode()
    assert "Evaluasi kinerja" in text and "<svg" in text and "Seluruh layanan" in text
    assert 'style="' not in text  # the staff pages' CSP refuses inline style
    csv = _get(client, kadis, f"/staff/evaluasi/csv?dari={since}&sampai={today}")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.body.decode("utf-8-sig").splitlines()
    assert lines[0] == "layanan,bagian,ukuran,nilai,keterangan"
    assert "Seluruh layanan,volume,masuk,1," in lines
    assert _get(client, kadis, "/staff/evaluasi?bulan=2025-13").status_code == 400
    assert _get(client, kadis, f"/staff/evaluasi/pdf?dari={since}&sampai={today}").status_code == 404


def test_the_pdf_is_ordered_drawn_by_the_worker_and_served(client, staff) -> None:
    import boto3
    import pypdfium2 as pdfium

    from chalicelib.adapters import storage
    from chalicelib.settings import get_settings

    case = _case("x")
    tallies.submitted(case)
    kadis = Officer(client, *staff("kadis1", "kab-pasuruan.kadis"))
    today = office_today().isoformat()  # the office's day (WIB), not UTC's
    ordered = kadis.post("/staff/evaluasi/pdf", kantor="kab-pasuruan", dari=today, sampai=today)
    assert ordered.status_code == 303 and "pesan=" in ordered.headers["Location"]
    sqs = boto3.client("sqs")
    url = get_settings().notice_queue_url  # bulky work waits on the notice queue (docs/adr/0032)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    orders = [m["Body"] for m in got if json.loads(m["Body"])["task"] == "evaluation_pdf"]
    assert len(orders) == 1
    event = client.events.generate_sqs_event(queue_name="loket-worker", message_bodies=orders)
    client.lambda_.invoke("worker", event)
    key = json.loads(orders[0])["key"]
    pdf = storage.objects().get_document(key)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_bounded()
    assert "Evaluasi Kinerja Pelayanan" in text and "Kabupaten Pasuruan" in text
    served = _get(client, kadis, f"/staff/evaluasi/pdf?dari={today}&sampai={today}")
    assert served.status_code in (302, 303)
    page = _get(client, kadis, f"/staff/evaluasi?dari={today}&sampai={today}").body.decode()
    assert "Unduh PDF" in page
