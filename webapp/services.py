"""What requests share: the database session (one per request, on `g`), gazetteer, geocoder."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from geodata.config import Settings
from geodata.geocoding import Geocoder, make_geocoder
from geodata.orientation.published import set_max_age
from geodata.reference.gazetteer import Gazetteer, get_gazetteer
from geodata.storage.engine import make_engine, session_factory
from geodata.storage.schema import require_current_schema


def init_app(app: Flask, settings: Settings) -> None:
    """Create the engine, load the gazetteer and geocoder once per process.

    The app never changes the schema (several workers would race to): it refuses to start on a
    database behind the code, whose message names `python -m etl db upgrade`.
    """
    engine = make_engine(settings)
    require_current_schema(engine)
    set_max_age(engine, settings.index_max_age)
    app.extensions["db_sessions"] = session_factory(engine)
    app.extensions["gazetteer"] = get_gazetteer()
    app.extensions["geocoder"] = make_geocoder(settings)
    app.teardown_appcontext(_close_session)


def get_db() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db_session" not in g:
        sessions: sessionmaker[Session] = current_app.extensions["db_sessions"]
        g.db_session = sessions()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def get_gazetteer_service() -> Gazetteer:
    gazetteer: Gazetteer = current_app.extensions["gazetteer"]
    return gazetteer


def get_geocoder() -> Geocoder:
    geocoder: Geocoder = current_app.extensions["geocoder"]
    return geocoder


def get_settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings
