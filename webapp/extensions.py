"""Flask extensions shared by the blueprints: CSRF protection and rate limiting."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from limits import parse_many

from geodata.config import Settings
from geodata.errors import ConfigurationError

csrf = CSRFProtect()
# The counters' store comes from the settings (RATELIMIT_STORAGE_URI, read at init_app):
# in-process by default, Redis to share them between workers and servers.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _check_rate_limit(field: str, value: str) -> None:
    # Checked at start-up: Flask-Limiter would only meet a bad value at the first request it
    # limits, and then skip the limit altogether.
    try:
        parse_many(value)
    except ValueError:
        raise ConfigurationError(
            f"ANNUAIRE_{field.upper()} doit être une limite comme « 5 per minute » "
            f"(reçu : « {value} »).",
            setting=field,
        ) from None


def init_app(app: Flask, settings: Settings) -> None:
    _check_rate_limit("login_rate_limit", settings.login_rate_limit)
    _check_rate_limit("sync_rate_limit", settings.sync_rate_limit)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="annuaire_session",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage,
    )
    csrf.init_app(app)
    limiter.init_app(app)
