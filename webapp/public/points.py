"""The public map's markers: a small GeoJSON named after the version of the published directory.

The map page carries each site's details once, in its list; the markers come from
`/carte/structures-<version>.geojson` (`?reseau=SLUG` in a network's embed), which holds only
what a marker needs: the site's key, position, restriction kind and name. The version is a
short hash of the publication stamp (`published.read_stamp`, one statement on primary keys), so
every publication names new files and a browser keeps each one for a year without asking again.

A request naming any other version (a page rendered just before a publication, kept open or
restored by the back button; a made-up version) is redirected to the current file, and the
redirect is never stored. Such a page then still gets markers, matched to its list by key
(public-map.js draws only the keys its list holds), while the old address is never cached as
if it were current and each version's markers are stored once, under one address, by browsers
and proxies alike. Answering 404 would leave that page without markers; serving the current
markers under the old address would keep a second copy of them in every cache on the way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from flask import Response, redirect, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from geodata.orientation.directory import DirectoryEntry, DirectoryFilter, published_sites
from geodata.orientation.published import read_stamp
from webapp.services import get_db

RULE = "/carte/structures-<version>.geojson"
ENDPOINT = "points"
# Part of every version: changing the file's shape then names new files after a deployment,
# never answered from a browser's copy of the old shape.
FORMAT = "1"
VERSION_LENGTH = 12  # hexadecimal digits
DECIMALS = 5  # about a metre
CACHED_FOR_A_YEAR = "public, max-age=31536000, immutable"
MEDIA_TYPE = "application/geo+json"


def directory_version(session: Session) -> str:
    """Return a short name that changes whenever a publication changes the directory."""
    stamp = "|".join(str(part) for part in (FORMAT, *read_stamp(session)))
    digest = hashlib.blake2s(stamp.encode(), digest_size=VERSION_LENGTH // 2)
    return digest.hexdigest()


def points_url(version: str, reseau: str = "") -> str:
    """Return the address of the markers of `version`, of one network's sites if `reseau`."""
    return url_for(f"public.{ENDPOINT}", version=version, reseau=reseau or None)


def points_geojson(entries: Iterable[DirectoryEntry]) -> dict[str, Any]:
    """Return the markers of `entries`: key, position (rounded), restriction kind and name."""
    return {"type": "FeatureCollection", "features": [_feature(entry) for entry in entries]}


def _feature(entry: DirectoryEntry) -> dict[str, Any]:
    location = entry.record.location
    assert location is not None  # published sites are always placed
    point = [round(location.lon, DECIMALS), round(location.lat, DECIMALS)]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": point},
        "properties": {
            "site": entry.key,
            "nom": entry.record.nom,
            "restriction": entry.restriction,
        },
    }


def points(version: str) -> BaseResponse:
    """Serve the markers of the current version, or redirect another version to them.

    Raises:
        InvalidValue: `reseau` names no network (a 400 in French).
    """
    session = get_db()
    current = directory_version(session)
    reseau = request.args.get("reseau", "").strip()
    if version != current:
        moved = redirect(points_url(current, reseau))
        moved.headers["Cache-Control"] = "no-store"
        return moved
    entries = published_sites(session, DirectoryFilter(reseau=reseau))
    body = json.dumps(points_geojson(entries), ensure_ascii=False, separators=(",", ":"))
    response = Response(body, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = CACHED_FOR_A_YEAR
    return response
