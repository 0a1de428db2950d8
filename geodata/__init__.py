"""Core of the post-cancer care directory: models, storage, gazetteer, geocoding, directory rules.

This package knows nothing of Flask or of the command line; `etl` and `webapp` build on it.
"""
