"""Static files hashed, pre-compressed and cached a year; pages and JSON compressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import demo_app
from webapp.assets import build, hashed_name

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
STATIC_URL = re.compile(r'(?:src|href|data-outlines)="(/static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z]+$")
ORIENTATION = {"adresse": "69003 Lyon", "cancer": "sein", "age": 54, "soins": ["dietetique"]}
BOTH = {"Accept-Encoding": "gzip, br"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app("spatialite", tmp_path_factory.mktemp("static"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def static_urls(client: FlaskClient, path: str = "/") -> list[str]:
    urls = STATIC_URL.findall(client.get(path).text)
    assert urls, f"no static file on {path}"
    return urls


def decoded(response: TestResponse) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        unpacked: bytes = brotli.decompress(response.get_data())
        return unpacked
    if encoding == "gzip":
        return gzip.decompress(response.get_data())
    assert encoding is None
    return response.get_data()


def source_of(url: str) -> bytes:
    """Return the file of webapp/static whose hashed copy `url` names."""
    hashed = url.removeprefix("/static/")
    for path in STATIC.rglob("*"):
        if path.is_file():
            relative = path.relative_to(STATIC).as_posix()
            if hashed_name(relative, path.read_bytes()) == hashed:
                return path.read_bytes()
    raise AssertionError(f"no source for {url}")


@pytest.mark.parametrize("path", ["/", "/embed", "/orienter"])
def test_pages_name_every_static_file_by_its_content(client: FlaskClient, path: str) -> None:
    for url in static_urls(client, path):
        assert HASHED.search(url), url
        assert client.get(url).status_code == 200, url


def test_hashed_files_are_cached_a_year_as_immutable(client: FlaskClient) -> None:
    for url in static_urls(client):
        control = client.get(url).headers["Cache-Control"]
        assert "max-age=31536000" in control and "immutable" in control, url


@pytest.mark.parametrize(
    ("accept", "encoding"), [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("identity", None)]
)
def test_static_files_come_compressed_as_the_client_accepts(
    client: FlaskClient, accept: str, encoding: str | None
) -> None:
    for url in static_urls(client):
        if url.endswith((".png", ".svg")) or "/map." in url:
            continue  # too small, or already compressed: served as is
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == encoding, url
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decoded(response) == source_of(url), url


def test_the_original_names_are_still_served_but_revalidated(client: FlaskClient) -> None:
    response = client.get("/static/vendor/leaflet/images/layers.png")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=0, public"
    assert response.headers["ETag"]


@pytest.mark.parametrize("path", ["/", "/embed", "/orienter", "/api/v1/structures.geojson"])
def test_pages_and_json_are_compressed(client: FlaskClient, path: str) -> None:
    for accept, encoding in (("gzip, br", "br"), ("gzip", "gzip")):
        response = client.get(path, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
    assert "Content-Encoding" not in client.get(path).headers  # a client that asked nothing


def test_orientation_answers_may_be_compressed_but_are_never_cached(client: FlaskClient) -> None:
    api = client.post("/api/v1/orientation", json=ORIENTATION, headers=BOTH)
    page = client.post("/orienter", data=ORIENTATION, headers=BOTH)
    assert api.status_code == page.status_code == 200
    assert api.headers["Cache-Control"] == "no-store"
    assert "no-store" in page.headers["Cache-Control"]
    assert page.headers["Content-Encoding"] == "br"


def test_tiny_answers_are_not_compressed(client: FlaskClient) -> None:
    response = client.get("/healthz", headers=BOTH)
    assert response.text == "ok\n"
    assert "Content-Encoding" not in response.headers


def test_pages_holding_a_csrf_token_are_never_compressed(client: FlaskClient) -> None:
    # A CSRF token beside text the URL chooses (?suivant=) is what a BREACH attack needs.
    response = client.get("/connexion?suivant=/admin/", headers=BOTH)
    assert response.status_code == 200
    assert "csrf_token" in response.text
    assert "Content-Encoding" not in response.headers


def test_the_build_writes_hashed_copies_with_their_compressed_variants(tmp_path: Path) -> None:
    source = tmp_path / "static"
    (source / "js").mkdir(parents=True)
    (source / "js" / "app.js").write_text("var answer = 42;\n" * 200)
    (source / "tiny.css").write_text("a{}")
    (source / "logo.png").write_bytes(b"\x89PNG" + bytes(2000))
    manifest = build(source, tmp_path / "out")
    assert re.fullmatch(r"js/app\.[0-9a-f]{12}\.js", manifest["js/app.js"])
    out = tmp_path / "out"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert written == sorted(
        [manifest["js/app.js"] + suffix for suffix in ("", ".br", ".gz")]
        + [manifest["tiny.css"], manifest["logo.png"]]  # nothing to gain, or already compressed
        + ["js"]
    )


def test_a_changed_file_gets_a_new_name_and_the_old_copy_stays(tmp_path: Path) -> None:
    source = tmp_path / "static"
    source.mkdir()
    (source / "app.css").write_text("body { color: black }")
    before = build(source, tmp_path / "out")["app.css"]
    (source / "app.css").write_text("body { color: navy }")
    after = build(source, tmp_path / "out")["app.css"]
    assert before != after
    assert (tmp_path / "out" / before).read_text() == "body { color: black }"
    assert (tmp_path / "out" / after).read_text() == "body { color: navy }"
