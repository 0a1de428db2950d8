"""A database that refuses writes (read-only, locked) is a 503 with Retry-After, not a 500, and
the app works again as soon as it accepts them."""

from __future__ import annotations

from tests.helpers import DEMO, Sync, app_engine, read_only_database


def test_a_read_only_database_gives_a_503_json_error_then_works_once_writable(
    sync: Sync,
) -> None:
    data = (DEMO / "neon.csv").read_bytes()
    with read_only_database(app_engine(sync.app)):
        refused = sync.send(data)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"].isdigit()
    assert refused.headers["Cache-Control"] == "no-store"
    assert "indisponible" in refused.get_json()["erreur"]
    assert sync.send(data).status_code == 201
