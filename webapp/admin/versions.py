"""A published version of a network's directory: what it changed, and restoring it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from geodata.publishing.diff import diff_records
from geodata.publishing.pending import restore_version
from geodata.publishing.versions import (
    MAX_VERSION,
    current_version,
    list_publications,
    publication_records,
)
from geodata.storage.networks import get_network
from webapp.admin.auth import login_required, network_required
from webapp.admin.blueprint import bp
from webapp.admin.presenters import diff_view
from webapp.services import get_db


@bp.get(f"/<slug>/versions/<int(max={MAX_VERSION}):number>")
@login_required
def version(slug: str, number: int) -> str:
    network_required(slug)
    db = get_db()
    network = get_network(db, slug)
    records = publication_records(db, network, number)
    before = publication_records(db, network, number - 1) if number > 1 else []
    info = next((p for p in list_publications(db, network) if p.number == number), None)
    return render_template(
        "admin/version.html",
        network=network,
        number=number,
        info=info,
        current=current_version(db, network),
        diff=diff_view(diff_records(before, records), before, records),
        total=len(records),
    )


@bp.post(f"/<slug>/versions/<int(max={MAX_VERSION}):number>/restauration")
@login_required
def restore(slug: str, number: int) -> Response:
    account = network_required(slug)
    db = get_db()
    publication = restore_version(db, slug, number, author=account.email)
    db.commit()
    if publication is None:
        flash(f"La version {number} est déjà celle qui est publiée : rien n'a changé.", "info")
    else:
        message = (
            f"Version {number} restaurée : elle est en ligne comme version {publication.number}."
        )
        flash(message, "succes")
    return redirect(url_for("admin.network_page", slug=slug))
