"""The form's date checks in the browser mirror the server's (chalicelib/domain/records.typed_date).

No stack: Debian's chromium imports the form module (static_site/js/components/form-view.js),
served as `make run` serves it, into a blank page, builds the Lapor Keberadaan TKA form from the
same spec the API serves (services/forms.form_spec), types dates and asks the form to validate, as
the Kirim button does. The phone is set to a zone far from WIB
(Los Angeles), because the office's day, not the phone's, decides what has expired.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from chalicelib.domain.clock import office_today
from chalicelib.domain.records import RecordError, typed_date
from chalicelib.services.forms import form_spec
from chalicelib.sop.loader import load_service
from tests.browser.conftest import open_blank

pytestmark = pytest.mark.browser

LAPOR = load_service("kab-pasuruan", "lapor-keberadaan-tka")


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="id-ID", timezone_id="America/Los_Angeles"
    )
    page = context.new_page()
    open_blank(page, site)
    page.evaluate(
        """async spec => {
            const { FormView } = await import("/js/components/form-view.js");
            window.view = FormView(spec, {});
            document.body.appendChild(view.node);
        }""",
        form_spec(LAPOR),
    )
    try:
        yield page
    finally:
        context.close()


def _errors(page: Page, values: dict[str, str]) -> dict[str, str]:
    """Fill the named inputs, validate the whole form, return the error shown under each of them."""
    for name, value in values.items():
        page.fill(f'[name="{name}"]', value)
    result: dict[str, str] = page.evaluate(
        """names => {
            view.validate();
            const out = {};
            names.forEach(n => {
                const input = document.querySelector('[name="' + n + '"]');
                out[n] = input.closest('.field').querySelector('.err').textContent;
            });
            return out;
        }""",
        list(values),
    )
    return result


def _server(label: str, kind: str, text: str) -> str:
    try:
        typed_date(label, kind, text)
    except RecordError as exc:
        return str(exc)
    return ""


def test_valid_until_in_the_browser_says_what_the_server_says(page: Page) -> None:
    today = office_today()
    cases: dict[str, tuple[str, str, str]] = {
        "izin.kitas_berlaku_sampai": ("KITAS Berlaku Sampai", "valid_until", "2026-10-01"),
        "izin.rptka_berlaku_sampai": ("RPTKA Berlaku Sampai", "valid_until", today.isoformat()),
        "izin.notifikasi_berlaku_sampai": (
            "Notifikasi Berlaku Sampai",
            "valid_until",
            (today + timedelta(days=11 * 366)).isoformat(),
        ),
        "izin.tanggal_kitas": ("Tanggal Terbit KITAS", "date", (today + timedelta(days=1)).isoformat()),
        "izin.tanggal_rptka": ("Tanggal Pengesahan RPTKA", "date", today.isoformat()),
    }
    shown = _errors(page, {name: text for name, (_label, _kind, text) in cases.items()})
    server = {name: _server(label, kind, text) for name, (label, kind, text) in cases.items()}
    assert (
        shown["izin.kitas_berlaku_sampai"]
        == server["izin.kitas_berlaku_sampai"]
        == (
            "KITAS Berlaku Sampai sudah lewat (1 Okt 2026); "
            "dokumen yang sudah tidak berlaku tidak dapat diterima."
        )
    )
    assert shown["izin.rptka_berlaku_sampai"] == server["izin.rptka_berlaku_sampai"] == ""  # today: valid
    assert shown["izin.notifikasi_berlaku_sampai"] == server["izin.notifikasi_berlaku_sampai"]
    assert "paling lama 10 tahun" in shown["izin.notifikasi_berlaku_sampai"]
    assert shown["izin.tanggal_rptka"] == server["izin.tanggal_rptka"] == ""
    assert shown["izin.tanggal_kitas"] == server["izin.tanggal_kitas"]  # a past date: tomorrow is refused
    assert "di masa depan" in shown["izin.tanggal_kitas"]


def test_the_date_picker_offers_only_valid_days(page: Page) -> None:
    attrs: dict[str, Any] = page.evaluate(
        """() => {
            const a = document.querySelector('[name="izin.kitas_berlaku_sampai"]');
            const d = document.querySelector('[name="izin.tanggal_kitas"]');
            return {type: a.type, min: a.min, max: a.max, dateMax: d.max};
        }"""
    )
    today = office_today()
    assert attrs["type"] == "date" and attrs["min"] == attrs["dateMax"] == today.isoformat()
    assert attrs["max"] == typed_date("X", "valid_until", attrs["max"])  # the last day allowed
    assert attrs["max"].startswith(str(today.year + 10))
