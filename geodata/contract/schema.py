"""The directory CSV contract, read from its Table Schema (`data/annuaire.schema.json`).

The schema file is the single list of columns, their constraints and vocabularies: the
validator, the exporter and the documentation all read it from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "annuaire.schema.json"


@dataclass(frozen=True)
class Field:
    """One column of the directory CSV."""

    name: str
    title: str
    type: str
    required: bool
    max_length: int | None
    pattern: str | None
    minimum: float | None
    maximum: float | None
    vocabulary: dict[str, str]
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    default: Any
    # Other header names people give this column, and other spellings of list items.
    format: str | None = None
    aliases: tuple[str, ...] = ()
    item_aliases: dict[str, str] = field(default_factory=dict)

    @property
    def is_list(self) -> bool:
        return self.type == "list"


@dataclass(frozen=True)
class Schema:
    """The whole contract: ordered fields plus the raw JSON for documentation."""

    fields: tuple[Field, ...]
    list_delimiters: tuple[str, ...]
    raw: dict[str, Any]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        """Return the field called `name` (KeyError if the contract has none)."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def vocabulary(self, name: str) -> dict[str, str]:
        """Return the code -> French label mapping of a list column."""
        return self.field(name).vocabulary


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    return Field(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        type=raw.get("type", "string"),
        required=bool(constraints.get("required", False)),
        max_length=constraints.get("maxLength"),
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        vocabulary=dict(raw.get("x-vocabulary", {})),
        true_values=tuple(raw.get("trueValues", ())),
        false_values=tuple(raw.get("falseValues", ())),
        default=raw.get("x-default"),
        format=raw.get("format"),
        aliases=tuple(raw.get("x-aliases", ())),
        item_aliases=dict(raw.get("x-itemAliases", {})),
    )


def schema_text() -> str:
    """Return the Table Schema file as published (JSON text)."""
    return resources.files("geodata").joinpath("data", SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def load_schema() -> Schema:
    """Load and cache the directory Table Schema."""
    raw = json.loads(schema_text())
    return Schema(
        fields=tuple(_field(f) for f in raw["fields"]),
        list_delimiters=tuple(raw.get("x-listDelimiters", ["|"])),
        raw=raw,
    )


@cache
def age_ranges() -> dict[str, tuple[int, int]]:
    """Return the age range (inclusive) of each `publics` code (read once: every search asks)."""
    raw = next(f for f in load_schema().raw["fields"] if f["name"] == "publics")
    return {code: (int(lo), int(hi)) for code, (lo, hi) in raw["x-ageRanges"].items()}
