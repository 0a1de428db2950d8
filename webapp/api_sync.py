"""The sync API for networks' automation (`/api/v1/reseaux/<slug>/...`), on the API blueprint."""

from __future__ import annotations

from webapp.api import bp

__all__ = ["bp"]
