"""The command line `python -m etl`: import, export, geocode, networks, versions, accounts, API
tokens and reference data; each group of commands lives in its own module."""

from __future__ import annotations

import logging
import sys

import click

from etl import directory
from etl.accounts import tokens_group, users_group
from etl.backup import backup_command
from etl.batch import geocode_command
from etl.coverage import coverage_command
from etl.db import db_group
from etl.reference import reference_group
from etl.runtime import Group, Runtime
from etl.sources import pull_command
from geodata.config import Settings


@click.group(cls=Group)
@click.option("-v", "--verbose", is_flag=True, help="Afficher le journal détaillé (en anglais).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Annuaire du parcours de soins global après cancer : import, export et géocodage."""
    settings = Settings.from_env()
    # The journal is English and for operators: users read the French messages unless asked.
    level = settings.log_level if verbose else "WARNING"
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = Runtime(settings)


for command in (
    directory.import_command,
    directory.export_command,
    directory.networks_group,
    directory.publications_group,
    directory.demo_command,
    geocode_command,
    coverage_command,
    pull_command,
    users_group,
    tokens_group,
    reference_group,
    db_group,
    backup_command,
):
    main.add_command(command)
