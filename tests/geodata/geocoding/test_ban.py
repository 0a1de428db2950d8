"""The BAN geocoder against a real local HTTP server that answers like the BAN API."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geodata.config import Settings
from geodata.errors import GeocoderUnavailable
from geodata.geocoding import GeocodeResult, make_geocoder
from geodata.geocoding.ban import (
    MAX_QUERY_LENGTH,
    BanGeocoder,
    prepare_query,
    result_from_feature,
)
from geodata.geocoding.precision import Precision
from tests.fakes import STRASBOURG, FakeBan, ban_feature, serve_fake_ban

AJACCIO = ban_feature(
    "Ajaccio",
    41.9267,
    8.7369,
    citycode="2A004",
    postcode="20000",
    city="Ajaccio",
    context="2A, Corse-du-Sud, Corse",
    score=0.45,
    kind="municipality",
)


@pytest.fixture
def fake_ban() -> Iterator[FakeBan]:
    with serve_fake_ban() as fake:
        yield fake


def test_features_become_results_with_department_from_context(fake_ban: FakeBan) -> None:
    fake_ban.answers["1 place de l'étoile strasbourg"] = [STRASBOURG, AJACCIO]
    results = BanGeocoder(fake_ban.url).geocode("1 place de l'étoile strasbourg")
    assert results == [
        GeocodeResult(
            label="1 Place de l'Étoile 67000 Strasbourg",
            citycode="67482",
            postcode="67000",
            city="Strasbourg",
            lat=48.5785,
            lon=7.7512,
            score=0.97,
            type=Precision.HOUSENUMBER,
            department="67",
        ),
        GeocodeResult(
            label="Ajaccio",
            citycode="2A004",
            postcode="20000",
            city="Ajaccio",
            lat=41.9267,
            lon=8.7369,
            score=0.45,
            type=Precision.MUNICIPALITY,
            department="2A",
        ),
    ]


def test_a_kind_outside_bans_vocabulary_is_trusted_no_more_than_the_commune() -> None:
    station = {**STRASBOURG, "properties": {**STRASBOURG["properties"], "type": "poi"}}
    assert result_from_feature(station).type is Precision.MUNICIPALITY


def test_unknown_address_gives_an_empty_list(fake_ban: FakeBan) -> None:
    assert BanGeocoder(fake_ban.url).geocode("nulle part du tout") == []


def test_limit_is_sent_and_respected(fake_ban: FakeBan) -> None:
    fake_ban.answers["strasbourg"] = [STRASBOURG, AJACCIO]
    results = BanGeocoder(fake_ban.url).geocode("strasbourg", limit=1)
    assert fake_ban.queries() == [{"q": "strasbourg", "limit": "1"}]
    assert [r.city for r in results] == ["Strasbourg"]


def test_accents_spaces_and_apostrophes_are_url_encoded(fake_ban: FakeBan) -> None:
    query = "12 rue de l'Église Saint-Étienne & fils"
    BanGeocoder(fake_ban.url + "/").geocode(query)
    path, _ = fake_ban.requests[0]
    assert path.startswith("/search/?")
    assert " " not in path and "É" not in path
    assert "%C3%89" in path
    assert fake_ban.queries()[0]["q"] == query


def test_requests_carry_a_user_agent(fake_ban: FakeBan) -> None:
    BanGeocoder(fake_ban.url).geocode("strasbourg")
    _, headers = fake_ban.requests[0]
    assert headers["User-Agent"].startswith("annuaire-apres-cancer/")


@pytest.mark.parametrize("query", ["", "  ", "ab", " a  ", "-- x"])
def test_too_short_query_returns_nothing_without_calling_the_service(
    fake_ban: FakeBan, query: str
) -> None:
    assert BanGeocoder(fake_ban.url).geocode(query) == []
    assert fake_ban.requests == []


def test_long_query_is_cut_on_a_word_boundary_below_the_limit(fake_ban: FakeBan) -> None:
    query = "12 avenue du Général de Gaulle " * 12
    BanGeocoder(fake_ban.url).geocode(query)
    sent = fake_ban.queries()[0]["q"]
    assert len(sent) <= MAX_QUERY_LENGTH
    assert query.startswith(sent)
    assert query[len(sent)] == " "


def test_query_must_start_with_a_letter_or_digit() -> None:
    assert prepare_query('  "- 3 rue   Haute ') == "3 rue Haute"
    assert prepare_query("x" * 250) == "x" * MAX_QUERY_LENGTH


@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_http_error_raises_geocoder_unavailable_in_french(fake_ban: FakeBan, status: int) -> None:
    fake_ban.status = status
    with pytest.raises(GeocoderUnavailable) as info:
        BanGeocoder(fake_ban.url).geocode("strasbourg")
    assert info.value.message.startswith("Le service de géocodage ne répond pas")
    assert info.value.data["status"] == status


def test_slow_service_times_out(fake_ban: FakeBan) -> None:
    fake_ban.delay = 1.0
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        BanGeocoder(fake_ban.url, timeout=0.2).geocode("strasbourg")
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"features": [',
        b"\xff\xfe not utf-8",
        b'{"type": "FeatureCollection"}',
        b'{"features": [{"properties": {"label": "x"}}]}',
        b"[1, 2, 3]",
    ],
)
def test_malformed_answer_raises_geocoder_unavailable(fake_ban: FakeBan, body: bytes) -> None:
    fake_ban.raw_body = body
    with pytest.raises(GeocoderUnavailable):
        BanGeocoder(fake_ban.url).geocode("strasbourg")


def test_unreachable_service_raises_geocoder_unavailable() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens on this port any more
    with pytest.raises(GeocoderUnavailable):
        BanGeocoder(f"http://127.0.0.1:{port}", timeout=1.0).geocode("strasbourg")


def test_query_never_appears_in_logs(fake_ban: FakeBan, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    geocoder = BanGeocoder(fake_ban.url, timeout=0.2)
    secret = "Madame Secrète 7 impasse Confidentielle Tulle"
    fake_ban.answers[secret] = [STRASBOURG]
    geocoder.geocode(secret)
    fake_ban.status = 500
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode(secret)
    fake_ban.status, fake_ban.raw_body = 200, b"not json"
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode(secret)
    assert caplog.records, "failures should be logged, without the query"
    for needle in ("Secr", "Confidentielle", "Secr%C3%A8te", "Confidentielle+"):
        assert needle not in caplog.text


def test_make_geocoder_builds_a_working_ban_geocoder(fake_ban: FakeBan) -> None:
    fake_ban.answers["strasbourg"] = [STRASBOURG]
    geocoder = make_geocoder(Settings(geocoder="ban", ban_url=fake_ban.url, ban_timeout=2.0))
    assert geocoder.street_level is True
    assert [r.citycode for r in geocoder.geocode("strasbourg")] == ["67482"]
