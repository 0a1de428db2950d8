"""The directory's domain value: one validated, located site, as the CSV contract describes it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from geodata.contract.schema import load_schema
from geodata.geocoding.precision import Precision

# Fields of SiteRecord that belong to the CSV contract, in the contract's order (the schema's).
CONTRACT_FIELDS: tuple[str, ...] = load_schema().names
# What the public sees of a site: the contract less the coordinates as typed and the active flag
# (where a site is shown comes from its location; inactive sites are not shown at all).
PUBLIC_FIELDS = tuple(f for f in CONTRACT_FIELDS if f not in ("latitude", "longitude", "actif"))


@dataclass(frozen=True)
class Location:
    """Where a site was placed, and how precisely."""

    lat: float
    lon: float
    citycode: str  # INSEE code of the commune the site is in
    departement: str
    precision: Precision
    score: float  # 0..1, 1 for coordinates given in the file

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        """Rebuild a location from its JSON fields (the precision comes back as a plain string)."""
        return cls(**{**data, "precision": Precision.parse(data["precision"])})


@dataclass(frozen=True)
class SiteRecord:
    """A validated row of a network's directory file.

    Lists are tuples of vocabulary codes in the order given; `latitude`/`longitude` are the
    coordinates written in the file (None when the file left them empty), while `location`
    is where the site is actually placed (given coordinates or geocoding).
    """

    identifiant: str
    nom: str
    adresse: str
    code_postal: str
    commune: str
    cancers: tuple[str, ...]
    publics: tuple[str, ...]
    soins: tuple[str, ...]
    structure_porteuse: str = ""
    latitude: float | None = None
    longitude: float | None = None
    telephone: str = ""
    courriel: str = ""
    site_web: str = ""
    zone: tuple[str, ...] = ()
    actif: bool = True
    precisions: str = ""
    location: Location | None = None

    def contract_values(self) -> dict[str, Any]:
        """Return the contract fields only (what a diff compares and an export writes)."""
        return {name: getattr(self, name) for name in CONTRACT_FIELDS}

    def public_json(self) -> dict[str, Any]:
        """Return the fields the public sees, JSON-ready (tuples become lists)."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name in PUBLIC_FIELDS
            for value in (getattr(self, name),)
        }

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict (tuples become lists), used for publication snapshots."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteRecord:
        """Rebuild a record from `to_json` output."""
        values = dict(data)
        for f in fields(cls):
            if isinstance(values.get(f.name), list):
                values[f.name] = tuple(values[f.name])
        if values.get("location") is not None:
            values["location"] = Location.from_json(values["location"])
        return cls(**values)
