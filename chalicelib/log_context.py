"""Every log line names the case it is about, as a field of its own (and nothing personal).

On Lambda the functions log in JSON (`LoggingConfig: LogFormat: JSON`, infra/base.yaml): the
Python runtime's formatter writes a record's extra attributes as keys of the JSON line, so a
`case_id` attribute becomes a field CloudWatch Logs Insights filters on
(`filter case_id = "..."`), with no parsing of the message. This module puts it there: the worker
handler and the routes' decorators say which case they work on (`about`), and a log record
factory (standard library `logging.setLogRecordFactory`) copies it onto every record made
meanwhile, whichever module logs. Only the case id travels: a NIK, a name or an email never
becomes a field (the messages themselves name no person either; tests/unit/test_log_context.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# The ids Loket gives cases (24 lower-case letters and digits) and the few pseudo-ids of worker
# messages about no case ("-", "digest:<office>:<role>"): bounded, no spaces, nothing else.
_SHAPE = re.compile(r"^[A-Za-z0-9:_.-]{1,100}$")
_CASE: ContextVar[str | None] = ContextVar("loket_case_id", default=None)
_installed = False


def install() -> None:
    """Wrap the log record factory once per process so that each record carries `case_id`
    while a case is being worked on (`about`). Idempotent."""
    global _installed
    if _installed:
        return
    made = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = made(*args, **kwargs)
        case_id = _CASE.get()
        if case_id is not None and not hasattr(record, "case_id"):
            record.case_id = case_id
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


@contextmanager
def about(case_id: object) -> Iterator[None]:
    """While inside, every log record carries `case_id` (a str of the ids' shape; anything else,
    e.g. a hostile path parameter, is left out rather than logged)."""
    shown = case_id if isinstance(case_id, str) and _SHAPE.match(case_id) else None
    token = _CASE.set(shown)
    try:
        yield
    finally:
        _CASE.reset(token)
