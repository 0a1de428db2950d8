"""Security headers on every kind of answer: pages, embed, API, errors, static files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.helpers import demo_app, schema_ready_url
from webapp import create_app

ORIENTATION = {"adresse": "69003 Lyon", "cancer": "sein", "age": 54, "soins": ["dietetique"]}
NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")
INLINE_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)

# (label, method, path, keyword arguments of the test client's call)
REQUESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("public map", "get", "/", {}),
    ("physician form", "get", "/orienter", {}),
    ("physician results", "post", "/orienter", {"data": ORIENTATION}),
    ("orientation API", "post", "/api/v1/orientation", {"json": ORIENTATION}),
    ("API error", "post", "/api/v1/orientation", {"json": {}}),
    ("geocode API", "get", "/api/v1/geocode?q=Lyon", {}),
    ("GeoJSON", "get", "/api/v1/structures.geojson", {}),
    ("OpenAPI", "get", "/api/v1/openapi.json", {}),
    ("missing page", "get", "/nulle-part", {}),
    ("missing API route", "get", "/api/v1/nulle-part", {}),
    ("health check", "get", "/healthz", {}),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app("spatialite", tmp_path_factory.mktemp("security"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def call(client: FlaskClient, method: str, path: str, options: dict[str, Any]) -> Any:
    return getattr(client, method)(path, **options)


def directives(response: Any) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize(
    ("method", "path", "options"), [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS]
)
def test_every_answer_outside_embed_carries_the_security_headers(
    client: FlaskClient, method: str, path: str, options: dict[str, Any]
) -> None:
    response = call(client, method, path, options)
    assert response.status_code < 500
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = directives(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert NONCE.search(policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"]


@pytest.mark.parametrize("path", ["/static/css/app.css", "/static/js/public-map.js"])
def test_static_files_carry_the_security_headers_and_a_policy_that_allows_nothing(
    client: FlaskClient, path: str
) -> None:
    hashed = url_for_static(client, path)
    assert hashed != path
    for url in (path, hashed):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = directives(response)
        assert policy["default-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "script-src" not in policy


def url_for_static(client: FlaskClient, path: str) -> str:
    """Return the hashed URL the app gives for `/static/<filename>`."""
    assert client.application is not None
    with client.application.test_request_context():
        return url_for("static", filename=path.removeprefix("/static/"))


def test_embed_may_be_framed_but_keeps_the_other_headers(client: FlaskClient) -> None:
    response = client.get("/embed?reseau=neon")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert directives(response)["frame-ancestors"] == "*"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_embed_frame_ancestors_follow_the_setting(tmp_path: Path) -> None:
    url = schema_ready_url(tmp_path)
    app = create_app(
        {"database_url": url, "instance_path": tmp_path, "embed_ancestors": "https://x.example"}
    )
    client = app.test_client()
    # The app itself too: the admin's network page previews the embed in a frame.
    assert directives(client.get("/embed"))["frame-ancestors"] == "'self' https://x.example"
    assert directives(client.get("/"))["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("get", "/", {}),
        ("get", "/embed", {}),
        ("get", "/orienter", {}),
        ("post", "/orienter", {"data": ORIENTATION}),
        ("get", "/nulle-part", {}),
    ],
)
def test_every_inline_script_and_style_of_a_page_carries_this_answers_nonce(
    client: FlaskClient, method: str, path: str, options: dict[str, Any]
) -> None:
    response = call(client, method, path, options)
    nonce = NONCE.search(directives(response)["script-src"])
    assert nonce is not None
    html = response.text
    for tag, attributes in INLINE_TAG.findall(html):
        if "src=" not in attributes:
            assert f'nonce="{nonce.group(1)}"' in attributes, f"<{tag}{attributes}> on {path}"
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), "inline event handler"
    assert "javascript:" not in html.lower()


def test_each_answer_gets_a_new_nonce(client: FlaskClient) -> None:
    first = directives(client.get("/"))["script-src"]
    second = directives(client.get("/"))["script-src"]
    assert first != second


def test_orientation_answers_are_never_cached(client: FlaskClient) -> None:
    api = client.post("/api/v1/orientation", json=ORIENTATION)
    page = client.post("/orienter", data=ORIENTATION)
    assert api.status_code == 200
    assert api.headers["Cache-Control"] == "no-store"
    assert "no-store" in page.headers.get("Cache-Control", "")


def test_geolocation_is_allowed_on_the_public_map_only(client: FlaskClient) -> None:
    assert "geolocation=(self)" in client.get("/").headers["Permissions-Policy"]
    for path in ("/embed", "/orienter", "/api/v1/openapi.json", "/connexion"):
        assert "geolocation=()" in client.get(path).headers["Permissions-Policy"], path
