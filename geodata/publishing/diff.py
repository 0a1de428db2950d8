"""What changes between the published directory and a new one, field by field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geodata.contract.records import CONTRACT_FIELDS, SiteRecord

# Positions closer than this (degrees, ~1 m) are one place: floats round-trip through databases.
POSITION_TOLERANCE = 1e-5


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SiteChange:
    identifiant: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Diff:
    """Sites added, changed (with each field) and removed, by `identifiant`."""

    added: tuple[str, ...]
    changed: tuple[SiteChange, ...]
    removed: tuple[str, ...]
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        """Return a short French summary, e.g. "2 ajouts, 1 modification, 0 suppression"."""
        parts = (
            (len(self.added), "ajout"),
            (len(self.changed), "modification"),
            (len(self.removed), "suppression"),
        )
        return ", ".join(f"{n} {word}{'s' if n > 1 else ''}" for n, word in parts)


def _field_changes(old: SiteRecord, new: SiteRecord) -> tuple[FieldChange, ...]:
    old_values, new_values = old.contract_values(), new.contract_values()
    changes = [
        FieldChange(name, old_values[name], new_values[name])
        for name in CONTRACT_FIELDS
        if old_values[name] != new_values[name]
    ]
    if _moved(old, new):
        old_pos = (old.location.lat, old.location.lon) if old.location else None
        new_pos = (new.location.lat, new.location.lon) if new.location else None
        changes.append(FieldChange("position", old_pos, new_pos))
    return tuple(changes)


def _moved(old: SiteRecord, new: SiteRecord) -> bool:
    a, b = old.location, new.location
    if a is None or b is None:
        return a is not b
    return (
        abs(a.lat - b.lat) > POSITION_TOLERANCE
        or abs(a.lon - b.lon) > POSITION_TOLERANCE
        or a.precision != b.precision
    )


def diff_records(old: Sequence[SiteRecord], new: Sequence[SiteRecord]) -> Diff:
    """Compare two versions of a directory by `identifiant`, keeping the new file's order."""
    before = {r.identifiant: r for r in old}
    after = {r.identifiant: r for r in new}
    added = tuple(i for i in after if i not in before)
    removed = tuple(i for i in before if i not in after)
    changed: list[SiteChange] = []
    for ident, record in after.items():
        if ident in before:
            changes = _field_changes(before[ident], record)
            if changes:
                changed.append(SiteChange(ident, changes))
    unchanged = len(after) - len(added) - len(changed)
    return Diff(added, tuple(changed), removed, unchanged)
