"""A consistent copy of the embedded SpatiaLite database, taken while the app keeps running."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from geodata.config import Settings
from geodata.errors import ConfigurationError, GeodataError


class BackupRefused(GeodataError):
    """The backup cannot be written where asked (the file exists, or its folder is missing)."""

    def __init__(self, message: str, *, target: str) -> None:
        super().__init__(message, target=target)
        self.target = target


def backup_sqlite(settings: Settings, target: Path) -> int:
    """Copy the SQLite database of `settings` into `target`; return its size in bytes.

    SQLite's online backup copies page by page and starts again if a writer changes the
    database meanwhile, so the copy is consistent without stopping the app. PostgreSQL has
    `pg_dump` for this.

    Raises:
        ConfigurationError: the database is not a SQLite file.
        BackupRefused: `target` exists (never overwritten) or its folder does not.
    """
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ConfigurationError(
            "La sauvegarde par cette commande vaut pour la base SQLite intégrée ; pour "
            "PostgreSQL, utilisez pg_dump (voir le README).",
            setting="database_url",
        )
    if target.exists():
        raise BackupRefused(
            f"Le fichier « {target} » existe déjà : choisissez un autre nom (une sauvegarde "
            "n'en écrase jamais une autre).",
            target=str(target),
        )
    if not target.parent.is_dir():
        raise BackupRefused(f"Le dossier « {target.parent} » n'existe pas.", target=str(target))
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target.stat().st_size
