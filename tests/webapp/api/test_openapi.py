"""The OpenAPI document describes every route; answers match it, requests are taken as it says."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
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
REQUEST: dict[str, Any] = DOC["components"]["schemas"]["DemandeOrientation"]
REQUEST_CHECK = Draft202012Validator(REQUEST, format_checker=FormatChecker())


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


def test_documented_error_example_is_the_real_answer_to_two_bad_fields(client: FlaskClient) -> None:
    body = {"adresse": "69003 Lyon", "cancer": "sein", "age": "54", "soins": ["massage"]}
    response = client.post(f"{PREFIX}/orientation", json=body)
    check("/orientation", "post", response)
    documented = DOC["paths"]["/orientation"]["post"]["responses"]["400"]
    assert response.get_json() == documented["content"]["application/json"]["example"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"{", "application/json"), (b"x" * 20_000, "application/json"), (b"a=1", "text/plain")],
)
def test_unreadable_orientation_answers_match_the_document(
    client: FlaskClient, data: bytes, content_type: str
) -> None:
    response = client.post(f"{PREFIX}/orientation", data=data, content_type=content_type)
    check("/orientation", "post", response)


def documented_refusals(body: object) -> set[str | None]:
    """Return the fields the document refuses in `body`; None stands for the body itself."""
    if not isinstance(body, dict):
        return {None}
    fields: set[str | None] = set()
    for error in REQUEST_CHECK.iter_errors(body):
        if error.path:
            fields.add(str(error.path[0]))
        elif error.validator == "required":
            fields |= set(REQUEST["required"]) - set(body)
        else:
            fields.add(None)
    return fields


def assert_accepted_exactly_as_documented(app: Flask, body: object) -> None:
    """Post `body`: a documented status and shape, and every field refused iff the document does.

    The one rule the document can only describe is the range of the end of treatment (from
    1900 to five years after today): a date outside it is refused too, saying so.
    """
    data = json.dumps(body)
    response = app.test_client().post(
        f"{PREFIX}/orientation", data=data, content_type="application/json"
    )
    check("/orientation", "post", response)
    errors = response.get_json()["erreurs"] if response.status_code == 400 else []
    answered = {error["champ"] for error in errors}
    refused = documented_refusals(body)
    assert refused <= answered, (body, errors)
    assert answered - refused <= {"fin_traitement"}, (body, errors)
    if answered - refused:
        assert any("entre le 01/01/1900" in error["message"] for error in errors)


# The JSON Schema keywords `from_json_schema` knows; another one in the document fails the test.
KEYWORDS = {"type", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "format"}
KEYWORDS |= {"items", "minItems", "maxItems", "properties", "required", "additionalProperties"}
KEYWORDS |= {"description", "default"}


def from_json_schema(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Return a strategy of every value `schema` allows (the keywords of `KEYWORDS`)."""
    assert set(schema) <= KEYWORDS, f"keywords to teach this strategy: {set(schema) - KEYWORDS}"
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return st.one_of([_of_type(kind, schema) for kind in kinds])


def _of_type(kind: str, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "integer":
        numbers = st.integers(schema.get("minimum"), schema.get("maximum"))
        return numbers | numbers.map(float)  # 71.0 is an integer in JSON Schema
    if kind == "string" and schema.get("format") == "date":
        return (st.dates(date(1900, 1, 1), date(2030, 12, 31)) | st.dates()).map(str)
    if kind == "string":
        text = st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength"))
        return text.filter(lambda value: re.search(schema.get("pattern", ""), value) is not None)
    if kind == "array":
        items = from_json_schema(schema["items"])
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems"))
    assert kind == "object", f"type to teach this strategy: {kind}"
    fields = {name: from_json_schema(value) for name, value in schema["properties"].items()}
    required = {name: fields.pop(name) for name in schema.get("required", [])}
    return st.fixed_dictionaries(required, optional=fields)


@settings(max_examples=60, deadline=None)
@given(
    body=from_json_schema(REQUEST),
    place=st.sampled_from(["", "69003 Lyon", "Ajaccio", "51100 Reims", "67000 Strasbourg"]),
)
def test_every_request_the_document_allows_is_accepted(
    app: Flask, body: dict[str, Any], place: str
) -> None:
    # Known places too, so that generated requests also reach the search.
    body = body | {"adresse": place} if place else body
    REQUEST_CHECK.validate(body)
    assert_accepted_exactly_as_documented(app, body)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
# Valid values and near misses: strings standing for numbers, whole floats, blanks, nulls.
NEAR_MISSES: dict[str, list[Any]] = {
    "adresse": ["69003 Lyon", "Ajaccio", "", "  ", "x" * 301, 67000],
    "cancer": ["sein", "poumon", "tous", "Sein", None],
    "age": [0, 54, 71.0, 120, 121, -1, "54", 54.5, True, None],
    "soins": [[], ["dietetique"], ["psychologie", "activite_physique"], "dietetique", ["x"], None],
    "limite": [1, 20.0, 21, 0, "5", None],
    "fin_traitement": ["2025-01-31", "2020-02-29", "", None, "1899-12-31", "2025-W05-1", 2025],
}
BODIES = st.fixed_dictionaries(
    {}, optional={name: st.sampled_from(values) | JSON for name, values in NEAR_MISSES.items()}
)


@settings(max_examples=120, deadline=None)
@given(body=BODIES | JSON)
def test_any_body_is_refused_exactly_where_the_document_refuses_it(app: Flask, body: Any) -> None:
    assert_accepted_exactly_as_documented(app, body)


@pytest.mark.parametrize(
    "query",
    ["q=Strasbourg", "q=Lyon&limit=10", "q=St", "", "q=Lyon&limit=0", "q=Paris 15", "q=75013 Lyon"],
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


@pytest.mark.parametrize(
    "query",
    [
        "cancer=sein&age=54&departement=67",
        "cancer=sein&age=54&soins=dietetique&region=44&km=20&candidat=88000 Épinal",
        "cancer=sein&age=54&departement=67&format=csv",
        "cancer=sein&age=54&departement=67&format=geojson",
        "cancer=rate&age=deux&km=x&departement=99",
        "cancer=sein&age=54&format=xml",
    ],
)
def test_coverage_answers_match_the_document(client: FlaskClient, query: str) -> None:
    check("/couverture", "get", client.get(f"{PREFIX}/couverture?{query}"))


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


def test_data_inclusion_answers_match_the_document(client: FlaskClient) -> None:
    path = "/reseaux/{slug}/data-inclusion.json"
    for slug in ("neon", "onco-aura", "inconnu"):
        check(path, "get", client.get(PREFIX + path.format(slug=slug)))
