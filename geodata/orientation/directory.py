"""The public directory: every active published site, with the public map's filters, in SQL.

A filter keeps the sites that accept a cancer (`tous` or that cancer listed), an age group, a
care, and belong to a network; the lists are matched by `geodata.storage.sites`, as in the
orientation search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.contract.schema import load_schema
from geodata.errors import InvalidValue
from geodata.orientation.eligibility import ALL_CANCERS
from geodata.storage.models import Network, Site
from geodata.storage.networks import find_network
from geodata.storage.sites import any_listed, listed, site_record

# The restriction kinds the public map colours, in the legend's order.
RESTRICTIONS = ("tous", "sein-digestif", "sein", "enfants", "aja", "autre")

# Query parameter -> the contract's list column whose vocabulary it takes.
FILTER_VOCABULARIES = {"cancer": "cancers", "public": "publics", "soin": "soins"}


@dataclass(frozen=True)
class DirectoryFilter:
    """What the public wants to see; "" means any."""

    cancer: str = ""
    public: str = ""
    soin: str = ""
    reseau: str = ""  # a network's slug


@dataclass(frozen=True)
class DirectoryEntry:
    """An active published site, with its network and the restriction the map shows."""

    record: SiteRecord
    network: str  # slug
    network_name: str
    restriction: str  # one of RESTRICTIONS

    @property
    def key(self) -> str:
        """Return an identifier unique across networks (identifiants are unique per network)."""
        return f"{self.network}--{self.record.identifiant}"


def restriction_kind(record: SiteRecord) -> str:
    """Return which of `RESTRICTIONS` describes whom the site takes.

    An age restriction to children or to adolescents and young adults wins over the cancers;
    a site taking every cancer is "tous"; breast only and breast with digestive have their own
    kind; any other combination is "autre".
    """
    publics = set(record.publics)
    if publics == {"enfants"}:
        return "enfants"
    if publics == {"aja"}:
        return "aja"
    cancers = set(record.cancers)
    if ALL_CANCERS in cancers:
        return "tous" if "adultes" in publics else "autre"
    if cancers == {"sein", "digestif"}:
        return "sein-digestif"
    if cancers == {"sein"}:
        return "sein"
    return "autre"


def parse_filter(values: Mapping[str, str]) -> DirectoryFilter:
    """Return the filter named by query parameters `cancer`, `public`, `soin`, `reseau`.

    Empty or missing values mean any; other parameters are ignored.

    Raises:
        InvalidValue: a code outside the contract's vocabulary (the message lists the valid ones).
    """
    found = {name: values.get(name, "").strip() for name in (*FILTER_VOCABULARIES, "reseau")}
    for name, column in FILTER_VOCABULARIES.items():
        vocabulary = load_schema().vocabulary(column)
        if found[name] and found[name] not in vocabulary:
            raise InvalidValue(
                f"Valeur inconnue pour « {name} » : « {found[name]} ». "
                f"Valeurs possibles : {', '.join(vocabulary)}.",
                field=name,
                value=found[name],
            )
    return DirectoryFilter(**found)


def _conditions(session: Session, filters: DirectoryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Site.actif.is_(True)]
    if filters.cancer:
        conditions.append(any_listed(Site.cancers, (ALL_CANCERS, filters.cancer)))
    if filters.public:
        conditions.append(listed(Site.publics, filters.public))
    if filters.soin:
        conditions.append(listed(Site.soins, filters.soin))
    if filters.reseau:
        if find_network(session, filters.reseau) is None:
            raise InvalidValue(
                f"Le réseau « {filters.reseau} » n'existe pas : retirez le filtre « reseau » "
                "ou choisissez un réseau de la liste.",
                field="reseau",
                value=filters.reseau,
            )
        conditions.append(Network.slug == filters.reseau)
    return conditions


def published_sites(
    session: Session, filters: DirectoryFilter | None = None
) -> list[DirectoryEntry]:
    """Return the active published sites that pass `filters`, by network then name.

    Raises:
        InvalidValue: `filters.reseau` names no network.
    """
    query = (
        select(Site, Network.slug, Network.name)
        .join(Network)
        .where(*_conditions(session, filters or DirectoryFilter()))
        .order_by(Network.slug, Site.nom, Site.identifiant)
    )
    return [
        DirectoryEntry(record, slug, name, restriction_kind(record))
        for site, slug, name in session.execute(query)
        for record in (site_record(site),)
    ]


def directory_networks(session: Session) -> list[tuple[str, str]]:
    """Return (slug, name) of the networks that have an active published site, by name."""
    query = (
        select(Network.slug, Network.name)
        .where(Network.sites.any(Site.actif.is_(True)))
        .order_by(Network.name)
    )
    return [(slug, name) for slug, name in session.execute(query)]


def to_feature(entry: DirectoryEntry) -> dict[str, Any]:
    """Return the site as a GeoJSON Feature with the API contract's properties."""
    record = entry.record
    assert record.location is not None  # published sites are always placed
    properties = record.public_json() | {
        "reseau": entry.network,
        "reseau_nom": entry.network_name,
        "restriction": entry.restriction,
    }
    point = [record.location.lon, record.location.lat]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": point},
        "properties": properties,
    }


def feature_collection(entries: list[DirectoryEntry]) -> dict[str, Any]:
    """Return the entries as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": [to_feature(e) for e in entries]}
