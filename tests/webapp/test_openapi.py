"""The OpenAPI document describes every route of the API, and real answers match it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.webapp.demo import demo_app
from webapp.api import OPENAPI

DOC: dict[str, Any] = json.loads(Path(OPENAPI).read_text(encoding="utf-8"))
PREFIX = DOC["servers"][0]["url"]
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:openapi", Resource.from_contents(DOC, default_specification=DRAFT202012)
)
EXAMPLE = {"adresse": "67300 Schiltigheim", "cancer": "sein", "age": 54, "soins": ["psychologie"]}


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app(request.param, tmp_path_factory.mktemp("openapi"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def check(path: str, method: str, response: Any) -> None:
    """Assert the response's status is documented and its body validates against its schema."""
    responses = DOC["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {path} answered an undocumented {status}"
    content = responses[status]["content"]
    mimetype = response.mimetype
    assert mimetype in content
    where = pointer("paths", path, method, "responses", status, "content", mimetype, "schema")
    validator = Draft202012Validator(
        {"$ref": f"urn:openapi#/{where}"}, registry=REGISTRY, format_checker=FormatChecker()
    )
    validator.validate(json.loads(response.data))


def test_document_is_openapi_3_1_with_valid_json_schemas() -> None:
    assert DOC["openapi"].startswith("3.1")
    for schema in DOC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_api_route_is_documented_and_every_documented_route_exists(app: Flask) -> None:
    routes = {
        (rule.rule.removeprefix(PREFIX), method.lower())
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
