"""A problem found in a directory file: where it is, what was there, and how to fix it (French)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

DISPLAY_LIMIT = 80  # characters of a value shown back to users


class Severity(StrEnum):
    """How much a problem matters. The values are published (the API's `gravite`) and kept in
    pending checks: they must never change."""

    ERROR = "erreur"
    WARNING = "avertissement"  # never blocks a publish

    @property
    def label(self) -> str:
        """The word the admin pages put before the message ("Remarque": a warning is advice)."""
        return _LABELS[self]

    @property
    def report_label(self) -> str:
        """The word the command line's report puts before the message."""
        return _REPORT_LABELS[self]


_LABELS = {Severity.ERROR: "Erreur", Severity.WARNING: "Remarque"}
_REPORT_LABELS = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement"}


def shorten(value: str, limit: int = DISPLAY_LIMIT) -> str:
    """Return `value` cut to `limit` characters, with an ellipsis when it was longer."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem of a directory file.

    `line` is the row number as a spreadsheet shows it (header = 1, first data row = 2; 0 for
    the whole file); `column` is the contract column name; `value` the raw value, shortened.
    """

    line: int
    column: str | None
    value: str | None
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # Values come straight from uploads: keep them short enough to display anywhere.
        if self.value is not None and len(self.value) > DISPLAY_LIMIT:
            object.__setattr__(self, "value", shorten(self.value))

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def to_json(self) -> dict[str, Any]:
        """Return the JSON shape shown by the API and the admin pages."""
        return {
            "ligne": self.line,
            "colonne": self.column,
            "valeur": self.value,
            "message": self.message,
            "gravite": self.severity,
        }
