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
# In-process counters: with several gunicorn workers each counts on its own, so the effective
# limit is the configured one times the number of workers (README, "Accounts").
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def _check_rate_limit(value: str) -> None:
    # Checked at start-up: Flask-Limiter would only meet a bad value at the first sign-in, and
    # then skip the limit altogether.
    try:
        parse_many(value)
    except ValueError:
        raise ConfigurationError(
            "ANNUAIRE_LOGIN_RATE_LIMIT doit être une limite comme « 5 per minute » "
            f"(reçu : « {value} »).",
            setting="login_rate_limit",
        ) from None


def init_app(app: Flask, settings: Settings) -> None:
    _check_rate_limit(settings.login_rate_limit)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="annuaire_session",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
