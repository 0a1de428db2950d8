"""A published version of a network's directory: what it changed, and restoring it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from geodata.errors import StaleCheck
from geodata.publishing.diff import diff_records
from geodata.publishing.pending import restore_version
from geodata.publishing.versions import (
    MAX_VERSION,
    current_version,
    list_publications,
    publication_records,
    restoration,
)
from geodata.storage.models import Publication
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


SEEN_FIELD = "version_en_ligne"
MOVED_ON = (
    "Une autre version (n° {current}) a été publiée pendant que vous regardiez : voici ce que la "
    "restauration changerait maintenant. Vérifiez-le, puis confirmez de nouveau."
)


def render_restoration(slug: str, number: int, *, error: str = "") -> str:
    """The confirmation of a restore: what it changes in the published directory."""
    db = get_db()
    network = get_network(db, slug)
    planned = restoration(db, network, number)
    return render_template(
        "admin/restore.html",
        network=network,
        number=number,
        current=planned.current,
        diff=diff_view(planned.diff, planned.published, planned.restored),
        total=len(planned.restored),
        seen_field=SEEN_FIELD,
        error=error,
    )


def _seen() -> int | None:
    value = request.form.get(SEEN_FIELD, "")
    return int(value) if value.isdigit() and len(value) < 11 else None


# One rule for both methods: with two, a number past MAX_VERSION would get a 405, not a 404.
@bp.route(f"/<slug>/versions/<int(max={MAX_VERSION}):number>/restauration", methods=["GET", "POST"])
@login_required
def restore(slug: str, number: int) -> str | tuple[str, int] | Response:
    """Show what restoring a version changes; restore it once that page confirms it."""
    account = network_required(slug)
    seen = _seen() if request.method == "POST" else None
    if seen is None:  # a visit, or a form that did not come from the confirmation
        if request.method == "POST":
            return redirect(url_for("admin.restore", slug=slug, number=number), code=303)
        return render_restoration(slug, number)
    db = get_db()
    try:
        publication = restore_version(db, slug, number, author=account.email, seen=seen)
    except StaleCheck:
        db.rollback()
        current = current_version(db, get_network(db, slug))
        return render_restoration(slug, number, error=MOVED_ON.format(current=current)), 409
    db.commit()
    flash(_restored_message(number, publication), "info" if publication is None else "succes")
    return redirect(url_for("admin.network_page", slug=slug))


def _restored_message(number: int, publication: Publication | None) -> str:
    if publication is None:
        return f"La version {number} est déjà celle qui est publiée : rien n'a changé."
    return f"Version {number} restaurée : elle est en ligne comme version {publication.number}."
