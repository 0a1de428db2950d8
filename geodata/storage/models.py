"""Database models: networks, their published sites and versions, accounts, tokens, audit log,
pending imports and the networks' spreadsheet sources."""

from __future__ import annotations

from datetime import UTC, datetime

from geoalchemy2 import Geography, Geometry
from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime (SQLite gives back naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_utc_or_none(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


class Base(DeclarativeBase):
    pass


class Network(Base):
    """A regional cancer network (NEON, ONCO AURA...) that maintains its own directory."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sites: Mapped[list[Site]] = relationship(back_populates="network")


class Site(Base):
    """A published place where a team receives patients; one row of the directory CSV."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("network_id", "identifiant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    identifiant: Mapped[str] = mapped_column(String(64))
    nom: Mapped[str] = mapped_column(String(200))
    structure_porteuse: Mapped[str] = mapped_column(String(200), default="")
    adresse: Mapped[str] = mapped_column(String(300))
    code_postal: Mapped[str] = mapped_column(String(5))
    commune: Mapped[str] = mapped_column(String(100))
    # Coordinates as written in the file (NULL when the file left them empty).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    telephone: Mapped[str] = mapped_column(String(30), default="")
    courriel: Mapped[str] = mapped_column(String(254), default="")
    site_web: Mapped[str] = mapped_column(String(500), default="")
    # Lists are stored as their CSV form, codes joined with "|".
    cancers: Mapped[str] = mapped_column(String(200))
    publics: Mapped[str] = mapped_column(String(100))
    soins: Mapped[str] = mapped_column(String(100))
    zone: Mapped[str] = mapped_column(Text, default="")
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    precisions: Mapped[str] = mapped_column(Text, default="")
    # Where the site is placed and how precisely (see records.Location).
    citycode: Mapped[str] = mapped_column(String(5), index=True)
    departement: Mapped[str] = mapped_column(String(3), index=True)
    geocode_precision: Mapped[str] = mapped_column(String(20))
    geocode_score: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=True, nullable=False))

    network: Mapped[Network] = relationship(back_populates="sites")


class Publication(Base):
    """A numbered version of a network's directory; its snapshot allows listing and restoring."""

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("network_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author: Mapped[str] = mapped_column(String(254), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # JSON list of SiteRecord.to_json() dicts: the whole directory as published.
    snapshot: Mapped[str] = mapped_column(Text)

    network: Mapped[Network] = relationship()


# The nearest-site search ranks by great-circle distance with `geom::geography <->` (KNN), which
# needs a GiST index on that very expression; SpatiaLite uses the R*Tree of `geom` instead.
SITE_GEOGRAPHY = cast(Site.geom, Geography(geometry_type=None, srid=-1, spatial_index=False))
Index("ix_sites_geography", SITE_GEOGRAPHY, postgresql_using="gist").ddl_if(dialect="postgresql")


class User(Base):
    """An editor of one network's directory, or an administrator (who may have no network)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), nullable=True
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Raised to end every session of the account at once (sign-out, password change, disable):
    # a session cookie carries the version it was opened under.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ApiToken(Base):
    """A secret that lets a network's automation push its file; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """Who changed what, when, in which network: one row per change or sign-in."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_network_at", "network_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="{}")  # a JSON object


class PendingImport(Base):
    """A file checked now and published (or discarded) later: the preview and the sync API."""

    __tablename__ = "pending_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author: Mapped[str] = mapped_column(String(254), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    base_version: Mapped[int] = mapped_column(Integer)
    valid: Mapped[bool] = mapped_column(Boolean)
    check_json: Mapped[str] = mapped_column(Text)  # the ImportCheck, see geodata.publishing.pending
    # One of publishing.pending.PendingStatus, which always sets it.
    status: Mapped[str] = mapped_column(String(20))


class NetworkSource(Base):
    """Where a network publishes its spreadsheet, and how its last pull went."""

    __tablename__ = "network_sources"

    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    # Validators of the last response, sent back so that an unchanged file costs nothing.
    etag: Mapped[str] = mapped_column(String(300), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # One of publishing.pull.Outcome; "" before the first pull.
    result: Mapped[str] = mapped_column(String(20), default="")
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    pending_id: Mapped[str] = mapped_column(String(32), default="")
