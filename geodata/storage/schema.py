"""The schema's version: Alembic migrations (`migrations/`) driven from code on our engines.

`upgrade_schema` brings any database to the head revision (`python -m etl db upgrade`); the app
and the command line only check it with `require_current_schema`, so a model change reaches an
existing database through a revision instead of being silently missing.

`create_schema` takes a shortcut on an empty database: `create_all`, then stamp the head. Tests
and benchmarks create hundreds of databases, and replaying every revision would cost more each
time a revision is added; tests/geodata/storage/test_migrations.py proves that the revisions
give exactly the models' schema, so both roads lead to the same database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers
from sqlalchemy import Connection, Engine, MetaData, Table, inspect, text

from geodata.errors import ConfigurationError
from geodata.storage.models import Base, Network

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UPGRADE_COMMAND = "python -m etl db upgrade"
# The schema that versions before the migrations created with `create_all`: a database holding
# its tables but no `alembic_version` is stamped here, then upgraded.
BASELINE = "0001"
VERSION_TABLE = "alembic_version"
# SpatiaLite's own tables that GeoAlchemy2's filter does not know (it hides geometry_columns,
# spatial_ref_sys, idx_*...): autogenerate would otherwise propose to drop them.
SPATIALITE_TABLES = frozenset(
    {"SpatialIndex", "ElementaryGeometries", "KNN", "KNN2", "data_licenses", "sql_statements_log"}
)


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: its revision (None if never stamped) and the code's head."""

    current: str | None
    head: str
    has_tables: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def created_before_migrations(self) -> bool:
        return self.current is None and self.has_tables


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade_schema` did, for the command line to tell."""

    before: SchemaState
    after: str

    @property
    def changed(self) -> bool:
        return self.before.current != self.after


# GeoAlchemy2's filter of its extensions' tables (untyped there).
_GEOALCHEMY_FILTER: Callable[..., bool] = alembic_helpers.include_object


def include_object(
    obj: object, name: str | None, obj_type: str, reflected: bool, compare_to: object
) -> bool:
    """Tell autogenerate which objects are ours: not the spatial extensions' tables.

    Nor the spatial index of a geometry column: GeoAlchemy2 adds it to and removes it from the
    metadata while creating tables, so comparing it depends on what ran before in the process.
    The revisions create it (`create_geospatial_index`) and the tests check that it exists.
    """
    if obj_type == "table" and name in SPATIALITE_TABLES:
        return False
    if obj_type == "index" and name in _spatial_index_names():
        return False
    return _GEOALCHEMY_FILTER(obj, name, obj_type, reflected, compare_to)


def _spatial_index_names() -> set[str]:
    return {
        f"idx_{table.name}_{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if getattr(column.type, "spatial_index", False)
    }


def alembic_config(connection: Connection | None = None) -> Config:
    """Return Alembic's configuration, built in code (no alembic.ini), on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Revision files must be importable module names for mypy: no leading digit.
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    """The revisions, read once per process (they are code, like the models)."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the migrations folder holds no revision"
    return head


def _state(connection: Connection) -> SchemaState:
    current = MigrationContext.configure(connection).get_current_revision()
    has_tables = inspect(connection).has_table(Network.__tablename__)
    return SchemaState(current, head_revision(), has_tables)


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        return _state(connection)


def _create_extension(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))


def upgrade_schema(engine: Engine) -> Upgrade:
    """Bring the database to the head revision, in one transaction; a no-op when it is there.

    A database created by `create_all` before the migrations existed is stamped at the
    baseline (which is that very schema) rather than created again.
    """
    with engine.begin() as connection:
        before = _state(connection)
        if before.current is not None and not _known(before.current):
            raise _unknown_revision(before.current)
        _create_extension(connection)
        config = alembic_config(connection)
        if before.created_before_migrations:
            log.info("tables without a revision: stamping the baseline %s", BASELINE)
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
    log.info("schema at revision %s on %s", before.head, engine.dialect.name)
    return Upgrade(before, before.head)


def _known(revision: str) -> bool:
    return any(script.revision == revision for script in _scripts().walk_revisions())


def _unknown_revision(revision: str) -> ConfigurationError:
    return ConfigurationError(
        f"la base de données porte la version {revision}, inconnue de ce code : a-t-elle été "
        "mise à jour par une version plus récente de l'application ?",
        setting="database_url",
        current=revision,
    )


def require_current_schema(engine: Engine) -> None:
    """Raise ConfigurationError naming the upgrade command unless the database is at head."""
    state = schema_state(engine)
    if state.up_to_date:
        return
    if state.current is not None and not _known(state.current):
        raise _unknown_revision(state.current)
    if state.current is None and not state.has_tables:
        message = f"la base de données est vide : créez son schéma avec « {UPGRADE_COMMAND} »."
    else:
        shown = state.current or "antérieure aux migrations"
        message = (
            f"la base de données n'est pas à jour (version {shown}, attendue {state.head}) : "
            f"lancez « {UPGRADE_COMMAND} »."
        )
    raise ConfigurationError(message, setting="database_url", current=state.current)


def create_schema(engine: Engine) -> None:
    """Create the schema of an empty database at once (create_all, stamped at head), or upgrade.

    See the module's docstring for why an empty database skips the revisions.
    """
    with engine.begin() as connection:
        state = _state(connection)
        if state.current is None and not state.has_tables:
            _create_extension(connection)
            create_tables(connection)
            MigrationContext.configure(connection).stamp(_scripts(), "head")
            return
    upgrade_schema(engine)


def create_tables(connection: Connection) -> None:
    """`create_all`, leaving the shared metadata's indexes as they were.

    GeoAlchemy2's SpatiaLite events take the geometry's spatial index out of `table.indexes`
    for good; a later PostGIS `create_all` in the same process (the tests run both) would then
    skip the GiST index on `geom`.
    """
    indexes = {table: set(table.indexes) for table in Base.metadata.tables.values()}
    try:
        Base.metadata.create_all(connection)
    finally:
        for table, kept in indexes.items():
            table.indexes = kept


def drop_schema(engine: Engine) -> None:
    """Drop every table and the revision stamp (tests and benchmarks start afresh with it)."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        Table(VERSION_TABLE, MetaData()).drop(connection, checkfirst=True)
