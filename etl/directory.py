"""Commands on the networks' directories: import, export, networks, versions, the demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from sqlalchemy.orm import Session

from etl.report import echo_check, progress_bar
from etl.runtime import Runtime, fail
from geodata.accounts.audit import COMMAND_LINE, Action, record
from geodata.contract.spreadsheet import read_upload
from geodata.errors import MassRemoval, UnreadableFile
from geodata.geocoding import make_geocoder
from geodata.publishing.datainclusion import network_data_inclusion
from geodata.publishing.export import to_csv, to_geojson
from geodata.publishing.importing import (
    ImportCheck,
    check_file,
    needs_confirmation,
    publish_check,
    removal,
)
from geodata.publishing.pending import lock_network, restore_version
from geodata.publishing.versions import current_version, list_publications, published_records
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.models import Network, Publication
from geodata.storage.networks import add_network, ensure_network, get_network, list_networks

# Above this many rows the import shows a progress bar (on a terminal).
PROGRESS_ROWS = 2000
MASS_REMOVAL_FLAG = "--allow-mass-removal"
EXPORT_FORMATS = ("csv", "geojson", "data-inclusion")
DEMO_DIR = Path(__file__).resolve().parent.parent / "geodata" / "data" / "demo"
DEMO_NETWORKS = {
    "neon": "NEON — Grand Est (démonstration)",
    "onco-aura": "ONCO AURA — Auvergne-Rhône-Alpes (démonstration)",
}


def _echo_dry_run(check: ImportCheck) -> None:
    click.echo("Vérification seule (--dry-run) : rien n'a été publié.")
    if needs_confirmation(check):
        removed, total = removal(check)
        click.echo(
            f"Attention : ce fichier retire {removed} des {total} structures publiées ; "
            f"pour le publier, ajoutez {MASS_REMOVAL_FLAG}."
        )


def _publish(
    session: Session, network: Network, check: ImportCheck, source: str, confirmed: bool
) -> Publication | None:
    """Publish the check under the network's lock, or exit naming the flag a mass removal needs."""
    lock_network(session, network)
    try:
        return publish_check(
            session, network, check, author=COMMAND_LINE, source=source, confirmed=confirmed
        )
    except MassRemoval as exc:
        session.rollback()
        fail(f"{exc.message} Pour les retirer, relancez avec {MASS_REMOVAL_FLAG}.")


def _import(runtime: Runtime, data: bytes, slug: str, name: str | None, **options: Any) -> None:
    dry_run, source = options["dry_run"], options["source"]
    confirmed = options.get("allow_mass_removal", False)
    with runtime.transaction() as session:
        network = ensure_network(session, slug, name)
        geocoder = make_geocoder(runtime.settings)
        lines = data.count(b"\n")
        with progress_bar(lines, lines > PROGRESS_ROWS or geocoder.street_level) as progress:
            check = check_file(session, network, data, get_gazetteer(), geocoder, progress)
        echo_check(check)
        if not check.ok:
            session.rollback()
            fail(f"{len(check.errors)} erreur(s) : rien n'a été publié.")
        if dry_run:
            session.rollback()
            _echo_dry_run(check)
            return
        publication = _publish(session, network, check, source, confirmed)
        number = publication.number if publication is not None else None
        changes = check.diff.summary() if check.diff else ""
        details = {"fichier": source, "version": number, "changements": changes}
        record(session, COMMAND_LINE, Action.PUBLICATION, slug, details)
    if publication is None:
        click.echo(f"Aucun changement : l'annuaire « {slug} » reste tel quel.")
    else:
        click.echo(f"Publié : version {publication.number} de l'annuaire « {slug} ».")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--network", "slug", required=True, help="Identifiant du réseau (ex. neon).")
@click.option("--name", help="Nom du réseau, s'il faut le créer.")
@click.option("--dry-run", is_flag=True, help="Vérifier et comparer sans rien publier.")
@click.option(
    MASS_REMOVAL_FLAG,
    is_flag=True,
    help="Publier même si le fichier retire plus de la moitié des structures publiées.",
)
@click.pass_obj
def import_command(
    runtime: Runtime,
    file: Path,
    slug: str,
    name: str | None,
    dry_run: bool,
    allow_mass_removal: bool,
) -> None:
    """Vérifier, géocoder, comparer puis publier FILE, CSV ou .xlsx (tout ou rien)."""
    try:
        data = read_upload(file.read_bytes(), file.name)
    except UnreadableFile as exc:
        fail(f"{exc.message} Le fichier est refusé : rien n'a été publié.")
    options = {"dry_run": dry_run, "allow_mass_removal": allow_mass_removal}
    _import(runtime, data, slug, name, source=file.name, **options)


