"""`python -m etl coverage`: how many people live far from a team that would accept a patient."""

from __future__ import annotations

import json
from pathlib import Path

import click

from etl.runtime import Runtime
from geodata.coverage.area import area_of
from geodata.coverage.output import to_csv, to_geojson
from geodata.coverage.study import CoverageRequest, Study, check_km, check_profile, study_coverage
from geodata.coverage.summary import NOTICE, Figures, commune_label
from geodata.reference.gazetteer import get_gazetteer

FORMATS = ("text", "csv", "geojson")


@click.command("coverage")
@click.option("--cancer", required=True, help="Code du cancer (sein, digestif...).")
@click.option("--age", type=click.IntRange(0, 120), required=True, help="Âge du patient.")
@click.option("--soins", default="", help="Soins demandés, codes séparés par des virgules.")
@click.option("--network", "networks", multiple=True, help="Réseau (slug) : ses sites seulement.")
@click.option("--region", default="", help="Code de la région (44 : Grand Est).")
@click.option("--departement", "departments", multiple=True, help="Code d'un département.")
@click.option("--km", type=float, default=30.0, show_default=True, help="Distance de référence.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Fichier écrit.")
@click.option(
    "--candidate", "candidates", multiple=True, help='Site candidat : "COMMUNE" ou "LAT,LON".'
)
@click.pass_obj
def coverage_command(
    runtime: Runtime,
    cancer: str,
    age: int,
    soins: str,
    networks: tuple[str, ...],
    region: str,
    departments: tuple[str, ...],
    km: float,
    output_format: str,
    output: Path | None,
    candidates: tuple[str, ...],
) -> None:
    """Calcule la couverture : distance de chaque commune au site éligible le plus proche."""
    gazetteer = get_gazetteer()
    request = CoverageRequest(
        check_profile(cancer, age, [code.strip() for code in soins.split(",") if code.strip()]),
        area_of(gazetteer, region, departments),
        check_km(km),
        networks,
        candidates,
    )
    with runtime.transaction() as session:
        study = study_coverage(session, gazetteer, request)
    text = _render(study, output_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Écrit : {output} ({len(study.nearest.communes)} communes).", err=True)


def _render(study: Study, output_format: str) -> str:
    if output_format == "csv":
        return to_csv(study)
    if output_format == "geojson":
        return json.dumps(to_geojson(study), ensure_ascii=False) + "\n"
    return "\n".join(_text_lines(study)) + "\n"


def _text_lines(study: Study) -> list[str]:
    request, summary = study.request, study.summary
    profile = request.profile
    soins = ", ".join(profile.soins) or "aucun soin précisé"
    lines = [
        f"Couverture : {request.area.label}, cancer {profile.cancer}, {profile.age} ans, {soins}.",
        f"Sites éligibles : {len(study.nearest.sites)}. Distance de référence : {request.km:g} km.",
        NOTICE,
        "",
        f"{'Département':<28} {'Population':>11} {'À moins':>11} {'Au-delà':>11} {'Sans site':>10}",
    ]
    lines += [_figures_line(f"{f.name} ({f.code})", f) for f in summary.departments]
    lines.append(_figures_line("Total", summary.total))
    if study.before is not None:
        lines += ["", _what_if_line(study)]
    lines += ["", f"Communes les plus peuplées au-delà de {request.km:g} km :"]
    for index in summary.farthest:
        commune = study.nearest.communes[index]
        distance = study.nearest.distance_km[index]
        where = "aucun site éligible" if distance != distance else f"{distance:.1f} km"
        lines.append(f"  {commune_label(commune):<40} {commune.population:>9}  {where}")
    return lines


def _figures_line(label: str, figures: Figures) -> str:
    share = f"{figures.share_beyond:.0%}"
    return (
        f"{label[:28]:<28} {figures.population:>11} {figures.within:>11} "
        f"{figures.beyond:>11} {figures.without:>10}  ({share} au-delà)"
    )


def _what_if_line(study: Study) -> str:
    before = study.before
    assert before is not None
    gained = study.summary.total.within - before.total.within
    return (
        f"Avec les sites candidats : {gained} habitants de plus à moins de "
        f"{study.request.km:g} km ; {len(study.changed)} communes ont un site candidat pour "
        "site le plus proche."
    )
