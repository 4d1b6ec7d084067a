"""The QR codes the documents draw: segno's own matrix (documents.qr finds segno's mask faster),
and the one path of row runs that drawing.draw_qr fills covers exactly its dark modules."""

from __future__ import annotations

import random

import pytest
import segno

from chalicelib.documents.drawing import qr_runs
from chalicelib.documents.qr import qr_matrix


def segno_matrix(value: str) -> list[list[int]]:
    code = segno.make(value, error="m", boost_error=False, micro=False)
    return [list(row) for row in code.matrix]


def sample_values() -> list[str]:
    """Verification addresses as the offices print them, and other lengths and alphabets: versions
    1 to 40, numeric, alphanumeric and byte mode, with and without version information."""
    rng = random.Random(16)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./?=&"
    values = [
        f"https://hellowork.pasuruankab.go.id/cek-ak1?no={rng.randrange(10**16):016d}&t={rng.randrange(16**8):08x}"
        for _ in range(120)
    ]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400))) for _ in range(120)]
    values += ["", "0", "3514221126000001", "HELLO WORLD 123", "Ngô Thị Bích Ngọc, Şişli", "x" * 2000]
    return values


def test_the_matrix_is_the_one_segno_makes() -> None:
    for value in sample_values():
        assert [list(row) for row in qr_matrix(value)] == segno_matrix(value), value


def test_what_one_value_leaves_in_the_per_width_cache_does_not_change_another() -> None:
    """The cache holds only what every code of one width shares: two offices' addresses of the same
    length come out as segno makes them in either order."""
    first = "https://hellowork.pasuruankab.go.id/cek-ak1?no=3514221126000001&t=8f3a9c2e"
    second = "https://disnaker.tangerangkota.go.id/cek-ak1?no=3671010101260001&t=00000000"
    for value in (first, second, first):
        assert [list(row) for row in qr_matrix(value)] == segno_matrix(value)


@pytest.mark.parametrize("value", sample_values()[::40])
def test_the_runs_cover_exactly_the_dark_modules(value: str) -> None:
    width, runs = qr_runs(value)
    drawn = [[0] * width for _ in range(width)]
    for column, row_from_bottom, length in runs:
        assert length > 0
        for c in range(column, column + length):
            assert drawn[width - 1 - row_from_bottom][c] == 0  # no module drawn twice
            drawn[width - 1 - row_from_bottom][c] = 1
    assert drawn == segno_matrix(value)
