"""The patient's address, age and cancer, and what users type, never reach a log."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.helpers import demo_app, gunicorn_server, load_demo
from webapp.logs import QueryStringFilter, install_query_string_filter, without_query_strings

ADDRESS = "12 rue des Hirondelles 67300 Schiltigheim"
SECRETS = ("Hirondelles", "Schiltigheim", "prostate", "Strasbourg")
# Above 59, so that no clock time in a log line (00:51:47) can pass for the age.
AGE = re.compile(r"\b87\b")
ORIENTATION = {"adresse": ADDRESS, "cancer": "prostate", "age": 87, "soins": ["psychologie"]}


def leaks(text: str) -> list[str]:
    found = [secret for secret in SECRETS if secret.lower() in text.lower()]
    return found + AGE.findall(text)


@pytest.fixture(params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Flask:
    # Logging at DEBUG from before the app exists: every logger may speak, SQLAlchemy's too.
    caplog.set_level(logging.DEBUG)
    app = demo_app(request.param, tmp_path)
    caplog.clear()
    return app


def test_no_log_record_of_orientation_requests_holds_the_address_age_or_cancer(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    answers = [
        client.post("/api/v1/orientation", json=ORIENTATION),
        client.post("/api/v1/orientation", json=ORIENTATION | {"adresse": "Hirondelles zzqq"}),
        client.post("/api/v1/orientation", json=ORIENTATION | {"cancer": "prostate-x"}),
        client.post("/api/v1/orientation", json=ORIENTATION | {"age": -87}),
        client.post("/api/v1/orientation", data="{Hirondelles", content_type="application/json"),
        client.get("/api/v1/geocode?q=Strasbourg"),
        client.post("/orienter", data=ORIENTATION),
    ]
    assert [a.status_code for a in answers][:6] == [200, 404, 400, 400, 400, 200]
    for record in caplog.records:
        assert leaks(record.getMessage()) == [], record.getMessage()
        assert leaks(record.exc_text or "") == []


def test_error_answers_do_not_repeat_the_address(app: Flask) -> None:
    response = app.test_client().post(
        "/api/v1/orientation", json=ORIENTATION | {"adresse": "Hirondelles zzqq"}
    )
    assert response.status_code == 404
    assert "Hirondelles" not in response.text


def test_query_strings_are_cut_from_log_text() -> None:
    line = '"GET /api/v1/geocode?q=12+rue+des+Hirondelles&limit=5 HTTP/1.1" 200 -'
    assert without_query_strings(line) == '"GET /api/v1/geocode?… HTTP/1.1" 200 -'


def test_filter_cuts_query_strings_from_mapping_arguments() -> None:
    record = logging.LogRecord("gunicorn.access", 20, "", 0, "%(r)s", (), None)
    record.args = {"r": "GET /api/v1/geocode?q=Strasbourg HTTP/1.1"}
    assert QueryStringFilter().filter(record)
    assert record.getMessage() == "GET /api/v1/geocode?… HTTP/1.1"


@pytest.fixture
def dev_server(app: Flask) -> Iterator[str]:
    """The app behind werkzeug's development server (what `make run-dev` uses)."""
    install_query_string_filter()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join()


def test_development_server_request_log_has_no_query_string(
    dev_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with urllib.request.urlopen(f"{dev_server}/api/v1/geocode?q=Strasbourg") as response:
        assert b"67482" in response.read()
    messages = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/api/v1/geocode" in message for message in messages)
    assert all(leaks(message) == [] for message in messages), messages


def post_json(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_access_log_records_paths_without_query_strings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    load_demo(url)
    with gunicorn_server(tmp_path, url) as port:
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/api/v1/geocode?q=Strasbourg&limit=3") as response:
            assert response.status == 200
        body = json.dumps(ORIENTATION).encode()
        assert post_json(f"{base}/api/v1/orientation", body) == 200
        assert post_json(f"{base}/api/v1/orientation?adresse=Hirondelles", body) == 200
    log = (tmp_path / "access.log").read_text(encoding="utf-8")
    assert '"GET /api/v1/geocode HTTP/1.1" 200' in log
    assert log.count('"POST /api/v1/orientation HTTP/1.1" 200') == 2
    assert leaks(log) == [], log
    assert leaks((tmp_path / "error.log").read_text(encoding="utf-8")) == []
