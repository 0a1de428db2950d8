"""The admin's home, network page, journal and downloads.

Every page under `/admin/<slug>` checks that the signed-in account may edit that network (an
administrator may edit all). Uploads are in `imports.py`, versions in `versions.py`.
"""

from __future__ import annotations

import json

from flask import Response, render_template

from geodata.accounts import audit
from geodata.publishing.export import to_csv, to_geojson
from geodata.publishing.pending import kept_imports
from geodata.publishing.versions import published_records
from geodata.storage.networks import get_network, list_networks
from webapp.admin.auth import login_required, network_required, signed_in
from webapp.admin.blueprint import bp
from webapp.admin.journal import imports_named, journal_rows
from webapp.admin.pages import render_network
from webapp.admin.template import explanations, template_csv
from webapp.services import get_db


@bp.get("/")
@login_required
def index() -> str:
    """The networks the account may edit; an account of one network lands on its page."""
    account = signed_in()
    networks = [n for n in list_networks(get_db()) if account.can_edit(n.slug)]
    # Rendered here rather than redirected: sign-in and forms come back to this address.
    if len(networks) == 1:
        return render_network(networks[0].slug)
    return render_template("admin/index.html", networks=networks)


@bp.get("/<slug>")
@login_required
def network_page(slug: str) -> str:
    network_required(slug)
    return render_network(slug)


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/<slug>/export.csv")
@login_required
def export_csv(slug: str) -> Response:
    network_required(slug)
    db = get_db()
    records = published_records(db, get_network(db, slug))
    return _download(to_csv(records).encode(), "text/csv; charset=utf-8", f"{slug}.csv")


@bp.get("/<slug>/export.geojson")
@login_required
def export_geojson(slug: str) -> Response:
    network_required(slug)
    db = get_db()
    data = to_geojson(published_records(db, get_network(db, slug)))
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return _download(body, "application/geo+json", f"{slug}.geojson")


@bp.get("/modele.csv")
@login_required
def template_file() -> Response:
    return _download(template_csv().encode(), "text/csv; charset=utf-8", "modele-annuaire.csv")


@bp.get("/modele-explications.txt")
@login_required
def template_help() -> Response:
    body = explanations()
    return _download(body, "text/plain; charset=utf-8", "modele-annuaire-explications.txt")


@bp.get("/<slug>/journal")
@login_required
def journal(slug: str) -> str:
    network_required(slug)
    db = get_db()
    network = get_network(db, slug)
    entries = audit.entries(db, network=slug, limit=200)
    kept = kept_imports(db, slug, imports_named(entries))
    rows = journal_rows(entries, slug, kept)
    return render_template("admin/journal.html", network=network, entries=rows)
