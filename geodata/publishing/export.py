"""The published directory back out: the CSV contract (formula-safe) and GeoJSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from geodata.contract.records import CONTRACT_FIELDS, SiteRecord

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Return `text` prefixed with a quote when a spreadsheet would run it as a formula.

    The importer removes that quote again, so exported files round-trip.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return neutralise("|".join(value))
    return neutralise(str(value))


def to_csv(records: Sequence[SiteRecord], delimiter: str = ";") -> str:
    """Write records in the directory CSV contract (header, then one row per site).

    `;` and a leading BOM because French Excel then opens the file directly with its accents
    (without the BOM it reads Windows-1252); the importer accepts both.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CONTRACT_FIELDS)
    for record in records:
        values = record.contract_values()
        writer.writerow([_cell(values[name]) for name in CONTRACT_FIELDS])
    return buffer.getvalue()


def _feature(record: SiteRecord) -> dict[str, Any]:
    if record.location is None:
        raise ValueError(f"site {record.identifiant} has no location")
    loc = record.location
    properties = {
        k: list(v) if isinstance(v, tuple) else v for k, v in record.contract_values().items()
    }
    properties |= {"code_commune": loc.citycode, "precision": loc.precision}
    return {
        "type": "Feature",
        "id": record.identifiant,
        "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
        "properties": properties,
    }


def to_geojson(records: Sequence[SiteRecord]) -> dict[str, Any]:
    """Return the records as a GeoJSON FeatureCollection (WGS84, [lon, lat])."""
    return {"type": "FeatureCollection", "features": [_feature(r) for r in records]}
