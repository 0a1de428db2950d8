"""Baseline: the schema that `create_all` made before the migrations existed.

A database created that way (tables, no `alembic_version`) is stamped at this revision by
`geodata.storage.schema.upgrade_schema` instead of being created again.

Revision ID: 0001
Revises:
Created: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_api_tokens_prefix"), "api_tokens", ["prefix"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_network_at", "audit_log", ["network_id", "at"], unique=False)
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("check_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network_id", "number"),
    )
    op.create_geospatial_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("structure_porteuse", sa.String(length=200), nullable=False),
        sa.Column("adresse", sa.String(length=300), nullable=False),
        sa.Column("code_postal", sa.String(length=5), nullable=False),
        sa.Column("commune", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("telephone", sa.String(length=30), nullable=False),
        sa.Column("courriel", sa.String(length=254), nullable=False),
        sa.Column("site_web", sa.String(length=500), nullable=False),
        sa.Column("cancers", sa.String(length=200), nullable=False),
        sa.Column("publics", sa.String(length=100), nullable=False),
        sa.Column("soins", sa.String(length=100), nullable=False),
        sa.Column("zone", sa.Text(), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("precisions", sa.Text(), nullable=False),
        sa.Column("citycode", sa.String(length=5), nullable=False),
        sa.Column("departement", sa.String(length=3), nullable=False),
        sa.Column("geocode_precision", sa.String(length=20), nullable=False),
        sa.Column("geocode_score", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network_id", "identifiant"),
    )
    op.create_geospatial_index(
        "idx_sites_geom",
        "sites",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_sites_citycode"), "sites", ["citycode"], unique=False)
    op.create_index(op.f("ix_sites_departement"), "sites", ["departement"], unique=False)
    # The nearest-site search's KNN index on `geom::geography` (see models.SITE_GEOGRAPHY).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_sites_geography ON sites USING gist (CAST(geom AS geography))")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )


def downgrade() -> None:
    op.drop_table("users")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_sites_geography", table_name="sites")
    op.drop_index(op.f("ix_sites_departement"), table_name="sites")
    op.drop_index(op.f("ix_sites_citycode"), table_name="sites")
    op.drop_geospatial_index(
        "idx_sites_geom", table_name="sites", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("sites")
    op.drop_table("publications")
    op.drop_table("pending_imports")
    op.drop_index("ix_audit_log_network_at", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_api_tokens_prefix"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("networks")
