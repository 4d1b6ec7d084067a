"""Parse each state machine definition once, not at every StartExecution nor in every process.

moto (its Step Functions interpreter is LocalStack's) parses a definition with its ANTLR grammar
when a state machine is made and again when each execution starts: 0.3 to 1.5 s of CPU for
Loket's machines (the local stack spent that on every case it started; the tests, about a minute
over the suite). The parse is a pure function of the definition text, and what it returns (the
program's components) holds no state of an execution: every evaluation reads and writes only
the execution's own `Environment`. The one exception is each component's `heap_key`, drawn lazily
on first use; it is drawn here once, before the program is shared, so that two executions never
race to draw it.

Kept twice: in memory (one program per definition text, shared by the process's executions) and
on disk (`out/asl-cache/`, a pickle per definition text, moto and Python version), so that the
next process with the same definition text loads in milliseconds what the first parsed: Kota
Tangerang's CPMI machine parses in 0.46 s and loads in 0.004 s. The text names the stack's
resources, with moto's address in its queue URLs: the test workers (one stack name, `tloket`)
share it, and so do `make run`s on the same ports; a stack on free ports (the browser tests',
`make load`'s) writes its own. Two processes wanting the same definition at once take turns (a
lock file per entry): one parses, the other loads. The least recently used entries beyond
KEEP_ENTRIES are removed. Only moto's execution reads the program (`[0]`); the parse tree (`[1]`)
is not kept. An entry that cannot be read is parsed again and written over; a directory that
cannot be used (read-only, not a directory) leaves the cache in memory only.

A definition that fails to parse is not cached: the error reaches the caller every time.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "out" / "asl-cache"
KEEP_ENTRIES = 64  # about 12 MB: the tests' 13 machines, `make run`'s, a few free-port stacks'
_installed = False


def install(directory: Path | None = CACHE) -> None:
    """Wrap moto's `AmazonStateLanguageParser.parse` with a cache by definition text, in memory and
    in `directory` (None: in memory only). Idempotent: the first call's directory stays."""
    global _installed
    if _installed:
        return
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    original = AmazonStateLanguageParser.parse
    cache: dict[str, Any] = {}
    lock = threading.Lock()

    def parse(definition: str) -> Any:
        with lock:
            parsed = cache.get(definition)
        if parsed is None:
            parsed = _from_disk(directory, definition, original)
            with lock:
                parsed = cache.setdefault(definition, parsed)
        return parsed

    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]
    _installed = True


def _parsed(original: Any, definition: str) -> tuple[Any, None]:
    program = original(definition)[0]
    _draw_heap_keys(program)
    return program, None


def _key(definition: str) -> str:
    import moto

    versions = f"moto {moto.__version__}; python {sys.version}\0"
    return hashlib.sha256((versions + definition).encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _turn(path: Path) -> Iterator[None]:
    """Hold `path`'s lock file (blocking) for the block: one process parses a definition at a time."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _from_disk(directory: Path | None, definition: str, original: Any) -> tuple[Any, None]:
    """The program of `definition`: loaded from `directory` when an earlier process parsed it,
    else parsed (raising moto's error for a bad definition) and written there. Any trouble with
    the directory itself: parsed here, in memory only."""
    if directory is None:
        return _parsed(original, definition)
    entry = directory / f"{_key(definition)}.pickle"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with _turn(entry.with_suffix(".lock")):
            return _load_or_parse(entry, definition, original)
    except OSError:
        return _parsed(original, definition)  # read-only, not a directory, no locks: memory only


def _load_or_parse(entry: Path, definition: str, original: Any) -> tuple[Any, None]:
    with contextlib.suppress(
        OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, RecursionError
    ):
        # Written by this module into the checkout's out/ (local stand-in only, never deployed).
        program = pickle.loads(entry.read_bytes())  # noqa: S301
        with contextlib.suppress(OSError):
            os.utime(entry)  # used: kept by `_prune`
        return program, None
    parsed = _parsed(original, definition)
    written = entry.with_suffix(f".{os.getpid()}.tmp")
    with contextlib.suppress(OSError, pickle.PicklingError, RecursionError):
        written.write_bytes(pickle.dumps(parsed[0], protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(written, entry)
        _prune(entry.parent)
    with contextlib.suppress(OSError):
        written.unlink(missing_ok=True)
    return parsed


def _prune(directory: Path) -> None:
    """Remove the least recently used entries (and their lock files) beyond KEEP_ENTRIES."""
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        with contextlib.suppress(OSError):
            old.unlink()
            old.with_suffix(".lock").unlink(missing_ok=True)


def _draw_heap_keys(program: Any) -> None:
    """Touch `heap_key` of every evaluation component reachable from `program`."""
    from moto.stepfunctions.parser.asl.component.component import Component
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

    seen: set[int] = set()
    todo = [program]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, EvalComponent):
            _ = node.heap_key
        if isinstance(node, Component):
            todo.extend(vars(node).values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())
