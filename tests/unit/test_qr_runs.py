"""The QR codes the documents draw: drawing.draw_qr fills one path of row runs (drawing.qr_runs),
which must cover exactly the dark modules of segno's code, each once."""

from __future__ import annotations

import pytest
import segno

from chalicelib.documents.drawing import qr_runs

VALUES = [
    "https://hellowork.pasuruankab.go.id/cek-ak1?no=3514221126000001&t=9f3a0c1b",  # a card's address
    "",
    "0",
    "HELLO WORLD 123",
    "Ngô Thị Bích Ngọc, Şişli",  # byte mode
    "x" * 2000,  # a large version, with version information
]


@pytest.mark.parametrize("value", VALUES)
def test_the_runs_cover_exactly_the_dark_modules(value: str) -> None:
    width, runs = qr_runs(value)
    drawn = [[0] * width for _ in range(width)]
    for column, row_from_bottom, length in runs:
        assert length > 0
        for c in range(column, column + length):
            assert drawn[width - 1 - row_from_bottom][c] == 0  # no module drawn twice
            drawn[width - 1 - row_from_bottom][c] = 1
    expected = segno.make(value, error="m", boost_error=False, micro=False).matrix
    assert drawn == [list(row) for row in expected]
