"""Department and region names or numbers typed after a town, read as a hint, not as a town.

"Angers, Maine-et-Loire" means Angers in department 49, not the commune of Loiré; "Lyon 69" means
Lyon, not its 6th arrondissement; "Saint-Denis Réunion" the Saint-Denis of La Réunion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from geodata.geocoding.query import ParsedQuery, Span
from geodata.geocoding.words import STOP_WORDS
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
        words, spans = parsed.words, parsed.spans
        if not spans or spans[-1].end != len(words):
            return None
        town_words = sum(span.end - span.start for span in spans)
        for count in range(min(self._longest, town_words - 1), 0, -1):
            area = self._areas.get(" ".join(words[-count:]))
            if area is None:
                continue
            kept = words[:-count]
            if kept[-1] in STOP_WORDS or parsed.department not in (None, area.department):
                return None
            return replace(
                parsed,
                words=kept,
                spans=_cut(spans, len(kept)),
                department=area.department or parsed.department,
                region=area.region,
            )
        return None


def _cut(spans: tuple[Span, ...], end: int) -> tuple[Span, ...]:
    """Return `spans` without the words from `end` on."""
    return tuple(replace(span, end=min(span.end, end)) for span in spans if span.start < end)


def _keys(name: str) -> set[str]:
    key = name_key(name)
    return {key, without_article(key)}
