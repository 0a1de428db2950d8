"""The key that signs session cookies: configured, or generated once for this instance."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from geodata.config import Settings

KEY_FILE = "secret_key"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def secret_key(settings: Settings) -> str:
    """Return `ANNUAIRE_SECRET_KEY`, else the instance's own random key (created on first use).

    A key shared by every installation (a default in the code) would let anyone sign a session
    cookie and sign in as any editor. The file is readable by its owner only, and created by an
    atomic link so that workers starting together all read the same complete key.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.instance_path / KEY_FILE
    existing = _read(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(secrets.token_urlsafe(48))
        os.chmod(temporary, 0o600)
        os.link(temporary, path)
    except FileExistsError:
        pass  # another worker won the race: use its key
    finally:
        os.unlink(temporary)
    key = _read(path)
    if key is None:
        raise RuntimeError(f"could not read the secret key file {path}")
    return key
