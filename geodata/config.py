"""Settings read once from environment variables, with defaults that work out of the box.

A bad value stops the start-up (web app and command line) with a French message that names the
variable and what it accepts, instead of failing later, at the first request that needs it.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geodata.errors import ConfigurationError

PREFIX = "ANNUAIRE_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


class GeocoderName(StrEnum):
    """The geocoders `geodata.geocoding.make_geocoder` builds."""

    LOCAL = "local"  # offline, from the gazetteer: commune precision
    BAN = "ban"  # a BAN-compatible HTTP API: street precision


class TileName(StrEnum):
    """The raster tile providers `webapp.tiles` knows; NONE draws department outlines only."""

    NONE = ""
    OSM = "osm"
    IGN = "ign"


MAX_PENDING_DAYS = 3650
# Beyond this great-circle distance, the nearest eligible team is "far" for an orientation.
DEFAULT_FAR_KM = 50.0
MAX_FAR_KM = 1000.0
# Past a minute, a publication would be missing from some answers for too long.
MAX_INDEX_MAX_AGE = 60.0
MAX_SYNC_TIMEOUT = 600.0
YES_NO = "doit être « oui » ou « non » (ou 1/0, true/false, yes/no, on/off)"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "non", "off"})


def _boolean(raw: str) -> bool:
    """Read a yes/no value; anything else is refused, lest a typo turn a protection off."""
    word = raw.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(raw)
    return word in TRUE_WORDS


def _word(raw: str) -> str:
    return raw.strip().lower()


def _level(raw: str) -> str:
    return raw.strip().upper()


def _any(_value: object) -> bool:
    return True


def _http_url(value: str) -> bool:
    parts = urlsplit(value)
    return not value or (parts.scheme in ("http", "https") and bool(parts.netloc))


# A host name as a Host header carries it (no scheme, no path), or ".suffix" for its subdomains.
HOST_NAME = re.compile(r"\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def _hosts(raw: str) -> tuple[str, ...]:
    return tuple(name.strip().lower() for name in raw.split(",") if name.strip())


def _host_names(value: object) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(name, str) and HOST_NAME.fullmatch(name) for name in value
    )


EVERY_NETWORK = ("0.0.0.0/0", "::/0")


def _networks(raw: str) -> tuple[str, ...]:
    """Read "1"/"oui" (every address), "0"/"non" (none) or IP networks separated by commas."""
    word = raw.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return EVERY_NETWORK if word in TRUE_WORDS else ()
    return tuple(str(ipaddress.ip_network(part.strip(), strict=False)) for part in raw.split(","))


def _ip_networks(value: object) -> bool:
    try:
        return isinstance(value, tuple) and all(ipaddress.ip_network(v) is not None for v in value)
    except (TypeError, ValueError):
        return False


def _one_of(names: Iterable[str]) -> str:
    """Return "« a », « b » ou « c »" ("vide" for the empty name), for messages."""
    shown = ["vide" if not name else f"« {name} »" for name in names]
    return ", ".join(shown[:-1]) + " ou " + shown[-1] if len(shown) > 1 else shown[0]


@dataclass(frozen=True)
class _Rule:
    """How one setting is read from its variable, and which values it accepts."""

    field: str
    parse: Callable[[str], Any]  # raises ValueError on a malformed value
    accepts: Callable[[Any], bool] = _any
    expected: str = ""  # French, completes "ANNUAIRE_X ..."

    @property
    def variable(self) -> str:
        return PREFIX + self.field.upper()

    def read(self, raw: str) -> Any:
        """Return the value `raw` stands for.

        Raises:
            ConfigurationError: `raw` is malformed or out of the accepted values.
        """
        try:
            value = self.parse(raw)
        except ValueError:
            raise self.refusal(raw) from None
        if not self.accepts(value):
            raise self.refusal(raw)
        return value

    def refusal(self, received: object) -> ConfigurationError:
        return ConfigurationError(
            f"{self.variable} {self.expected} (reçu : « {received} »).", setting=self.field
        )


_RULES = (
    _Rule("instance_path", Path),
    _Rule(
        "geocoder",
        _word,
        lambda value: value in {name.value for name in GeocoderName},
        f"doit être {_one_of(GeocoderName)}",
    ),
    _Rule("ban_url", str, _http_url, "doit être l'adresse du service, en http:// ou https://"),
    _Rule(
        "ban_timeout",
        float,
        lambda value: math.isfinite(value) and value > 0,
        "doit être un nombre de secondes positif",
    ),
    _Rule("secret_key", str),
    _Rule(
        "tiles",
        _word,
        lambda value: value in {name.value for name in TileName},
        f"doit être {_one_of(TileName)}",
    ),
    _Rule("embed_ancestors", str),
    _Rule("secure_cookies", _boolean, expected=YES_NO),
    _Rule("max_upload_mb", int, lambda value: value >= 1, "doit être un nombre entier positif"),
    _Rule("login_rate_limit", str),
    _Rule("sync_rate_limit", str),
    _Rule(
        "ratelimit_storage",
        str,
        lambda value: value.split("://")[0] in ("memory", "redis", "rediss"),
        "doit être memory:// ou l'adresse d'un serveur Redis (redis://hôte:6379/0)",
    ),
    _Rule(
        "pending_days",
        int,
        # Bounded: the cut-off date (now - days) must stay inside the calendar.
        lambda value: 1 <= value <= MAX_PENDING_DAYS,
        f"doit être un nombre entier de jours de 1 à {MAX_PENDING_DAYS}",
    ),
    _Rule("proxies", int, lambda value: value >= 0, "doit être un nombre entier positif ou nul"),
    _Rule(
        "trusted_hosts",
        _hosts,
        _host_names,
        "doit être une liste de noms d'hôte séparés par des virgules (ex. annuaire.example.org)",
    ),
    _Rule(
        "sync_allow_private",
        _networks,
        _ip_networks,
        "doit être « oui », « non » ou des réseaux IP séparés par des virgules "
        "(ex. 10.1.2.0/24, 192.168.0.10)",
    ),
    _Rule("sync_allow_http", _boolean, expected=YES_NO),
    _Rule(
        "sync_timeout",
        float,
        lambda value: math.isfinite(value) and 0 < value <= MAX_SYNC_TIMEOUT,
        f"doit être un nombre de secondes, plus grand que 0 et au plus {MAX_SYNC_TIMEOUT:g}",
    ),
    _Rule(
        "far_km",
        float,
        lambda value: isinstance(value, float | int) and 0 < value <= MAX_FAR_KM,
        f"doit être un nombre de kilomètres, plus grand que 0 et au plus {MAX_FAR_KM:g}",
    ),
    _Rule(
        "index_max_age",
        float,
        lambda value: math.isfinite(value) and 0 <= value <= MAX_INDEX_MAX_AGE,
        f"doit être un nombre de secondes, de 0 à {MAX_INDEX_MAX_AGE:g}",
    ),
    _Rule(
        "log_level", _level, lambda value: value in LOG_LEVELS, f"doit être {_one_of(LOG_LEVELS)}"
    ),
)


@dataclass(frozen=True)
class Settings:
    """Everything the application can be configured with, checked when built.

    `database_url` is read from `DATABASE_URL`, unprefixed, as other tools expect it;
    every other variable is prefixed with `ANNUAIRE_`.
    """

    database_url: str = f"sqlite:///{DEFAULT_INSTANCE / 'annuaire.sqlite'}"
    instance_path: Path = DEFAULT_INSTANCE
    geocoder: str = GeocoderName.LOCAL
    ban_url: str = ""
    ban_timeout: float = 5.0
    spatialite_library: str = "mod_spatialite"
    # Signs session cookies. Empty: a random key generated once in instance/secret_key.
    secret_key: str = ""
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (client address for rate limiting, https scheme and host for absolute URLs).
    proxies: int = 0
    # Host names the app answers to (a forged Host would end up in the absolute URL of the embed
    # snippet); any other gets a 400. Empty: any host, for a first run; set it in production.
    trusted_hosts: tuple[str, ...] = ()
    # Raster tiles under the public map: "" (none: department outlines only, no request leaves
    # the app), "osm" (OpenStreetMap) or "ign" (IGN Plan). Turning tiles on lets the tile
    # provider see the visitors' IP addresses and the areas they look at.
    tiles: str = TileName.NONE
    # Sites allowed to show /embed in a frame ("*" for any): the value of frame-ancestors.
    embed_ancestors: str = "*"
    # Session cookies only over HTTPS: turn on in production (behind TLS).
    secure_cookies: bool = False
    # Largest directory file accepted by the admin upload and the sync API, in megabytes.
    max_upload_mb: int = 5
    # Login attempts allowed per client address (Flask-Limiter syntax).
    login_rate_limit: str = "5 per minute"
    # Sync API requests allowed per token (Flask-Limiter syntax): a network's automation makes a
    # few a day; a leaked or looping one must not hold the workers.
    sync_rate_limit: str = "30 per minute"
    # Where rate-limit counters live: "memory://" counts in each worker (the limit then
    # multiplies with workers and servers); a Redis URL shares them between all of them.
    ratelimit_storage: str = "memory://"
    # Days a checked file is kept for its preview or a later publish; older ones are deleted
    # when the next file is checked (each keeps its whole check, megabytes for a large file).
    pending_days: int = 7
    # An orientation whose nearest eligible team is farther (km) says so and names the network
    # to contact.
    far_km: float = DEFAULT_FAR_KM
    # Each worker answers orientations from its own index of the published directory, and
    # checks the database for another process's publication at most once in this many seconds
    # (its own publications are seen at once); 0 checks on every search.
    index_max_age: float = 1.0
    # Networks' spreadsheet sources (`python -m etl pull`): the server fetches a URL an editor
    # typed, so addresses that are not public (loopback, private, link-local...) are refused
    # unless allowed (an intranet source), and so is plain http unless allowed.
    sync_allow_private: tuple[str, ...] = ()  # IP networks allowed anyway; "1": all
    sync_allow_http: bool = False
    sync_timeout: float = 20.0  # seconds for a whole download, not per read
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        # Values set in code (tests, `create_app` overrides) get the checks of the environment's.
        self.validate()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (the process environment by default).

        Raises:
            ConfigurationError: a variable has a value it does not accept (named in the message).
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        if env.get("SPATIALITE_LIBRARY_PATH"):
            values["spatialite_library"] = env["SPATIALITE_LIBRARY_PATH"]
        for rule in _RULES:
            raw = env.get(rule.variable, "")
            if raw.strip():  # a blank variable means its default, like an unset one
                values[rule.field] = rule.read(raw)
        if "database_url" not in values and "instance_path" in values:
            values["database_url"] = f"sqlite:///{values['instance_path'] / 'annuaire.sqlite'}"
        return cls(**values)

    def validate(self) -> None:
        """Check every value and their combinations.

        Raises:
            ConfigurationError: the first value refused, with its variable's name.
        """
        for rule in _RULES:
            value = getattr(self, rule.field)
            if not rule.accepts(value):
                raise rule.refusal(value)
        if self.geocoder == GeocoderName.BAN and not self.ban_url:
            raise ConfigurationError(
                "ANNUAIRE_GEOCODER vaut « ban » : indiquez l'adresse du service de géocodage "
                "dans ANNUAIRE_BAN_URL.",
                setting="ban_url",
            )

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some values changed (used by tests and `create_app`)."""
        return replace(self, **changes)
