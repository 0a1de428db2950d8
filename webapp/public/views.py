"""The public map (`/`) and its embeddable version (`/embed`).

Both pages carry every site of their scope (the whole directory, or one network for an embed
with `?reseau=SLUG`) in the map and in the list; the filters of the query string mark the others
hidden, so the page filters without JavaScript (the form is a GET) and public-map.js filters
the same elements instantly.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from geodata.contract.schema import load_schema
from geodata.orientation.directory import (
    DirectoryFilter,
    directory_networks,
    parse_filter,
    published_sites,
)
from webapp.maps import render_map
from webapp.public.map import KIND_BY_CODE, KINDS, public_map
from webapp.services import get_db, get_settings
from webapp.tiles import tile_provider

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    return render_template("public/index.html", **_context(embed=False))


@bp.get("/embed")
def embed() -> str:
    return render_template("public/embed.html", **_context(embed=True))


def _vocabularies() -> dict[str, dict[str, str]]:
    schema = load_schema()
    return {name: schema.vocabulary(name) for name in ("cancers", "publics", "soins")}


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
    shown = {entry.key for entry in published_sites(session, filters)}
    vocabularies = _vocabularies()
    built = public_map(entries, vocabularies, tile_provider(get_settings().tiles))
    networks = directory_networks(session)
    return {
        "embed": embed,
        "entries": entries,
        "shown": shown,
        "filters": filters,
        "vocabularies": vocabularies,
        "networks": networks,
        "network_name": dict(networks).get(filters.reseau, ""),
        "kinds": KINDS,
        "kind_by_code": KIND_BY_CODE,
        "parts": render_map(built.fmap),
        "cluster": built.cluster,
    }
