"""Alembic's migration environment and revisions; `geodata.storage.schema` drives them."""
