"""The network page, rendered by several admin views (after an upload error too)."""

from __future__ import annotations

from flask import render_template, url_for
from markupsafe import Markup

from geodata.publishing.pull import get_source
from geodata.publishing.versions import current_version, list_publications, published_records
from geodata.storage.networks import get_network
from webapp.admin.template import vocabularies
from webapp.services import get_db, get_settings

EMBED_HEIGHT = 600


def embed_snippet(slug: str, name: str) -> str:
    """Return the HTML a network pastes into its own website to show its map."""
    src = url_for("public.embed", reseau=slug, _external=True)
    snippet = Markup(
        '<iframe src="{}" title="Carte des structures — {}" width="100%" height="{}" '
        'style="border:0" loading="lazy"></iframe>'
    ).format(src, name, EMBED_HEIGHT)
    return str(snippet)


def render_network(
    slug: str, *, error: str = "", problems: tuple[str, ...] = (), source_error: str = ""
) -> str:
    """Render the network's page, with an upload or source error when there was one."""
    db = get_db()
    network = get_network(db, slug)
    return render_template(
        "admin/network.html",
        network=network,
        version=current_version(db, network),
        total=len(published_records(db, network)),
        publications=list_publications(db, network),
        snippet=embed_snippet(slug, network.name),
        max_upload_mb=get_settings().max_upload_mb,
        error=error,
        problems=problems,
        vocabularies=vocabularies,
        source=get_source(db, slug),
        source_error=source_error,
    )
