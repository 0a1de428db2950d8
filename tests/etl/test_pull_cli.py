"""`python -m etl pull` against a real HTTP server on loopback: what it says and its exit codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from geodata.config import Settings
from tests.helpers import HEADER, ROWS, etl
from tests.helpers.sources import SpreadsheetHost, serve_spreadsheet


@pytest.fixture
def host() -> Iterator[SpreadsheetHost]:
    with serve_spreadsheet() as served:
        served.body = ("\n".join([HEADER, *ROWS]) + "\n").encode()
        yield served


@pytest.fixture
def run(settings: Settings, engine: object) -> CliRunner:
    env = {"ANNUAIRE_SYNC_ALLOW_PRIVATE": "127.0.0.1", "ANNUAIRE_SYNC_ALLOW_HTTP": "oui"}
    runner = CliRunner(env={"DATABASE_URL": settings.database_url, **env})
    assert etl(runner, "networks", "add", "neon", "--name", "NEON").exit_code == 0
    return runner


def test_recording_a_url_pulls_and_publishes_then_says_nothing_changed(
    run: CliRunner, host: SpreadsheetHost
) -> None:
    first = etl(run, "pull", "--network", "neon", "--url", f"{host.base}/annuaire.csv")
    assert first.exit_code == 0 and "Publié : version 1" in first.stdout
    second = etl(run, "pull", "--network", "neon")
    assert second.exit_code == 0 and "Aucun changement" in second.stdout


def test_a_broken_source_exits_1_listing_its_problems(
    run: CliRunner, host: SpreadsheetHost
) -> None:
    host.body = host.body.replace(b";67000;", b";6700;")
    result = etl(run, "pull", "--network", "neon", "--url", f"{host.base}/annuaire.csv")
    assert result.exit_code == 1
    assert "rien n'a été publié" in result.stderr and "6700" in result.stderr


def test_an_unreachable_source_exits_2(run: CliRunner) -> None:
    result = etl(run, "pull", "--network", "neon", "--url", "http://127.0.0.1:9/annuaire.csv")
    assert result.exit_code == 2 and "injoignable" in result.stderr


def test_all_pulls_every_source_and_exits_with_the_worst_code(
    run: CliRunner, host: SpreadsheetHost
) -> None:
    assert etl(run, "networks", "add", "aura", "--name", "ONCO AURA").exit_code == 0
    etl(run, "pull", "--network", "neon", "--url", f"{host.base}/annuaire.csv")
    etl(run, "pull", "--network", "aura", "--url", "http://127.0.0.1:9/x.csv")
    result = etl(run, "pull", "--all")
    assert result.exit_code == 2
    assert "neon : Aucun changement" in result.stdout and "aura : " in result.stderr


def test_a_loopback_source_is_refused_without_the_setting(
    settings: Settings, engine: object, host: SpreadsheetHost
) -> None:
    runner = CliRunner(env={"DATABASE_URL": settings.database_url, "ANNUAIRE_SYNC_ALLOW_HTTP": "1"})
    etl(runner, "networks", "add", "neon", "--name", "NEON")
    result = etl(runner, "pull", "--network", "neon", "--url", f"{host.base}/annuaire.csv")
    assert result.exit_code == 2 and "pas publique" in result.stderr and host.requests == 0


def test_network_or_all_must_be_said(run: CliRunner) -> None:
    assert etl(run, "pull").exit_code == 2
