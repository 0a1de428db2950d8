"""The OpenAPI document describes every route of the API, and real answers match it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.tokens import create_token
from tests.helpers import DEMO, demo_app
from webapp.api.views import OPENAPI

DOC: dict[str, Any] = json.loads(Path(OPENAPI).read_text(encoding="utf-8"))
PREFIX = DOC["servers"][0]["url"]
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:openapi", Resource.from_contents(DOC, default_specification=DRAFT202012)
)
# `<slug>`, `<int:number>` and `<int(max=9):number>` in Flask's rules are `{slug}` and `{number}`
# in OpenAPI paths.
FLASK_VARIABLE = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")
EXAMPLE = {"adresse": "67300 Schiltigheim", "cancer": "sein", "age": 54, "soins": ["psychologie"]}


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app(request.param, tmp_path_factory.mktemp("openapi"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def documented(path: str, method: str, status: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Return the documented response for `status` and where it is, following a `$ref`."""
    responses = DOC["paths"][path][method]["responses"]
    assert status in responses, f"{method.upper()} {path} answered an undocumented {status}"
    where: tuple[str, ...] = ("paths", path, method, "responses", status)
    if "$ref" in responses[status]:
        where = tuple(responses[status]["$ref"].removeprefix("#/").split("/"))
    node: dict[str, Any] = DOC
    for part in where:
        node = node[part]
    return node, where


def check(path: str, method: str, response: Any) -> None:
    """Assert the response's status, headers and body match the document."""
    expected, where = documented(path, method, str(response.status_code))
    for header in expected.get("headers", {}):
        assert header in response.headers
    mimetype = response.mimetype
    assert mimetype in expected["content"]
    schema = pointer(*where, "content", mimetype, "schema")
    validator = Draft202012Validator(
        {"$ref": f"urn:openapi#/{schema}"}, registry=REGISTRY, format_checker=FormatChecker()
    )
    text = response.get_data(as_text=True)
    validator.validate(text if mimetype == "text/csv" else json.loads(text))


def test_document_is_openapi_3_1_with_valid_json_schemas() -> None:
    assert DOC["openapi"].startswith("3.1")
    for schema in DOC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_api_route_is_documented_and_every_documented_route_exists(app: Flask) -> None:
    routes = {
        (FLASK_VARIABLE.sub(r"{\1}", rule.rule.removeprefix(PREFIX)), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in DOC["paths"].items() for method in item}
    assert routes == documented


def test_documented_request_example_is_a_valid_request() -> None:
    operation = DOC["paths"]["/orientation"]["post"]["requestBody"]["content"]["application/json"]
    schema = {"$ref": "urn:openapi#/components/schemas/DemandeOrientation"}
    Draft202012Validator(schema, registry=REGISTRY).validate(operation["example"])
    Draft202012Validator(schema, registry=REGISTRY).validate(EXAMPLE)


@pytest.mark.parametrize(
    "body",
    [
        EXAMPLE,
        EXAMPLE | {"fin_traitement": "2020-01-01", "limite": 20},
        EXAMPLE | {"adresse": "69003 Lyon", "soins": ["activite_physique", "dietetique"]},
        EXAMPLE | {"adresse": "Ajaccio", "cancer": "poumon", "age": 16},
        EXAMPLE | {"adresse": "zzzqqq wwwxxx"},
        EXAMPLE | {"age": -1},
        [EXAMPLE],
    ],
)
def test_orientation_answers_match_the_document(client: FlaskClient, body: object) -> None:
    response = client.post(f"{PREFIX}/orientation", json=body)
    check("/orientation", "post", response)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"{", "application/json"), (b"x" * 20_000, "application/json"), (b"a=1", "text/plain")],
)
def test_unreadable_orientation_answers_match_the_document(
    client: FlaskClient, data: bytes, content_type: str
) -> None:
    response = client.post(f"{PREFIX}/orientation", data=data, content_type=content_type)
    check("/orientation", "post", response)


@pytest.mark.parametrize(
    "query", ["q=Strasbourg", "q=Lyon&limit=10", "q=St", "", "q=Lyon&limit=0", "q=Paris 15"]
)
def test_geocode_answers_match_the_document(client: FlaskClient, query: str) -> None:
    check("/geocode", "get", client.get(f"{PREFIX}/geocode?{query}"))


