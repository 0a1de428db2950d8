"""Upload of a network's file, its preview (problems, differences, map), publish or discard."""

from __future__ import annotations

import re
from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from geodata.contract.spreadsheet import read_upload
from geodata.errors import (
    CheckTooLarge,
    ConflictError,
    GeodataError,
    ImportRejected,
    MassRemoval,
)
from geodata.publishing.importing import ImportCheck, check_file, needs_confirmation, removal
from geodata.publishing.pending import (
    PendingStatus,
    discard_pending,
    get_pending,
    publish_pending,
    save_check,
)
from geodata.publishing.problem_file import FileFormat, problems_csv
from geodata.publishing.versions import current_version, published_records
from geodata.storage.networks import get_network
from webapp.admin.auth import login_required, network_required
from webapp.admin.blueprint import bp
from webapp.admin.pages import render_network
from webapp.admin.presenters import (
    diff_view,
    field_title,
    low_precision,
    problem_rows,
    shown_sites,
    sites_map,
)
from webapp.errors import error_response, status_for
from webapp.maps import render_map
from webapp.services import get_db, get_gazetteer_service, get_geocoder, get_settings
from webapp.tiles import tile_provider

NO_FILE = "Choisissez un fichier CSV ou .xlsx avant d'envoyer."
EMPTY_FILE = "Le fichier envoyé est vide."
# The checkbox of the preview that confirms a publish removing more than half of the sites.
CONFIRM_FIELD = "confirmer_suppressions"
UNCONFIRMED = "Cochez la case qui confirme ces suppressions pour publier ce fichier."


def _unusable(check: ImportCheck) -> bool:
    """Whether the file could not be read at all (only whole-file errors, nothing to preview)."""
    return check.diff is None and bool(check.errors) and all(p.line == 0 for p in check.errors)


@bp.post("/<slug>/imports")
@login_required
def upload(slug: str) -> tuple[str, int] | Response:
    account = network_required(slug)
    upload = request.files.get("fichier")
    if upload is None or not upload.filename:
        return render_network(slug, error=NO_FILE), 400
    data = upload.read()
    if not data:
        return render_network(slug, error=EMPTY_FILE), 400
    db = get_db()
    network = get_network(db, slug)
    try:
        csv_data = read_upload(data, upload.filename)
        check = check_file(db, network, csv_data, get_gazetteer_service(), get_geocoder())
        if csv_data is not data:  # a workbook: its problems open in the spreadsheet as CSV
            check = replace(check, file_format=FileFormat())
    except GeodataError as exc:
        return render_network(slug, error=exc.message), 400
    if _unusable(check):
        messages = tuple(p.message for p in check.errors)
        return render_network(slug, error="Ce fichier ne peut pas être lu.", problems=messages), 400
    try:
        pending = save_check(
            db, network, check, author=account.email, source=upload.filename,
            keep_days=get_settings().pending_days,
        )  # fmt: skip
    except CheckTooLarge as exc:
        db.rollback()
        return render_network(slug, error=exc.message), status_for(exc)
    db.commit()
    return redirect(url_for("admin.preview", slug=slug, pending_id=pending.id))


@bp.get("/<slug>/imports/<pending_id>")
@login_required
def preview(slug: str, pending_id: str) -> str:
    network_required(slug)
    return render_preview(slug, pending_id)


def render_preview(slug: str, pending_id: str, *, error: str = "") -> str:
    db = get_db()
    network = get_network(db, slug)
    pending = get_pending(db, slug, pending_id)
    check = pending.check
    version = current_version(db, network)
    diff = None
    if check.diff is not None:
        diff = diff_view(check.diff, published_records(db, network), check.records)
    shown = shown_sites(check.records, check.diff)
    parts = None
    if shown:
        parts = render_map(sites_map(tile_provider(get_settings().tiles), shown))
    return render_template(
        "admin/preview.html",
        network=network,
        pending=pending,
        waiting=pending.status == PendingStatus.PENDING,
        stale=pending.base_version != version,
        version=version,
        problems=problem_rows(check.problems, check.teams),
        errors=len(check.errors),
        diff=diff,
        parts=parts,
        records=check.records,
        shown=shown,
        low=sum(1 for r in check.records if low_precision(r)),
        street=get_geocoder().street_level,
        max_upload_mb=get_settings().max_upload_mb,
        low_precision=low_precision,
        removal=removal(check),
        confirm=needs_confirmation(check),
        confirm_field=CONFIRM_FIELD,
        error=error,
    )


_CHARSETS = {"utf-8-sig": "utf-8", "utf-8": "utf-8", "utf-16": "utf-16", "cp1252": "windows-1252"}


def problems_filename(source: str) -> str:
    """Return the download name of a file's problems: "problemes-<its name, made safe>.csv"."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", source.rsplit(".", 1)[0]).strip("-")[:60]
    return f"problemes-{stem or 'fichier'}.csv"


@bp.get("/<slug>/imports/<pending_id>/problemes.csv")
@login_required
def problems_file(slug: str, pending_id: str) -> Response:
    """The problems of a checked file as a CSV, in the file's own encoding and delimiter."""
    network_required(slug)
    pending = get_pending(get_db(), slug, pending_id)
    check = pending.check
    fmt = check.file_format
    body = problems_csv(check.problems, check.teams, fmt, field_title)
    charset = _CHARSETS.get(fmt.encoding, "utf-8")
    response = Response(body, content_type=f"text/csv; charset={charset}")
    disposition = f'attachment; filename="{problems_filename(pending.source)}"'
    response.headers["Content-Disposition"] = disposition
    return response


@bp.post("/<slug>/imports/<pending_id>/publication")
@login_required
def publish(slug: str, pending_id: str) -> tuple[str, int] | Response:
    account = network_required(slug)
    db = get_db()
    confirmed = request.form.get(CONFIRM_FIELD) == "1"
    try:
        publication = publish_pending(
            db, slug, pending_id, author=account.email, confirmed=confirmed
        )
    except (ConflictError, ImportRejected) as exc:
        db.rollback()
        message = f"{exc.message} {UNCONFIRMED}" if isinstance(exc, MassRemoval) else exc.message
        return render_preview(slug, pending_id, error=message), status_for(exc)
    db.commit()
    if publication is None:
        flash("Le fichier est identique à l'annuaire publié : aucune nouvelle version.", "info")
    else:
        flash(f"Version {publication.number} publiée : elle est en ligne.", "succes")
    return redirect(url_for("admin.network_page", slug=slug))


@bp.post("/<slug>/imports/<pending_id>/abandon")
@login_required
def discard(slug: str, pending_id: str) -> tuple[str, int] | Response:
    account = network_required(slug)
    db = get_db()
    try:
        discard_pending(db, slug, pending_id, author=account.email)
    except ConflictError as exc:
        db.rollback()
        return render_preview(slug, pending_id, error=exc.message), status_for(exc)
    db.commit()
    flash("Le fichier a été abandonné : rien n'a changé.", "info")
    return redirect(url_for("admin.network_page", slug=slug))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[Response | str, int]:
    limit = get_settings().max_upload_mb
    message = (
        f"Le fichier dépasse la taille maximale de {limit} Mo. Enregistrez-le en CSV (plus "
        "léger qu'un classeur) sans les onglets ni les images inutiles, puis envoyez-le de nouveau."
    )
    return error_response(413, message)
