"""`python -m etl export --format data-inclusion`, on SpatiaLite and PostGIS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from data_inclusion.schema.v1 import Service, Structure  # type: ignore[import-untyped]

from geodata.config import Settings
from geodata.publishing.datainclusion import SOURCE
from tests.helpers import ROWS, directory, etl


@pytest.fixture
def run(settings: Settings, engine: object) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": settings.database_url})


def exported(run: CliRunner, *options: str) -> dict[str, list[dict[str, Any]]]:
    result = etl(run, "export", "--network", "neon", "--format", "data-inclusion", *options)
    assert result.exit_code == 0, result.output
    body: dict[str, list[dict[str, Any]]] = json.loads(result.stdout)
    for record in body["structures"]:
        Structure.model_validate(record, context={"ignore_warnings": False})
    for record in body["services"]:
        Service.model_validate(record, context={"ignore_warnings": False})
    return body


def test_export_writes_the_active_sites_as_valid_data_inclusion_records(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    body = exported(run)
    assert [s["id"] for s in body["services"]] == [
        f"{SOURCE}--neon:GE-METZ-01",
        f"{SOURCE}--neon:GE-STRAS-01",
    ], "the inactive Nancy site is left out"
    assert len(body["structures"]) == 2
    metz = body["services"][0]
    assert (metz["zone_eligibilite"], metz["code_insee"]) == (["57"], "57463")
    assert all("lien_source" not in record for record in body["structures"] + body["services"])


def test_export_links_to_the_public_map_at_the_address_given(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    body = exported(run, "--base-url", "https://annuaire.example.org")
    assert body["services"][1]["lien_source"] == (
        "https://annuaire.example.org/?reseau=neon#site-neon--GE-STRAS-01"
    )


@pytest.mark.parametrize("address", ["annuaire.example.org", "ftp://example.org", "http://[::1"])
def test_export_refuses_a_base_url_that_is_not_an_http_address(
    run: CliRunner, address: str
) -> None:
    options = ("--format", "data-inclusion", "--base-url", address)
    result = etl(run, "export", "--network", "neon", *options)
    assert result.exit_code == 2
    assert "une adresse http:// ou https:// est attendue" in result.output
