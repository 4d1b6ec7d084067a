"""worker/pdfs.py on the PDFs of tests/upload_corpus.py: what runs is found, however it is
written or packed; ordinary links are not; what cannot be opened whole is refused as unreadable.
tests/unit/test_uploads.py follows the same files through the worker's check."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from chalicelib.worker import pdfs
from chalicelib.worker.pdfs import UnreadablePdf, active_content
from tests import upload_corpus as corpus


def reportlab_letter() -> bytes:
    """A PDF as Loket's own documents and most office software write it (fonts, a content stream,
    an info dictionary)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "Surat keterangan untuk Siti Rahayu")
    page.save()
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (corpus.javascript_pdf, ["/JS", "/S /JavaScript"]),
        (corpus.escaped_javascript_pdf, ["/JS", "/JavaScript", "/S /JavaScript"]),
        (corpus.launch_pdf, ["/S /Launch"]),
        (corpus.object_stream_javascript_pdf, ["/JS", "/S /JavaScript"]),
        (corpus.attachment_pdf, ["/EF", "/EmbeddedFiles"]),
    ],
)
def test_active_content_is_found_and_named(make: Callable[[], bytes], found: list[str]) -> None:
    assert active_content(make()) == found


def test_escaped_and_compressed_scripts_are_not_visible_in_the_bytes() -> None:
    """What the two tests above find, a search of the raw bytes would miss."""
    assert b"JavaScript" not in corpus.escaped_javascript_pdf()
    packed = corpus.object_stream_javascript_pdf()
    assert b"JavaScript" not in packed and b"app.alert" not in packed and b"/ObjStm" in packed


@pytest.mark.parametrize(
    "make",
    [lambda: corpus.PDF, corpus.linked_pdf, corpus.owner_password_pdf, reportlab_letter],
    ids=["minimal", "links-and-open-at-page", "owner-password-only", "reportlab"],
)
def test_ordinary_pdfs_have_no_active_content(make: Callable[[], bytes]) -> None:
    assert active_content(make()) == []


def test_a_comment_after_the_end_does_not_matter() -> None:
    assert active_content(corpus.PDF + b"%kedua") == []


@pytest.mark.parametrize(
    "data",
    [
        corpus.encrypted_pdf(),
        corpus.cut_short(corpus.PDF),
        corpus.cut_short(corpus.object_stream_javascript_pdf()),
        b"%PDF-1.4\nbukan PDF sama sekali\n%%EOF\n",
        corpus.pdf_of(b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"),
        b"",
    ],
    ids=["password", "cut-short", "cut-short-object-stream", "garbage", "no-page", "empty"],
)
def test_what_cannot_be_opened_and_searched_whole_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadablePdf):
        active_content(data)


def test_more_objects_than_the_limit_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfs, "MAX_OBJECTS", 3)
    with pytest.raises(UnreadablePdf, match="more than 3 objects"):
        active_content(corpus.linked_pdf())


def test_a_cycle_of_references_is_walked_once() -> None:
    """Pages name their parent and the parent its pages; a malicious file can loop anywhere."""
    looped = corpus.pdf_of(
        b"<</Type/Catalog/Pages 2 0 R/Loop 4 0 R>>",
        corpus.PAGES,
        corpus.PAGE,
        b"<</Next 5 0 R>>",
        b"<</Next 4 0 R/S/Launch>>",
    )
    assert active_content(looped) == ["/S /Launch"]


def test_a_script_is_found_when_the_trailer_hides_the_catalog() -> None:
    """Without /Root in the trailer pypdf, like a forgiving viewer, finds the catalog by its
    /Type: the search starts there too."""
    hidden = corpus.javascript_pdf().replace(b"/Root 1 0 R", b"")
    assert active_content(hidden) == ["/JS", "/S /JavaScript"]


def test_nothing_of_the_file_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    """pypdf warns about a malformed value quoting the file's bytes; those warnings are silenced."""
    odd = corpus.pdf_of(b"<</Type/Catalog/Pages 2 0 R/Nama 1.2.3SITI-RAHAYU>>", corpus.PAGES, corpus.PAGE)
    with caplog.at_level("DEBUG"):
        assert active_content(odd) == []
    assert "RAHAYU" not in caplog.text and "1.2.3" not in caplog.text
