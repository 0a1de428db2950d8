"""The network page, rendered by several admin views (after an upload error too)."""

from __future__ import annotations

from flask import render_template, request

from geodata.publishing.pull import get_source
from geodata.publishing.versions import current_version, list_publications, published_records
from geodata.storage.networks import get_network
from webapp.admin.embed import form_context
from webapp.admin.template import vocabularies
from webapp.services import get_db, get_settings


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
        # The options form is a GET to this page: without JavaScript it shows their snippet.
        embed=form_context(slug, network.name, request.args),
        max_upload_mb=get_settings().max_upload_mb,
        error=error,
        problems=problems,
        vocabularies=vocabularies,
        source=get_source(db, slug),
        source_error=source_error,
    )
