"""How a site is stored: its contract record as a row, the "|"-joined lists and their SQL tests.

The list columns (`cancers`, `publics`, `soins`, `zone`) hold codes joined by "|". The public
directory and the orientation search both filter on them with `listed`, so they read the
lists the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, Row, String, bindparam, false, or_
from sqlalchemy.orm import InstrumentedAttribute

from geodata.contract.records import Location, SiteRecord
from geodata.geocoding.precision import Precision
from geodata.storage.models import Site

LIST_FIELDS = ("cancers", "publics", "soins", "zone")


def site_values(record: SiteRecord, network_id: int) -> dict[str, Any]:
    """Return the column values of a located record, for an insert into `sites`."""
    if record.location is None:
        raise ValueError(f"site {record.identifiant} has no location")
    loc = record.location
    values = record.contract_values()
    for name in LIST_FIELDS:
        values[name] = "|".join(values[name])
    return values | {
        "network_id": network_id,
        "citycode": loc.citycode,
        "departement": loc.departement,
        "geocode_precision": loc.precision,
        "geocode_score": loc.score,
        "lat": loc.lat,
        "lon": loc.lon,
        "geom": f"SRID=4326;POINT({loc.lon!r} {loc.lat!r})",
    }


def site_record(site: Site | Row[Any, *tuple[Any, ...]]) -> SiteRecord:
    """Return the record of a stored site (a model instance or a row with its columns)."""
    return record_from(record_values(site))


# What `record_values` reads: the record's fields in `SiteRecord`'s order but the location
# (its last field, which `record_from` appends), then the location's columns.
_RECORD_FIELDS = tuple(f.name for f in fields(SiteRecord))[:-1]
assert fields(SiteRecord)[-1].name == "location", "record_from appends the location last"
_LOCATION_COLUMNS = ("lat", "lon", "citycode", "departement", "geocode_precision", "geocode_score")
_VALUE_COLUMNS = (*_RECORD_FIELDS, *_LOCATION_COLUMNS)
_LIST_POSITIONS = tuple(_RECORD_FIELDS.index(name) for name in LIST_FIELDS)
_PRECISIONS = {precision.value: precision for precision in Precision}


def record_values(site: Site | Row[Any, *tuple[Any, ...]]) -> tuple[Any, ...]:
    """Return a stored site's record as plain values, which `record_from` turns back into the
    record quickly: its fields with the lists split, then its location's (the precision as
    its value)."""
    values = [getattr(site, name) for name in _VALUE_COLUMNS]
    for position in _LIST_POSITIONS:
        values[position] = tuple(filter(None, values[position].split("|")))
    values[-2] = Precision.parse(values[-2]).value
    return tuple(values)


def record_from(values: Sequence[Any]) -> SiteRecord:
    """Return the record of `record_values`'s values."""
    *record, lat, lon, citycode, departement, precision, score = values
    record.append(Location(lat, lon, citycode, departement, _PRECISIONS[precision], score))
    return SiteRecord(*record)


def listed(column: InstrumentedAttribute[str], code: str) -> ColumnElement[bool]:
    """Return the SQL test that a list column holds `code` as a whole item."""
    # Surrounding "|" make "sein" match the whole item only, never a part of another code.
    return ("|" + column + "|").contains(f"|{code}|", autoescape=True)


def any_listed(column: InstrumentedAttribute[str], codes: Sequence[str]) -> ColumnElement[bool]:
    """Return the SQL test that a list column holds one of `codes`."""
    return or_(false(), *(listed(column, code) for code in codes))


def listed_param(column: InstrumentedAttribute[str], name: str) -> ColumnElement[bool]:
    """Return `listed` with the pattern as the named parameter `name` (see `list_pattern`).

    A statement built once per shape can then be run with any codes.
    """
    return ("|" + column + "|").like(bindparam(name, type_=String), escape="/")


def list_pattern(code: str) -> str:
    """Return the value of a `listed_param` parameter that tests for `code`."""
    escaped = code.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%|{escaped}|%"
