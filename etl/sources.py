"""`python -m etl pull`: fetch networks' published spreadsheets and publish what changed.

Exit codes: 0 published or unchanged, 1 refused (errors, or too many removals: kept pending
for an editor), 2 could not fetch; with --all, the worst of them.
"""

from __future__ import annotations

import sys

import click

from etl.report import echo_problems
from etl.runtime import Runtime, fail
from geodata.geocoding import make_geocoder
from geodata.publishing.pull import (
    Outcome,
    PullContext,
    PullResult,
    fetch_rules,
    list_sources,
    pull,
    set_source,
)
from geodata.reference.gazetteer import get_gazetteer

EXIT_CODES = {
    Outcome.PUBLISHED: 0,
    Outcome.UNCHANGED: 0,
    Outcome.REFUSED: 1,
    Outcome.UNREACHABLE: 2,
}


@click.command("pull")
@click.option("--network", "slug", help="Réseau dont lire la source (ex. neon).")
@click.option("--url", help="Adresse du tableur publié, enregistrée comme source du réseau.")
@click.option("--all", "every", is_flag=True, help="Lire la source de chaque réseau qui en a une.")
@click.pass_obj
def pull_command(runtime: Runtime, slug: str | None, url: str | None, every: bool) -> None:
    """Lit le tableur publié d'un réseau et publie ses changements."""
    if every == bool(slug) or (every and url):
        fail("indiquez --network SLUG (avec --url pour enregistrer la source) ou --all.", 2)
    if url and slug:
        with runtime.transaction() as session:
            set_source(session, slug, url)
        click.echo(f"Source enregistrée pour « {slug} ».", err=True)
    slugs = [slug] if slug else _slugs(runtime)
    codes = [EXIT_CODES[_pull_one(runtime, name).outcome] for name in slugs]
    sys.exit(max(codes, default=0))


def _slugs(runtime: Runtime) -> list[str]:
    with runtime.transaction() as session:
        return [source.slug for source in list_sources(session)]


def _pull_one(runtime: Runtime, slug: str) -> PullResult:
    context = PullContext(
        fetch_rules(runtime.settings),
        get_gazetteer(),
        make_geocoder(runtime.settings),
        runtime.settings.pending_days,
    )
    with runtime.transaction() as session:
        result = pull(session, slug, context)
    click.echo(f"{slug} : {result.message}", err=EXIT_CODES[result.outcome] > 0)
    if result.problems:
        echo_problems(list(result.problems))
    return result
