"""QR codes module for module as segno makes them, with segno's choice of data mask found faster.

`qr_matrix(value)` is `segno.make(value, error="m", boost_error=False, micro=False).matrix`:
the smallest QR Code version that holds `value` at error correction level M, with the data mask
of the lowest ISO/IEC 18004 penalty (7.8.3). segno finds that mask by applying each of the eight
patterns module by module and scoring each result in Python loops: about 3 of the 3.7 ms that a
37x37 code (a card's or a letter's verification URL) takes (issue 16). Here segno makes the code
once with mask 0 (its public API); the data modules are unmasked, and each candidate is scored
on whole rows held as integers, one byte per module, by the same rules with the same edge cases
as segno's `mask_scores`; segno's own `add_format_info` and `add_version_info` then finish the
winner. tests/unit/test_qr.py compares the result with segno.make's for hundreds of values, so a
segno release that decides differently fails there, not on paper.

Imports segno only (pure Python, no reportlab): the API's import path may load it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import segno
from segno import consts, encoder

Matrix = tuple[bytearray, ...]  # rows from the top, one byte per module: 1 dark, 0 light

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # N1: five or more modules of one colour in a line
_FINDER_LIKE = b"\x01\x00\x01\x01\x01\x00\x01"  # N3: dark:light:dark:light:dark = 1:1:3:1:1
_GAP = b"\x02"  # between two lines scanned as one string: neither colour, so no run or pattern spans it


def qr_matrix(value: str) -> Matrix:
    """The QR Code of `value` at error correction level M as segno.make would make it: its rows
    from the top, each a bytearray with 1 for a dark module, no quiet zone. Raises segno's
    DataOverflowError when `value` does not fit in version 40."""
    first = segno.make(value, error="m", boost_error=False, micro=False, mask=0)
    width = len(first.matrix)
    shape = _shape(width)
    data = [
        (int.from_bytes(row, "big") & region) ^ masked
        for row, region, masked in zip(first.matrix, shape.region, shape.masks[0], strict=True)
    ]
    best, best_score = 0, -1
    for mask, masked in enumerate(shape.masks):
        rows = [(d ^ m) | fixed for d, m, fixed in zip(data, masked, shape.fixed, strict=True)]
        score = _penalty(rows, width, shape.ones)
        if best_score < 0 or score < best_score:  # the first of equal scores, as segno
            best, best_score = mask, score
    rows = [(d ^ m) | fixed for d, m, fixed in zip(data, shape.masks[best], shape.fixed, strict=True)]
    matrix = tuple(bytearray(row.to_bytes(width, "big")) for row in rows)
    encoder.add_format_info(matrix, first.version, consts.ERROR_LEVEL_M, best)
    encoder.add_version_info(matrix, first.version)
    return matrix


class _Shape:
    """What every code of one width shares, as row integers (one byte per module, the leftmost
    module the most significant byte): the encoding region, each mask pattern within it, and the
    modules outside it as segno scores them (function patterns; format and version areas light)."""

    def __init__(self, width: int) -> None:
        grid = encoder.make_matrix(width, width)
        encoder.add_finder_patterns(grid, width, width)
        encoder.add_alignment_patterns(grid, width, width)
        inside = [[cell > 0x1 for cell in row] for row in grid]  # segno's is_encoding_region
        patterns = encoder.get_data_mask_functions(False)
        self.ones = int.from_bytes(b"\x01" * width, "big")
        self.region = [_row(cells) for cells in inside]
        self.fixed = [
            _row([not i and cell == 0x1 for i, cell in zip(r, row, strict=True)])
            for r, row in zip(inside, grid, strict=True)
        ]
        self.masks = [
            [_row([cells[j] and bool(pattern(i, j)) for j in range(width)]) for i, cells in enumerate(inside)]
            for pattern in patterns
        ]


@lru_cache(maxsize=8)
def _shape(width: int) -> _Shape:
    """Per process: the same for every value of that width, whatever the case or the office."""
    return _Shape(width)


def _row(cells: list[bool]) -> int:
    return int.from_bytes(bytes(cells), "big")


def _penalty(rows: list[int], width: int, ones: int) -> int:
    """ISO/IEC 18004 7.8.3's penalty of a masked symbol (format information not yet written),
    computed as segno.encoder.mask_scores computes it. Rows and columns are each scanned as one
    byte string, their lines joined by a byte no pattern contains."""
    stride = width + 1
    lines = _GAP.join(row.to_bytes(width, "big") for row in rows) + _GAP
    columns = _GAP.join(lines[j::stride] for j in range(width)) + _GAP
    runs = _RUN.findall(lines) + _RUN.findall(columns)
    n1 = sum(map(len, runs)) - 2 * len(runs)
    n2 = 0
    for above, row in pairwise(rows):
        dark = row & (row >> 8) & above & (above >> 8)
        light_row, light_above = row ^ ones, above ^ ones
        light = light_row & (light_row >> 8) & light_above & (light_above >> 8)
        n2 += 3 * (dark.bit_count() + light.bit_count())
    n3 = _finder_like(lines, width) + _finder_like(columns, width)
    dark_modules = sum(row.bit_count() for row in rows)
    n4 = 10 * int(abs(float(dark_modules) / (width**2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def _finder_like(lines: bytes, size: int) -> int:
    """40 for each 1:1:3:1:1 pattern with four light modules on one side (or at an edge), found
    and counted line by line as segno's n3_pattern_occurrences does (`lines`: `size` modules and
    a gap byte each)."""
    stride = size + 1
    count = 0
    found = lines.find(_FINDER_LIKE)
    while found != -1:
        start = found - found % stride
        line, idx = lines[start : start + size], found - start
        offset = idx + 7
        if (
            idx in (0, size - 7)
            or not any(line[max(idx - 4, 0) : min(idx, size)])
            or not any(line[max(offset, 0) : min(offset + 4, size)])
        ):
            count += 40
        else:
            offset = idx + 4  # not enough light round it: look again from the third dark module
        found = lines.find(_FINDER_LIKE, start + offset)  # offset <= size: never past this line's gap
    return count
