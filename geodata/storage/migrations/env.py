"""Alembic's environment: migrations run on the connection `geodata.storage.schema` hands over.

There is no alembic.ini: the configuration is built in code, on the project's engines (which load
SpatiaLite on connect), so `python -m etl db ...` is the only way in.
"""

from __future__ import annotations

from alembic import context
from geoalchemy2.alembic_helpers import render_item, writer

from geodata.storage.models import Base
from geodata.storage.schema import include_object

# `include_object` hides SpatiaLite's and PostGIS's own tables from autogenerate; GeoAlchemy2's
# helpers render geometry types and rewrite table and column operations into their spatial versions
# (RecoverGeometryColumn, CreateSpatialIndex on SpatiaLite).
context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    include_object=include_object,
    render_item=render_item,
    process_revision_directives=writer,
)
with context.begin_transaction():
    context.run_migrations()
