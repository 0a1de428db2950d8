from __future__ import annotations

from geodata.config import Settings
from webapp import create_app


def test_healthz_answers_ok_on_each_database(settings: Settings) -> None:
    app = create_app({"database_url": settings.database_url, "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
