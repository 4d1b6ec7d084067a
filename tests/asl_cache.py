"""Parse each state machine definition once per test process, not at every StartExecution.

moto (its Step Functions interpreter is LocalStack's) parses a definition with its ANTLR grammar
when a state machine is made and again when each execution starts: 0.3 to 1.5 s of CPU for
Loket's machines, about a minute over the suite. The parse is a pure function of the definition
text, and what it returns (the program's components) holds no state of an execution: every
evaluation reads and writes only the execution's own `Environment`. The one exception is each
component's `heap_key`, drawn lazily on first use; it is drawn here once, before the program is
shared, so that two executions never race to draw it.

A definition that fails to parse is not cached: the error reaches the caller every time.
"""

from __future__ import annotations

import threading
from typing import Any

_installed = False


def install() -> None:
    """Wrap moto's `AmazonStateLanguageParser.parse` with a cache by definition text (idempotent)."""
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
            parsed = original(definition)
            _draw_heap_keys(parsed[0])
            with lock:
                parsed = cache.setdefault(definition, parsed)
        return parsed

    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]
    _installed = True


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
