"""Department and region names or numbers typed after a town, read as a hint, not as a town.

"Angers, Maine-et-Loire" means Angers in department 49, not the commune of Loiré; "Lyon 69" means
Lyon, not its 6th arrondissement; "Saint-Denis Réunion" the Saint-Denis of La Réunion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from geodata.geocoding.query import STOP_WORDS, ParsedQuery
from geodata.reference.gazetteer import Department, Region
from geodata.text import name_key, without_article


@dataclass(frozen=True)
class Area:
    """A department or a region, by code (the other one None)."""

    department: str | None
    region: str | None


class AreaNames:
    """Recognise a department or region (name or department number) ending a query."""

    def __init__(self, departments: Iterable[Department], regions: Iterable[Region]) -> None:
        areas: dict[str, Area] = {}
        for region in regions:
            for key in _keys(region.name):
                areas[key] = Area(None, region.code)
        # After the regions: "La Réunion" is both, and the department is the narrower hint.
        for department in departments:
            for key in {*_keys(department.name), department.code.lower()}:
                areas[key] = Area(department.code, None)
        self._areas = areas
        self._longest = max(len(key.split()) for key in areas)

    def hinted(self, parsed: ParsedQuery) -> ParsedQuery | None:
        """Return `parsed` narrowed to the area its last words name, without them; else None.

        At least one word must remain for the town, and it must not be a linking word
        ("Villeneuve-sur-Lot" is a town, not Villeneuve in the Lot).
        """
        words = parsed.words
        for count in range(min(self._longest, len(words) - parsed.street_end - 1), 0, -1):
            area = self._areas.get(" ".join(words[-count:]))
            if area is None:
                continue
            kept = words[:-count]
            if kept[-1] in STOP_WORDS or parsed.department not in (None, area.department):
                return None
            return replace(
                parsed,
                words=kept,
                segments=tuple(start for start in parsed.segments if start < len(kept)),
                department=area.department or parsed.department,
                region=area.region,
            )
        return None


def _keys(name: str) -> set[str]:
    key = name_key(name)
    return {key, without_article(key)}
