"""The JSON API: `bp` carries the orientation, geocoding, directory, coverage and sync routes."""

from webapp.api import coverage, directory, sync, views
from webapp.api.blueprint import bp

__all__ = ["bp", "coverage", "directory", "sync", "views"]
