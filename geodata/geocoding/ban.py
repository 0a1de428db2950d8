"""Geocoding through a BAN-compatible HTTP API (the public BAN API or a self-hosted addok).

Queries are addresses of patients or care sites, hence health-related data: they are sent to
the configured service only, and never logged (nor the URL that carries them).
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from geodata.errors import GeocoderUnavailable
from geodata.geocoding.precision import Precision
from geodata.geocoding.result import GeocodeResult

logger = logging.getLogger(__name__)

# BAN answers 400 to queries outside these bounds.
MIN_QUERY_LENGTH = 3
MAX_QUERY_LENGTH = 200
USER_AGENT = "annuaire-apres-cancer/0.1 (+https://example.org/annuaire-apres-cancer)"
UNAVAILABLE_MESSAGE = (
    "Le service de géocodage ne répond pas. Réessayez dans quelques instants ; "
    "si le problème persiste, prévenez l'administrateur du site."
)


def prepare_query(query: str) -> str:
    """Return `query` as BAN accepts it, or "" when it is too short to be sent.

    BAN wants 3 to 200 characters starting with a letter or a digit; a long query is cut at
    the last space before the limit so that no word is sent half-written.
    """
    text = " ".join(query.split())
    while text and not text[0].isalnum():
        text = text[1:].lstrip()
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[: MAX_QUERY_LENGTH + 1]
        space = cut.rfind(" ")
        text = cut[:space] if space >= MIN_QUERY_LENGTH else text[:MAX_QUERY_LENGTH]
    return text if len(text) >= MIN_QUERY_LENGTH else ""


def department_of(context: str) -> str:
    """Return the department code from a BAN `context` ("67, Bas-Rhin, Grand Est" -> "67")."""
    return context.split(",", 1)[0].strip()


def result_from_feature(feature: dict[str, Any]) -> GeocodeResult:
    """Map one GeoJSON feature of a BAN answer to a `GeocodeResult`.

    Raises:
        KeyError, TypeError, ValueError, IndexError: the feature does not have BAN's shape.
    """
    lon, lat = feature["geometry"]["coordinates"][:2]
    props = feature["properties"]
    return GeocodeResult(
        label=str(props["label"]),
        citycode=str(props.get("citycode", "")),
        postcode=str(props.get("postcode", "")),
        city=str(props.get("city", "")),
        lat=float(lat),
        lon=float(lon),
        score=float(props.get("score", 0.0)),
        type=Precision.parse(str(props.get("type", ""))),
        department=department_of(str(props.get("context", ""))),
    )


class BanGeocoder:
    """Street-level geocoder calling `GET {base_url}/search/?q=...&limit=...`."""

    street_level = True

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]:
        """Return up to `limit` candidates for `query`, best first ([] for a too short query).

        Raises:
            GeocoderUnavailable: the service failed, timed out or answered something unusable.
        """
        text = prepare_query(query)
        if not text:
            return []
        answer = self._get_json({"q": text, "limit": str(max(1, limit))})
        try:
            features = answer["features"]
            return [result_from_feature(feature) for feature in features[: max(1, limit)]]
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            logger.warning(
                "Geocoding service answered an unexpected shape (%s)", type(exc).__name__
            )
            raise GeocoderUnavailable(UNAVAILABLE_MESSAGE, reason="shape") from exc

    def _get_json(self, params: dict[str, str]) -> Any:
        """Call the search endpoint and decode its JSON answer."""
        url = f"{self.base_url}/search/?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            # Only the status: the exception also holds the URL, which contains the query.
            logger.warning("Geocoding service answered HTTP %s", exc.code)
            raise GeocoderUnavailable(UNAVAILABLE_MESSAGE, reason="http", status=exc.code) from None
        except (OSError, http.client.HTTPException) as exc:
            logger.warning("Geocoding service unreachable (%s)", type(exc).__name__)
            raise GeocoderUnavailable(UNAVAILABLE_MESSAGE, reason="network") from None
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            logger.warning("Geocoding service answered invalid JSON")
            raise GeocoderUnavailable(UNAVAILABLE_MESSAGE, reason="json") from None
