from __future__ import annotations

from pathlib import Path

import pytest
from flask import request
from sqlalchemy import Engine, inspect

from geodata.config import Settings
from geodata.errors import ConfigurationError
from geodata.storage.engine import drop_schema, make_engine
from tests.helpers import create_tables_the_old_way, schema_ready_url
from webapp import create_app


def test_healthz_answers_ok_on_each_database(settings: Settings, engine: Engine) -> None:
    app = create_app({"database_url": settings.database_url, "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_without_a_configured_key_each_instance_signs_with_its_own_random_key(
    tmp_path: Path,
) -> None:
    url = schema_ready_url(tmp_path)
    first = create_app({"database_url": url, "instance_path": tmp_path / "one"})
    again = create_app({"database_url": url, "instance_path": tmp_path / "one"})
    other = create_app({"database_url": url, "instance_path": tmp_path / "two"})
    assert first.secret_key == again.secret_key != other.secret_key
    assert len(str(first.secret_key)) >= 40
    assert (tmp_path / "one" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_configured_key_is_used_as_it_is(tmp_path: Path) -> None:
    url = schema_ready_url(tmp_path)
    app = create_app({"database_url": url, "instance_path": tmp_path, "secret_key": "k" * 40})
    assert app.secret_key == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_proxy(tmp_path: Path) -> None:
    url = schema_ready_url(tmp_path)
    app = create_app({"database_url": url, "instance_path": tmp_path, "proxies": 1})

    @app.get("/test-address")
    def address() -> str:
        return request.remote_addr or ""

    headers = {"X-Forwarded-For": "203.0.113.7"}
    assert app.test_client().get("/test-address", headers=headers).text == "203.0.113.7"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ANNUAIRE_TILES", "google"),
        ("ANNUAIRE_MAX_UPLOAD_MB", "5.5"),
        ("ANNUAIRE_LOGIN_RATE_LIMIT", "cinq par minute"),
        ("ANNUAIRE_SYNC_RATE_LIMIT", "trente"),
        ("ANNUAIRE_RATELIMIT_STORAGE", "memcached://localhost"),
    ],
)
def test_a_bad_setting_stops_the_app_at_start_up_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        create_app({"database_url": schema_ready_url(tmp_path)})


def test_a_bad_tile_provider_given_in_code_stops_the_app_too(tmp_path: Path) -> None:
    url = schema_ready_url(tmp_path)
    with pytest.raises(ConfigurationError, match="ANNUAIRE_TILES"):
        create_app({"database_url": url, "instance_path": tmp_path, "tiles": "google"})


@pytest.mark.parametrize("url", ["foo", "mysql://localhost/annuaire"])
def test_an_unusable_database_url_stops_the_app_naming_the_variable(url: str) -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app({"database_url": url})


def test_the_app_refuses_an_empty_database_naming_the_upgrade_command(settings: Settings) -> None:
    engine = make_engine(settings)
    drop_schema(engine)
    engine.dispose()
    with pytest.raises(ConfigurationError, match=r"vide.*« python -m etl db upgrade »"):
        create_app({"database_url": settings.database_url, "TESTING": True})


def test_the_app_refuses_a_database_behind_the_code_and_changes_nothing(
    settings: Settings,
) -> None:
    engine = make_engine(settings)
    drop_schema(engine)
    create_tables_the_old_way(engine)
    with pytest.raises(ConfigurationError, match=r"pas à jour.*« python -m etl db upgrade »"):
        create_app({"database_url": settings.database_url, "TESTING": True})
    assert not inspect(engine).has_table("alembic_version")
    engine.dispose()
