"""`make bench`'s Rendering section: a missed target is marked and says why (issue 16's done-when:
"every target met or its gap stated with the reason")."""

from __future__ import annotations

from infra.bench.render import CARD_P95_MS, LETTER_P95_MS, RenderFigure
from infra.bench.report import GAPS, render_lines


def _figure(name: str, p95: float, target: float, steady: float = 0.0) -> RenderFigure:
    return RenderFigure(name, 1000, p95 - 0.4, p95, p95 - 0.4, p95, steady, steady, target)


def test_a_render_over_its_p95_target_is_a_gap_with_its_reason() -> None:
    text = "\n".join(
        render_lines(
            [_figure("kartu AK/I", CARD_P95_MS + 1.4, CARD_P95_MS), _figure("surat", 9.0, LETTER_P95_MS)], "m"
        )
    )
    assert "| kartu AK/I | 11.0 | 11.4 |" in text and text.count("| GAP |") == 1
    assert f"Gap (card): {GAPS['card']}" in text and "Gap (letters)" not in text
    assert "Command: `python -m infra.bench.render 1000`" in text


def test_a_letter_over_its_target_states_the_letters_reason_not_the_cards() -> None:
    text = "\n".join(
        render_lines([_figure("kartu AK/I", 9.5, CARD_P95_MS), _figure("surat", 15.2, LETTER_P95_MS)], "m")
    )
    assert f"Gap (letters): {GAPS['letters']}" in text and "Gap (card)" not in text


def test_renders_within_their_targets_state_no_gap() -> None:
    text = "\n".join(
        render_lines([_figure("kartu AK/I", 9.5, CARD_P95_MS), _figure("surat", 14.9, LETTER_P95_MS)], "m")
    )
    assert "| GAP |" not in text and "Gap (" not in text


def test_growth_in_the_second_half_is_a_gap_without_the_p95_reason() -> None:
    """Memory is judged on the second half's growth (a leak); the mask reason is about time only."""
    text = "\n".join(render_lines([_figure("surat", 9.0, LETTER_P95_MS, steady=7.6)], "m"))
    assert "| surat | 8.6 | 9.0 |" in text and text.count("| GAP |") == 1 and "Gap (" not in text
