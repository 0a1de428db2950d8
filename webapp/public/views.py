"""The public map (`/`) and its embeddable version (`/embed`).

Both pages carry every site of their scope (the whole directory, or one network for an embed
with `?reseau=SLUG`) in the list, and name the versioned GeoJSON of the same sites' markers
(`webapp.public.points`), which public-map.js loads and binds to the list; the filters of
the query string mark the others hidden, so the page filters without JavaScript (the form is
a GET) and public-map.js filters the same elements instantly. public-map.js also keeps in
the query string the place or the name searched (`lieu`, `lat`, `lon` or `nom`) and the view
(`carte=zoom/lat/lon`): the server ignores them, the script restores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request

from geodata.errors import InvalidValue
from geodata.orientation.directory import (
    DirectoryEntry,
    DirectoryFilter,
    directory_networks,
    parse_filter,
    published_sites,
)
from webapp.maps import render_map
from webapp.public import points
from webapp.public.map import KIND_BY_CODE, KINDS, phone_uri, public_map, route_url
from webapp.public.nearby import nearest, place_from
from webapp.public.words import department_names, labels, territories, vocabularies
from webapp.services import get_db, get_gazetteer_service, get_settings
from webapp.tiles import tile_provider

bp = Blueprint("public", __name__)
# The markers of the map pages, named after the version of the directory.
bp.add_url_rule(points.RULE, points.ENDPOINT, points.points)

# What the templates use besides the request's data.
TEMPLATE_HELPERS: dict[str, Any] = {
    "kinds": KINDS,
    "kind_by_code": KIND_BY_CODE,
    "labels": labels,
    "phone_uri": phone_uri,
    "route_url": route_url,
}


@bp.get("/")
def index() -> str:
    return render_template("public/index.html", **_context(embed=False))


@bp.get("/embed")
def embed() -> str:
    options = embed_options(request.args)
    return render_template("public/embed.html", **_context(embed=True), options=options)


# The embed's own options (README, "Embedding the map"): what it shows, and whether the host page
# sizes the frame to the content (`hauteur=auto`, with the height posted by public-layout.js).
EMBED_DISPLAYS = ("carte-et-liste", "carte", "liste")
EMBED_HEIGHTS = ("auto",)


@dataclass(frozen=True)
class EmbedOptions:
    display: str = "carte-et-liste"
    auto_height: bool = False

    def params(self) -> list[tuple[str, str]]:
        """Return the options as query parameters, the defaults left out (the filters keep them)."""
        shown = [("affichage", self.display)] if self.display != EMBED_DISPLAYS[0] else []
        return shown + ([("hauteur", "auto")] if self.auto_height else [])


def embed_options(values: Mapping[str, str]) -> EmbedOptions:
    """Return the embed's options from its query string (`affichage`, `hauteur`).

    Raises:
        InvalidValue: an unknown value: a snippet with a typo fails visibly, like a filter's.
    """
    display = _embed_choice(values, "affichage", EMBED_DISPLAYS) or EMBED_DISPLAYS[0]
    return EmbedOptions(display, _embed_choice(values, "hauteur", EMBED_HEIGHTS) == "auto")


def _embed_choice(values: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = values.get(name, "").strip()
    if value and value not in allowed:
        raise InvalidValue(
            f"Valeur inconnue pour « {name} » : « {value} ». "
            f"Valeurs possibles : {', '.join(allowed)}.",
            field=name,
            value=value,
        )
    return value


def _context(*, embed: bool) -> dict[str, Any]:
    """Return what the map page shows for this request's filters.

    Raises:
        InvalidValue: an unknown filter value (a 400 page in French).
    """
    session = get_db()
    filters = parse_filter(request.args)
    # An embed shows one network's sites only; the public page keeps every site at hand.
    scope = DirectoryFilter(reseau=filters.reseau if embed else "")
    # Read before the sites: if a publication comes in between, the markers of this older
    # version are redirected to the current ones, those of the list.
    version = points.directory_version(session)
    entries = published_sites(session, scope)
    shown = published_sites(session, filters)
    networks = directory_networks(session)
    place = place_from(request.args)
    return {
        "embed": embed,
        "entries": entries,
        "shown": {entry.key for entry in shown},
        "place": place,
        "nearby": nearest(shown, place) if place else [],
        "filters": filters,
        "networks": networks,
        "network_name": dict(networks).get(filters.reseau, ""),
        "points_url": points.points_url(version, scope.reseau),
        **_map_context(entries),
        **TEMPLATE_HELPERS,
    }


def _map_context(entries: list[DirectoryEntry]) -> dict[str, Any]:
    """Return the map and the words the page shows for codes (labels, territories)."""
    words = vocabularies()
    gazetteer = get_gazetteer_service()
    zones = territories(entries, gazetteer)
    built = public_map(tile_provider(get_settings().tiles))
    return {
        "vocabularies": words,
        "territories": zones,
        "departments": department_names(gazetteer),
        "parts": render_map(built.fmap),
        "cluster": built.cluster,
    }
