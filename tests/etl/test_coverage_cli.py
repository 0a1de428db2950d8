"""`python -m etl coverage` in its three formats, on both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.config import Settings
from geodata.coverage.output import CSV_COLUMNS
from tests.helpers.cli import ROWS, directory, etl

ARGS = ("coverage", "--cancer", "sein", "--age", "54", "--departement", "67")


@pytest.fixture
def run(settings: Settings, engine: object, tmp_path: Path) -> CliRunner:
    runner = CliRunner(env={"DATABASE_URL": settings.database_url})
    assert etl(runner, "import", directory(tmp_path, ROWS), "--network", "neon").exit_code == 0
    return runner


def test_the_text_summary_gives_the_figures_and_says_how_distances_are_measured(
    run: CliRunner,
) -> None:
    result = etl(run, *ARGS, "--km", "20")
    assert result.exit_code == 0, result.output
    assert "Bas-Rhin (67)" in result.stdout and "Total" in result.stdout
    assert "vol d'oiseau" in result.stdout and "INSEE" in result.stdout
    assert "Communes les plus peuplées au-delà de 20 km" in result.stdout


def test_the_csv_has_one_row_per_commune_with_its_nearest_site(run: CliRunner) -> None:
    result = etl(run, *ARGS, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert tuple(rows[0].keys()) == CSV_COLUMNS and len(rows) > 500
    strasbourg = next(row for row in rows if row["code_insee"] == "67482")
    assert strasbourg["identifiant"] == "GE-STRAS-01" and strasbourg["reseau"] == "neon"
    assert float(strasbourg["distance_km"]) < 1


def test_the_geojson_holds_the_outlines_with_the_figures_and_the_notice(
    run: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "couverture.geojson"
    result = etl(run, *ARGS, "--format", "geojson", "--output", out)
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert "vol d'oiseau" in collection["notice"]
    features = {f["properties"]["code_insee"]: f for f in collection["features"]}
    assert features["67482"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features["67482"]["properties"]["identifiant"] == "GE-STRAS-01"


def test_a_candidate_shows_how_many_more_people_it_would_bring_within_reach(
    run: CliRunner,
) -> None:
    result = etl(run, *ARGS, "--candidate", "67600 Sélestat")
    assert result.exit_code == 0, result.output
    assert "Avec les sites candidats" in result.stdout


def test_an_unknown_department_is_a_french_error(run: CliRunner) -> None:
    result = etl(run, "coverage", "--cancer", "sein", "--age", "54", "--departement", "99")
    assert result.exit_code == 1 and "Département inconnu" in result.stderr
