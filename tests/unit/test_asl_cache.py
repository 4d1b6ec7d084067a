"""infra/local/asl_cache.py's disk layer: what one process parsed, the next loads; an entry that
cannot be read is parsed again and written over; a bad definition is never kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

from infra.local import asl_cache

DEFINITION = json.dumps(
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
)


class Counting:
    """moto's parse, counted."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, definition: str) -> Any:
        self.calls += 1
        return AmazonStateLanguageParser.parse(definition)


def test_the_next_process_loads_what_the_first_parsed(tmp_path: Path) -> None:
    first, second = Counting(), Counting()
    program, tree = asl_cache._from_disk(tmp_path, DEFINITION, first)
    assert first.calls == 1 and tree is None and len(list(tmp_path.glob("*.pickle"))) == 1
    loaded, _ = asl_cache._from_disk(tmp_path, DEFINITION, second)
    assert second.calls == 0
    assert type(loaded) is type(program) and list(loaded.states.states) == ["A", "B"]
    assert not list(tmp_path.glob("*.tmp"))


def test_an_unreadable_entry_is_parsed_again_and_written_over(tmp_path: Path) -> None:
    asl_cache._from_disk(tmp_path, DEFINITION, Counting())
    (entry,) = tmp_path.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    again = Counting()
    program, _ = asl_cache._from_disk(tmp_path, DEFINITION, again)
    assert again.calls == 1 and list(program.states.states) == ["A", "B"]
    later = Counting()
    asl_cache._from_disk(tmp_path, DEFINITION, later)
    assert later.calls == 0


def test_a_bad_definition_fails_every_time_and_is_not_kept(tmp_path: Path) -> None:
    bad = '{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}'
    for _ in range(2):
        with pytest.raises(Exception, match="ASL"):
            asl_cache._from_disk(tmp_path, bad, Counting())
    assert not list(tmp_path.glob("*.pickle"))


def test_another_definition_or_moto_version_is_another_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    import moto

    key = asl_cache._key(DEFINITION)
    assert asl_cache._key(DEFINITION) == key
    assert asl_cache._key(DEFINITION.replace('"B"', '"C"')) != key
    monkeypatch.setattr(moto, "__version__", "0.0.1")
    assert asl_cache._key(DEFINITION) != key


def test_a_directory_that_cannot_be_used_leaves_the_cache_in_memory(tmp_path: Path) -> None:
    """/proc/self exists (mkdir passes) but takes no files; a plain file is no directory."""
    (tmp_path / "berkas").write_text("bukan direktori", encoding="utf-8")
    for unusable in (Path("/proc/self"), tmp_path / "berkas"):
        counted = Counting()
        program, _ = asl_cache._from_disk(unusable, DEFINITION, counted)
        assert counted.calls == 1 and list(program.states.states) == ["A", "B"]


def test_the_least_recently_used_entries_beyond_the_bound_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(asl_cache, "KEEP_ENTRIES", 2)
    texts = [DEFINITION.replace('"B"', f'"{name}"') for name in ("B", "C", "D")]
    for age, text in enumerate(texts):
        asl_cache._from_disk(tmp_path, text, Counting())
        (entry,) = [p for p in tmp_path.glob("*.pickle") if p.stem == asl_cache._key(text)]
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))  # B oldest, D newest
    kept = {p.stem for p in tmp_path.glob("*.pickle")}
    assert kept == {asl_cache._key(texts[1]), asl_cache._key(texts[2])}
    assert {p.stem for p in tmp_path.glob("*.lock")} == kept
