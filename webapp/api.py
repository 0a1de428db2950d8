"""The JSON API, version 1 (DESIGN.md 4.3): orientation, geocoding, the directory as GeoJSON."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
