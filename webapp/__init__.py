"""The Flask application: `create_app()` is the WSGI entry point (`webapp:create_app()`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from geodata.config import Settings
from webapp import (
    api,
    api_directory,
    errors,
    logs,
    maps,
    orientation,
    public,
    security,
    services,
)

# Importing api_directory attaches its routes to the API blueprint.
_ = api_directory

log = logging.getLogger(__name__)

# Request bodies larger than this are refused with 413 (an orientation request is < 1 KB).
MAX_CONTENT_LENGTH = 2 * 1024 * 1024


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
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key, SETTINGS=settings, MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH
    )
    app.config.update(flask_config)
    logs.init_app(app)
    services.init_app(app, settings)
    security.init_app(app, settings)
    errors.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(orientation.bp)
    app.register_blueprint(api.bp)
    app.jinja_env.globals.update(map_css=maps.MAP_CSS, map_js=maps.MAP_JS)

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
