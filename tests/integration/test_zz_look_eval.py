from datetime import UTC, datetime, timedelta

from chalice.test import Client

from app import app
from chalicelib.documents import evaluation_pdf
from chalicelib.domain.clock import now, office_today
from chalicelib.services import evaluation, evaluation_export
from tests.helpers import Officer


def test_look(aws, staff, monkeypatch) -> None:
    from infra.local import history
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("LOKET_TIME_SCALE", "60")
    reset_settings()

    history.generate(days=6, per_day=1.5)
    today = office_today()
    first, last = today - timedelta(days=30), today
    for office in ("kab-pasuruan", "kota-tangerang"):
        report = evaluation.report(office, first, last)
        n = evaluation_export.names(office, list(report.services))
        pdf = evaluation_pdf.render(report, n, office, datetime.now(UTC))
        open(f"/tmp/look/eval-{office}.pdf", "wb").write(pdf)
        open(f"/tmp/look/eval-{office}.csv", "w").write(evaluation_export.csv_text(report, n))
    with Client(app) as client:
        kasi = Officer(client, *staff("kadis1", "kab-pasuruan.kadis"))
        page = client.http.get(
            f"/staff/evaluasi?kantor=kab-pasuruan&dari={first}&sampai={last}", headers={"Cookie": kasi.cookie}
        )
        open("/tmp/look/eval.html", "w").write(page.body.decode())
        board = client.http.get("/staff/papan?kantor=kab-pasuruan", headers={"Cookie": kasi.cookie})
        open("/tmp/look/board.html", "w").write(board.body.decode())
