"""The Flask application: `create_app()` is the WSGI entry point (`webapp:create_app()`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, g

from geodata.config import Settings
from geodata.db import create_schema, make_engine, session_factory

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, optionally overridden by `test_config`.

    `test_config` may hold Settings field names (e.g. `database_url`) and Flask config keys.
    """
    settings = Settings.from_env()
    overrides = dict(test_config or {})
    known = {k: overrides.pop(k) for k in list(overrides) if k in Settings.__dataclass_fields__}
    settings = settings.replace(**known)

    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY=settings.secret_key, SETTINGS=settings)
    app.config.update(overrides)
    logging.basicConfig(level=settings.log_level)

    engine = make_engine(settings)
    create_schema(engine)
    app.extensions["db_sessions"] = session_factory(engine)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