def _base_url(context: click.Context, parameter: click.Parameter, value: str) -> str:
    """Accept an empty value or an http(s) address with a host (the links of data·inclusion)."""
    try:
        parts = urlsplit(value)
    except ValueError:  # a malformed address, such as "http://[::1"
        parts = urlsplit("")
    if value and (parts.scheme not in ("http", "https") or not parts.hostname):
        raise click.BadParameter("une adresse http:// ou https:// est attendue.")
    return value


@click.command("export")
@click.option("--network", "slug", required=True, help="Identifiant du réseau.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv")
@click.option(
    "--base-url",
    default="",
    callback=_base_url,
    help="Adresse publique de l'annuaire (ex. https://annuaire.example.org) : les liens "
    "« lien_source » du format data-inclusion y mènent ; sans elle, ils sont omis.",
)
@click.pass_obj
def export_command(runtime: Runtime, slug: str, fmt: str, base_url: str) -> None:
    """Écrire l'annuaire publié sur la sortie standard (CSV du contrat, GeoJSON ou
    data·inclusion)."""
    with runtime.transaction() as session:
        network = get_network(session, slug)
        if fmt == "data-inclusion":
            body = network_data_inclusion(session, network, base_url)
            click.echo(json.dumps(body, ensure_ascii=False, indent=1))
            return
        records = published_records(session, network)
    if fmt == "csv":
        click.echo(to_csv(records), nl=False)
    else:
        click.echo(json.dumps(to_geojson(records), ensure_ascii=False, indent=1))


@click.group("networks")
def networks_group() -> None:
    """Gérer les réseaux régionaux."""


@networks_group.command("add")
@click.argument("slug")
@click.option("--name", required=True, help="Nom affiché du réseau.")
@click.pass_obj
def networks_add(runtime: Runtime, slug: str, name: str) -> None:
    """Créer le réseau SLUG."""
    with runtime.transaction() as session:
        add_network(session, slug, name)
    click.echo(f"Réseau « {slug} » créé.")


@networks_group.command("list")
@click.pass_obj
def networks_list(runtime: Runtime) -> None:
    """Lister les réseaux."""
    with runtime.transaction() as session:
        for network in list_networks(session):
            click.echo(f"{network.slug}\t{network.name}")


@click.group("publications")
def publications_group() -> None:
    """Lister ou restaurer les versions publiées d'un annuaire."""


@publications_group.command("list")
@click.option("--network", "slug", required=True)
@click.pass_obj
def publications_list(runtime: Runtime, slug: str) -> None:
    """Lister les versions, la plus récente d'abord."""
    with runtime.transaction() as session:
        for p in list_publications(session, get_network(session, slug)):
            when = p.created_at.strftime("%Y-%m-%d %H:%M")
            counts = f"+{p.added} ~{p.changed} -{p.removed} ({p.total} lieux)"
            click.echo(f"{p.number}\t{when}\t{counts}\t{p.note or p.source}")


@publications_group.command("restore")
@click.argument("number", type=int)
@click.option("--network", "slug", required=True)
@click.pass_obj
def publications_restore(runtime: Runtime, number: int, slug: str) -> None:
    """Republier la version NUMBER comme nouvelle version."""
    with runtime.transaction() as session:
        publication = restore_version(session, slug, number, author=COMMAND_LINE)
    if publication is None:
        click.echo(f"La version {number} est déjà celle qui est publiée.")
    else:
        click.echo(f"Version {number} restaurée : c'est la version {publication.number}.")


def _published_slugs(runtime: Runtime) -> list[str]:
    """Return the slugs of the networks that have published at least one version."""
    with runtime.transaction() as session:
        return [n.slug for n in list_networks(session) if current_version(session, n) > 0]


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Ne rien faire (sans erreur) si la base contient déjà un annuaire publié.",
)
@click.pass_obj
def demo_command(runtime: Runtime, if_empty: bool) -> None:
    """Charger l'annuaire fictif de démonstration (NEON et ONCO AURA) dans une base qui n'a
    encore rien publié pour ces réseaux : il ne remplace jamais un annuaire réel."""
    published = _published_slugs(runtime)
    if if_empty and published:
        click.echo("Démonstration non chargée : la base contient déjà des annuaires publiés.")
        return
    taken = [slug for slug in DEMO_NETWORKS if slug in published]
    if taken:
        names = " et ".join(f"« {slug} »" for slug in taken)
        whose = "du réseau" if len(taken) == 1 else "des réseaux"
        fail(
            f"rien n'a été modifié : la démonstration remplacerait l'annuaire publié {whose} "
            f"{names}. Chargez-la dans une autre base (DATABASE_URL)."
        )
    for slug, name in DEMO_NETWORKS.items():
        path = DEMO_DIR / f"{slug}.csv"
        _import(runtime, path.read_bytes(), slug, name, dry_run=False, source=path.name)
