"""Settings read once from environment variables, with defaults that work out of the box."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PREFIX = "ANNUAIRE_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


def _boolean(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "oui", "on")


@dataclass(frozen=True)
class Settings:
    """Everything the application can be configured with.

    `database_url` follows DESIGN.md 4.3 (`DATABASE_URL`, unprefixed, as other tools expect it);
    every other variable is prefixed with `ANNUAIRE_`.
    """

    database_url: str = f"sqlite:///{DEFAULT_INSTANCE / 'annuaire.sqlite'}"
    instance_path: Path = DEFAULT_INSTANCE
    geocoder: str = "local"
    ban_url: str = ""
    ban_timeout: float = 5.0
    spatialite_library: str = "mod_spatialite"
    # Signs session cookies. Empty: a random key generated once in instance/secret_key.
    secret_key: str = ""
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (client address for rate limiting, https scheme and host for absolute URLs).
    proxies: int = 0
    # Raster tiles under the public map: "" (none: department outlines only, no request leaves
    # the app), "osm" (OpenStreetMap) or "ign" (IGN Plan). Turning tiles on lets the tile
    # provider see the visitors' IP addresses and the areas they look at.
    tiles: str = ""
    # Sites allowed to show /embed in a frame ("*" for any): the value of frame-ancestors.
    embed_ancestors: str = "*"
    # Session cookies only over HTTPS: turn on in production (behind TLS).
    secure_cookies: bool = False
    # Largest directory file accepted by the admin upload and the sync API, in megabytes.
    max_upload_mb: int = 5
    # Login attempts allowed per client address (Flask-Limiter syntax).
    login_rate_limit: str = "5 per minute"
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (the process environment by default)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        if env.get("SPATIALITE_LIBRARY_PATH"):
            values["spatialite_library"] = env["SPATIALITE_LIBRARY_PATH"]
        kinds: tuple[tuple[str, Any], ...] = (
            ("instance_path", Path),
            ("geocoder", str),
            ("ban_url", str),
            ("ban_timeout", float),
            ("secret_key", str),
            ("tiles", str),
            ("embed_ancestors", str),
            ("secure_cookies", _boolean),
            ("max_upload_mb", int),
            ("login_rate_limit", str),
            ("proxies", int),
            ("log_level", str),
        )
        for name, kind in kinds:
            raw = env.get(PREFIX + name.upper())
            if raw:
                values[name] = kind(raw)
        settings = cls(**values)
        if "database_url" not in values and "instance_path" in values:
            settings = replace(
                settings, database_url=f"sqlite:///{settings.instance_path / 'annuaire.sqlite'}"
            )
        return settings

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some values changed (used by tests and `create_app`)."""
        return replace(self, **changes)
