"""The JSON API: `bp` carries the orientation, geocoding, directory, data·inclusion, coverage and
sync routes."""

from webapp.api import coverage, datainclusion, directory, sync, views
from webapp.api.blueprint import bp

__all__ = ["bp", "coverage", "datainclusion", "directory", "sync", "views"]
