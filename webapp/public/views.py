"""The public map (`/`) and its embeddable version (`/embed`).

Both pages carry every site of their scope (the whole directory, or one network for an embed
with `?reseau=SLUG`) in the map and in the list; the filters of the query string mark the others
hidden, so the page filters without JavaScript (the form is a GET) and public-map.js filters
the same elements instantly. public-map.js also keeps in the query string the place or the name
searched (`lieu`, `lat`, `lon` or `nom`) and the view (`carte=zoom/lat/lon`): the server ignores
them, the script restores them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from geodata.orientation.directory import (
    DirectoryEntry,
    DirectoryFilter,
    directory_networks,
    parse_filter,
    published_sites,
)
from webapp.maps import render_map
from webapp.public.map import KIND_BY_CODE, KINDS, phone_uri, public_map, route_url
from webapp.public.nearby import nearest, place_from
from webapp.public.words import department_names, labels, territories, vocabularies
from webapp.services import get_db, get_gazetteer_service, get_settings
from webapp.tiles import tile_provider

bp = Blueprint("public", __name__)

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
    return render_template("public/embed.html", **_context(embed=True))


def _context(*, embed: bool) -> dict[str, Any]:
    """Return what the map page shows for this request's filters.

    Raises:
        InvalidValue: an unknown filter value (a 400 page in French).
    """
    session = get_db()
    filters = parse_filter(request.args)
    # An embed shows one network's sites only; the public page keeps every site at hand.
    scope = DirectoryFilter(reseau=filters.reseau if embed else "")
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
        **_map_context(entries),
        **TEMPLATE_HELPERS,
    }


def _map_context(entries: list[DirectoryEntry]) -> dict[str, Any]:
    """Return the map and the words the page shows for codes (labels, territories)."""
    words = vocabularies()
    gazetteer = get_gazetteer_service()
    zones = territories(entries, gazetteer)
    built = public_map(entries, words, tile_provider(get_settings().tiles), zones)
    return {
        "vocabularies": words,
        "territories": zones,
        "departments": department_names(gazetteer),
        "parts": render_map(built.fmap),
        "cluster": built.cluster,
    }