@pytest.mark.parametrize(
    "query", ["", "cancer=sein", "public=enfants&soin=psychologie", "reseau=neon", "cancer=rate"]
)
def test_structures_answers_match_the_document(client: FlaskClient, query: str) -> None:
    response = client.get(f"{PREFIX}/structures.geojson?{query}")
    check("/structures.geojson", "get", response)
    if response.status_code == 200 and not query:
        assert len(response.get_json()["features"]) > 0


def test_openapi_document_is_served(client: FlaskClient) -> None:
    response = client.get(f"{PREFIX}/openapi.json")
    check("/openapi.json", "get", response)
    assert response.get_json() == DOC


@pytest.fixture
def token(app: Flask) -> str:
    sessions: sessionmaker[Session] = app.extensions["db_sessions"]
    with sessions() as session, session.begin():
        return create_token(session, "neon")


def sync_path(template: str, **values: str) -> tuple[str, str]:
    """Return the documented path and the URL of a sync API route."""
    return template, PREFIX + template.format(slug="neon", **values)


def test_sync_import_answers_match_the_document(client: FlaskClient, token: str) -> None:
    path, url = sync_path("/reseaux/{slug}/imports")
    auth = {"Authorization": f"Bearer {token}"}
    demo = (DEMO / "neon.csv").read_bytes()
    for data, content_type, headers in [
        (demo, "text/csv", auth),
        (demo.replace(b";67000;", b";6700;"), "text/csv", auth),
        (b"", "text/csv", auth),
        (b"%PDF-1.7", "text/csv", auth),
        (demo, "application/json", auth),
        (b"x" * (6 * 1024 * 1024), "text/csv", auth),
        (demo, "text/csv", {}),
    ]:
        check(path, "post", client.post(url, data=data, content_type=content_type, headers=headers))
    other = client.post(url.replace("neon", "onco-aura"), data=demo, headers=auth)
    check(path, "post", other)
    assert {other.status_code} == {403}


def test_sync_publication_answers_match_the_document(client: FlaskClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    demo = (DEMO / "neon.csv").read_bytes()
    imports = PREFIX + "/reseaux/neon/imports"
    same, shorter, wrong = (
        client.post(imports, data=data, content_type="text/csv", headers=auth).get_json()["id"]
        for data in (demo, demo.rsplit(b"\n", 2)[0] + b"\n", demo.replace(b";67000;", b";6700;"))
    )
    path = "/reseaux/{slug}/imports/{pending_id}/publication"
    statuses = []
    for pending_id in (same, shorter, shorter, wrong, "0" * 32):
        response = client.post(
            PREFIX + path.format(slug="neon", pending_id=pending_id), headers=auth
        )
        check(path, "post", response)
        statuses.append(response.status_code)
    assert statuses == [200, 201, 409, 409, 404]
    path, url = sync_path("/reseaux/{slug}/publications")
    listed = client.get(url, headers=auth)
    check(path, "get", listed)
    first = listed.get_json()["publications"][-1]["numero"]
    path = "/reseaux/{slug}/publications/{number}/restauration"
    for number in (str(first), str(first), "999"):
        check(
            path,
            "post",
            client.post(PREFIX + path.format(slug="neon", number=number), headers=auth),
        )


def test_sync_publication_removing_most_sites_answers_match_the_document(
    client: FlaskClient, token: str
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    first = (DEMO / "neon.csv").read_bytes().split(b"\n", 2)
    imports = PREFIX + "/reseaux/neon/imports"
    data = first[0] + b"\n" + first[1] + b"\n"
    checked = client.post(imports, data=data, content_type="text/csv", headers=auth)
    check("/reseaux/{slug}/imports", "post", checked)
    path = "/reseaux/{slug}/imports/{pending_id}/publication"
    url = PREFIX + path.format(slug="neon", pending_id=checked.get_json()["id"])
    refused = client.post(url, headers=auth)
    check(path, "post", refused)
    published = client.post(url + "?confirmer_suppressions=1", headers=auth)
    check(path, "post", published)
    assert (refused.status_code, published.status_code) == (409, 201)


def test_sync_export_answers_match_the_document(client: FlaskClient) -> None:
    for slug in ("neon", "inconnu"):
        check(
            "/reseaux/{slug}/export.csv", "get", client.get(f"{PREFIX}/reseaux/{slug}/export.csv")
        )
