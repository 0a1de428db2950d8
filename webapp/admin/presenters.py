"""What the admin pages show, built from core values: diffs, problems, located sites, map.

Pure functions of plain values (no request, no database), so the pages stay simple templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from markupsafe import Markup

from geodata.contract.records import SiteRecord
from geodata.contract.schema import load_schema
from geodata.problems import Problem, Severity
from geodata.publishing.diff import Diff
from geodata.publishing.problem_file import Team
from webapp.maps import SafePopup, SafeTooltip, add_outlines_near, base_map
from webapp.tiles import TileProvider

# (outline colour, fill colour, radius, outline width)
PRECISE_STYLE = ("#1f4e8c", "#1f4e8c", 7, 2)
LOW_STYLE = ("#8a4b00", "#f0a030", 9, 3)
EMPTY = "(vide)"
# How many sites a page lists or draws per kind: a network's whole file can hold 100,000 rows,
# and one list item and map marker per row would make the page too slow to build and to open.
# The counts and the problems (bounded by the validator) stay complete.
SHOWN = 500


def field_title(name: str | None) -> str:
    """Return the French title of a contract column ("position" is where a site is placed)."""
    if name is None:
        return "(fichier entier)"
    if name == "position":
        return "Position sur la carte"
    try:
        return load_schema().field(name).title
    except KeyError:
        return name


def show_value(value: Any) -> str:
    """Return a field value as an editor reads it in a diff."""
    if value is None or value == "" or value == ():
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, tuple) and all(isinstance(v, float) for v in value):
        return ", ".join(f"{v:.5f}" for v in value)
    if isinstance(value, tuple):
        return " | ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ChangeRow:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangedSite:
    identifiant: str
    nom: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class DiffView:
    """A diff with the sites' names, ready for the template."""

    added: tuple[SiteRecord, ...]
    changed: tuple[ChangedSite, ...]
    removed: tuple[SiteRecord, ...]
    unchanged: int
    summary: str
    added_total: int
    changed_total: int
    removed_total: int

    @property
    def empty(self) -> bool:
        return not (self.added_total or self.changed_total or self.removed_total)


def diff_view(
    diff: Diff, old: Iterable[SiteRecord], new: Iterable[SiteRecord], limit: int = SHOWN
) -> DiffView:
    """Return `diff` with the records it names (`old`: before, `new`: after).

    Only the first `limit` sites of each kind are named; the totals count them all.
    """
    before = {r.identifiant: r for r in old}
    after = {r.identifiant: r for r in new}
    added = [after[i] for i in diff.added if i in after]
    removed = [before[i] for i in diff.removed if i in before]
    changed = tuple(
        ChangedSite(
            change.identifiant,
            after[change.identifiant].nom if change.identifiant in after else "",
            tuple(
                ChangeRow(field_title(c.field), show_value(c.old), show_value(c.new))
                for c in change.changes
            ),
        )
        for change in diff.changed[:limit]
    )
    return DiffView(
        added=tuple(added[:limit]),
        changed=changed,
        removed=tuple(removed[:limit]),
        unchanged=diff.unchanged,
        summary=diff.summary(),
        added_total=len(added),
        changed_total=len(diff.changed),
        removed_total=len(removed),
    )


@dataclass(frozen=True)
class ProblemRow:
    line: int
    column: str
    value: str
    message: str
    severity: Severity
    team: Team | None = None  # the team of the line, as the file wrote it

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def problem_rows(
    problems: Sequence[Problem], teams: Mapping[int, Team] | None = None
) -> list[ProblemRow]:
    """Return the problems by line (whole-file ones first), errors before warnings, each with
    the team of its line when `teams` knows it."""
    ordered = sorted(problems, key=lambda p: (p.line, not p.is_error))
    known = teams or {}
    return [
        ProblemRow(
            p.line, field_title(p.column), p.value or "", p.message, p.severity, known.get(p.line)
        )
        for p in ordered
    ]


def low_precision(record: SiteRecord) -> bool:
    return record.location is not None and record.location.precision.is_low


def shown_sites(
    records: Sequence[SiteRecord], diff: Diff | None, limit: int = SHOWN
) -> tuple[SiteRecord, ...]:
    """Return the located records a preview draws and lists, the ones to check first.

    Low-precision sites come first, then the added and changed ones, then the others, in file
    order within each group, at most `limit` of the first group and `2 * limit` in all.
    """
    touched = set(diff.added) | {c.identifiant for c in diff.changed} if diff else set()
    located = [r for r in records if r.location is not None]
    low = [r for r in located if low_precision(r)][:limit]
    rest = sorted(
        (r for r in located if not low_precision(r)), key=lambda r: r.identifiant not in touched
    )
    return tuple((low + rest)[: 2 * limit])


def sites_map(provider: TileProvider | None, records: Sequence[SiteRecord]) -> folium.Map:
    """Return a map of the located records, the low-precision ones drawn larger and orange."""
    located = [r for r in records if r.location is not None]
    fmap = base_map(provider)
    points = [(r.location.lat, r.location.lon) for r in located if r.location]
    if provider is None and points:
        add_outlines_near(fmap, points)
    for record in located:
        _add_site(fmap, record)
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return fmap


def _add_site(fmap: folium.Map, record: SiteRecord) -> None:
    assert record.location is not None
    low = low_precision(record)
    where = record.location.precision.admin_label
    color, fill_color, radius, weight = LOW_STYLE if low else PRECISE_STYLE
    marker = folium.CircleMarker(
        location=(record.location.lat, record.location.lon),
        radius=radius,
        color=color,
        weight=weight,
        fill=True,
        fill_color=fill_color,
        fill_opacity=0.8,
    )
    SafeTooltip(Markup("{} — {}").format(record.identifiant, record.nom)).attach(marker)
    popup = Markup("<strong>{}</strong><br>{}<br>{} {} {}<br>Placée : {}").format(
        record.nom, record.identifiant, record.adresse, record.code_postal, record.commune, where
    )
    SafePopup(popup).attach(marker)
    marker.add_to(fmap)
