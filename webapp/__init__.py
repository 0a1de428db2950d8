"""The Flask application: `create_app()` is the WSGI entry point (`webapp:create_app()`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from geodata.config import Settings
from webapp import (
    admin,
    api,
    assets,
    coverage,
    errors,
    extensions,
    logs,
    maps,
    orientation,
    public,
    security,
    services,
)
from webapp.json_provider import OrjsonProvider
from webapp.secret_key import secret_key

log = logging.getLogger(__name__)


def _settings(test_config: Mapping[str, Any] | None) -> tuple[Settings, dict[str, Any]]:
    """Split `test_config` into Settings overrides and plain Flask config keys."""
    overrides = dict(test_config or {})
    fields = Settings.__dataclass_fields__
    known = {k: overrides.pop(k) for k in list(overrides) if k in fields}
    return Settings.from_env().replace(**known), overrides


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, optionally overridden by `test_config`.

    `test_config` may hold Settings field names (e.g. `database_url`) and Flask config keys.
    """
    settings, flask_config = _settings(test_config)
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.json = OrjsonProvider(app)
    app.config.from_mapping(
        SECRET_KEY=secret_key(settings),
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        # None (any host) when unset; otherwise another Host header is a 400.
        TRUSTED_HOSTS=list(settings.trusted_hosts) or None,
    )
    app.config.update(flask_config)
    logging.basicConfig(level=settings.log_level)
    if settings.proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxies, x_proto=settings.proxies, x_host=settings.proxies
        )
    logs.init_app(app)
    services.init_app(app, settings)
    security.init_app(app, settings)
    assets.init_app(app, settings, security.STATIC_HEADERS)
    errors.init_app(app)
    extensions.init_app(app, settings)
    # Token-authenticated JSON, and the stateless orientation forms (no session, nothing changed:
    # nothing for a forged request to abuse) need no CSRF token; every admin form has one.
    extensions.csrf.exempt(api.bp)
    extensions.csrf.exempt(orientation.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(orientation.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.auth_bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(coverage.bp)
    app.jinja_env.globals.update(map_css=maps.MAP_CSS, map_js=maps.MAP_JS)

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
