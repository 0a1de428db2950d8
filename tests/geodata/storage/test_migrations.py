"""The Alembic revisions, on SpatiaLite and PostGIS: they give exactly the models' schema (which
is why `create_schema` may use `create_all` on an empty database), run once, and take over a
database that an earlier version created with `create_all`, data included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, func, inspect, select, text

from geodata.config import Settings
from geodata.contract.records import SiteRecord
from geodata.errors import ConfigurationError
from geodata.publishing.versions import publish
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from geodata.storage.models import Base, Network, Publication, Site, User
from geodata.storage.networks import ensure_network
from geodata.storage.schema import (
    head_revision,
    include_object,
    require_current_schema,
    schema_state,
    upgrade_schema,
)
from tests.helpers import create_tables_the_old_way, site

# The PostGIS-only geography index cannot be compared on SpatiaLite; `spatial_indexes` checks it.
pytestmark = pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified")


@pytest.fixture
def empty(settings: Settings) -> Iterator[Engine]:
    """An engine on a database holding none of our tables and no revision."""
    engine = make_engine(settings)
    drop_schema(engine)
    yield engine
    drop_schema(engine)
    engine.dispose()


def differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        return list(compare_metadata(context, Base.metadata))


def spatial_indexes(connection: Connection) -> list[tuple[Any, ...]]:
    """The spatial indexes, which autogenerate leaves out (see schema.include_object)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT f_table_name, f_geometry_column, geometry_type, srid, spatial_index_enabled"
        return [tuple(r) for r in connection.execute(text(f"{query} FROM geometry_columns"))]
    query = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sites' ORDER BY 1"
    return [tuple(r) for r in connection.execute(text(query))]


def fingerprint(engine: Engine) -> dict[str, Any]:
    """Tables, columns, indexes and constraints as the database reports them."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        tables = sorted(t.name for t in Base.metadata.sorted_tables)
        found: dict[str, Any] = {"spatial": spatial_indexes(connection)}
        for name in tables:
            columns = [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
            ]
            indexes = sorted((i["name"], tuple(i["column_names"]), i["unique"])
                             for i in inspector.get_indexes(name))  # fmt: skip
            uniques = sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)
            )
            keys = sorted((tuple(k["constrained_columns"]), k["referred_table"], str(k["options"]))
                          for k in inspector.get_foreign_keys(name))  # fmt: skip
            found[name] = (columns, indexes, uniques, keys)
        return found


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(empty: Engine) -> None:
    upgrade_schema(empty)
    assert differences(empty) == []
    with empty.connect() as connection:
        indexes = spatial_indexes(connection)
    if empty.dialect.name == "sqlite":
        assert indexes == [("sites", "geom", 1, 4326, 1)]  # 1 = POINT, R*Tree enabled
    else:
        names = [name for name, _definition in indexes]
        assert {"idx_sites_geom", "ix_sites_geography"} <= set(names)


def test_the_revisions_and_create_all_give_the_same_database(empty: Engine) -> None:
    upgrade_schema(empty)
    migrated = fingerprint(empty)
    drop_schema(empty)
    create_schema(empty)
    assert fingerprint(empty) == migrated
    assert schema_state(empty).current == head_revision()


def test_upgrading_twice_changes_nothing(empty: Engine) -> None:
    first = upgrade_schema(empty)
    again = upgrade_schema(empty)
    assert first.changed and first.before.current is None
    assert not again.changed
    assert again.before.current == again.after == head_revision()


def test_create_schema_on_an_empty_database_stamps_the_head(empty: Engine) -> None:
    create_schema(empty)
    require_current_schema(empty)
    assert differences(empty) == []


def _fill(engine: Engine) -> None:
    with session_factory(engine)() as session, session.begin():
        network = ensure_network(session, "neon", "NEON")
        records: list[SiteRecord] = [site("GE-STRAS-01"), site("GE-STRAS-02", nom="Deux")]
        publish(session, network, records, author="test")
        # The users table as the baseline has it: the models have columns added since.
        session.execute(
            text(
                "INSERT INTO users (email, password_hash, network_id, is_admin, created_at) "
                "VALUES ('ed@example.org', 'scrypt:x', :network, false, CURRENT_TIMESTAMP)"
            ),
            {"network": network.id},
        )


def _counts(engine: Engine) -> dict[str, int]:
    with session_factory(engine)() as session:
        models = (Network, Site, Publication, User)
        return {
            m.__name__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models
        }


def test_a_database_created_before_the_migrations_is_stamped_and_keeps_its_data(
    empty: Engine,
) -> None:
    create_tables_the_old_way(empty)
    _fill(empty)
    before = _counts(empty)
    with pytest.raises(ConfigurationError, match="python -m etl db upgrade"):
        require_current_schema(empty)
    upgrade = upgrade_schema(empty)
    assert upgrade.before.created_before_migrations
    assert schema_state(empty).current == head_revision()
    assert _counts(empty) == before == {"Network": 1, "Site": 2, "Publication": 1, "User": 1}
    assert differences(empty) == []


def test_an_empty_database_is_refused_naming_the_upgrade_command(empty: Engine) -> None:
    with pytest.raises(ConfigurationError, match=r"vide.*python -m etl db upgrade"):
        require_current_schema(empty)


def test_a_revision_unknown_to_the_code_is_refused_and_left_alone(empty: Engine) -> None:
    create_schema(empty)
    with empty.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    for check in (require_current_schema, upgrade_schema):
        with pytest.raises(ConfigurationError, match="ffff, inconnue"):
            check(empty)
    assert schema_state(empty).current == "ffff"
