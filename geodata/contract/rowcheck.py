"""The problems of one row being validated, and its values as they get normalised."""

from __future__ import annotations

from typing import Any

from geodata.normalize import Normalised
from geodata.problems import Problem, Severity


class RowCheck:
    """Collect one row's problems and normalised values; `bad` names the columns in error."""

    def __init__(self, line: int, raw: dict[str, str]) -> None:
        self.line = line
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.bad: set[str] = set()

    @property
    def failed(self) -> bool:
        return bool(self.bad)

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, self.raw.get(column, ""), message))
        self.bad.add(column)

    def warn(self, column: str, message: str) -> None:
        self.problems.append(
            Problem(self.line, column, self.raw.get(column, ""), message, Severity.WARNING)
        )

    def keep(self, column: str, normalised: Normalised) -> str:
        """Store a normalised value, reporting its warning if any; return the value."""
        value, warning = normalised
        if warning:
            self.warn(column, warning)
        self.values[column] = value
        return value
