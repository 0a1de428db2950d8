"""The JSON API: `bp` carries the orientation, geocoding, directory and sync routes."""

from webapp.api import directory, sync, views
from webapp.api.blueprint import bp

__all__ = ["bp", "directory", "sync", "views"]
