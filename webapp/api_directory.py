"""The public directory as GeoJSON (`GET /api/v1/structures.geojson`), on the API blueprint."""

from __future__ import annotations

from webapp.api import bp

__all__ = ["bp"]
