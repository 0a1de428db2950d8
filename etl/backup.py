"""Command `backup FILE`: a consistent copy of the embedded SQLite database."""

from __future__ import annotations

from pathlib import Path

import click

from etl.runtime import Runtime
from geodata.storage.backup import backup_sqlite


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(runtime: Runtime, file: Path) -> None:
    """Copier la base SQLite dans FILE, sans arrêter l'application (PostgreSQL : pg_dump)."""
    size = backup_sqlite(runtime.settings, file)
    click.echo(f"Sauvegarde écrite : {file} ({size / 1e6:.1f} Mo).")
