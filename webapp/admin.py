"""The networks' administration pages (`/admin`): upload with preview, versions, downloads.

Every page under `/admin/<slug>` checks that the signed-in account may edit that network (an
administrator may edit all). The upload, preview and version pages are in `admin_imports.py`
and `admin_versions.py`, attached to this blueprint.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, url_for
from markupsafe import Markup

from geodata import audit
from geodata.export import to_csv, to_geojson
from geodata.networks import get_network, list_networks
from geodata.publishing import current_version, list_publications, published_records
from webapp.admin_template import explanations, template_csv, vocabularies
from webapp.auth import login_required, network_required, signed_in
from webapp.services import get_db, get_settings

bp = Blueprint("admin", __name__, url_prefix="/admin")

# What the journal calls each audited action.
ACTIONS = {
    "publication": "Publication d'une version",
    "restauration": "Restauration d'une version",
    "import_verifie": "Fichier vérifié",
    "import_abandonne": "Fichier abandonné",
    "connexion": "Connexion",
    "connexion_refusee": "Connexion refusée",
    "mot_de_passe": "Mot de passe changé",
    "utilisateur_cree": "Compte créé",
    "jeton_cree": "Jeton d'API créé",
    "jeton_revoque": "Jeton d'API révoqué",
}
EMBED_HEIGHT = 600


@bp.get("/")
@login_required
def index() -> str:
    account = signed_in()
    networks = [n for n in list_networks(get_db()) if account.can_edit(n.slug)]
    return render_template("admin/index.html", networks=networks)


def embed_snippet(slug: str, name: str) -> str:
    """Return the HTML a network pastes into its own website to show its map."""
    src = url_for("public.embed", reseau=slug, _external=True)
    snippet = Markup(
        '<iframe src="{}" title="Carte des structures — {}" width="100%" height="{}" '
        'style="border:0" loading="lazy"></iframe>'
    ).format(src, name, EMBED_HEIGHT)
    return str(snippet)


@bp.get("/<slug>")
@login_required
def network_page(slug: str) -> str:
    network_required(slug)
    return render_network(slug)


def render_network(slug: str, *, error: str = "", problems: tuple[str, ...] = ()) -> str:
    """Render the network's page, with an upload error when there was one."""
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
    )


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
    return render_template("admin/journal.html", network=network, entries=entries, actions=ACTIONS)


# Importing these modules attaches their routes to `bp`.
from webapp import admin_imports, admin_versions  # noqa: E402

_ = (admin_imports, admin_versions)
