"""Flask extensions shared by the blueprints: CSRF protection and rate limiting."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from geodata.config import Settings

csrf = CSRFProtect()
# In-process counters: with several gunicorn workers each counts on its own, so the effective
# limit is the configured one times the number of workers (README, "Accounts").
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def init_app(app: Flask, settings: Settings) -> None:
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
