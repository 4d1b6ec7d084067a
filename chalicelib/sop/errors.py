"""The errors an SOP file can raise: each issue names its file and line, one line per issue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SopIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class SopError(Exception):
    """An SOP or office file that cannot be used; `issues` holds every problem found, by line."""

    def __init__(self, issues: Iterable[SopIssue]) -> None:
        self.issues = sorted(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class SopNotFound(LookupError):
    """No packaged office or service with that id (a 404 for the API, not a broken file)."""
