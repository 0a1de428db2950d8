"""A network's spreadsheet source on its admin page: record its address, pull it now."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from geodata.errors import InvalidValue
from geodata.publishing.pull import Outcome, PullContext, fetch_rules, pull, set_source
from webapp.admin.auth import login_required, network_required
from webapp.admin.blueprint import bp
from webapp.admin.pages import render_network
from webapp.services import get_db, get_gazetteer_service, get_geocoder, get_settings


@bp.post("/<slug>/source")
@login_required
def record_source(slug: str) -> tuple[str, int] | Response:
    """Record the address of the network's published spreadsheet."""
    network_required(slug)
    db = get_db()
    try:
        set_source(db, slug, request.form.get("source", ""))
    except InvalidValue as exc:
        db.rollback()
        return render_network(slug, source_error=exc.message), 400
    db.commit()
    flash("Source enregistrée : lisez-la maintenant pour publier son contenu.", "info")
    return redirect(url_for("admin.network_page", slug=slug, _anchor="source-titre"))


@bp.post("/<slug>/source/lecture")
@login_required
def pull_source(slug: str) -> Response:
    """Pull the source now; a refused file opens as its check, with every problem."""
    network_required(slug)
    settings, db = get_settings(), get_db()
    context = PullContext(
        fetch_rules(settings), get_gazetteer_service(), get_geocoder(), settings.pending_days
    )
    result = pull(db, slug, context)
    db.commit()
    flash(result.message, "info" if result.outcome != Outcome.UNREACHABLE else "erreur")
    if result.outcome == Outcome.REFUSED and result.pending_id:
        return redirect(url_for("admin.preview", slug=slug, pending_id=result.pending_id))
    return redirect(url_for("admin.network_page", slug=slug, _anchor="source-titre"))
