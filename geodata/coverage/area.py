"""The communes of an area: all of France, a region or some departments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import InvalidValue
from geodata.reference.gazetteer import Commune, Gazetteer
from geodata.storage.models import Network, Site


@dataclass(frozen=True)
class Area:
    """A region (by code), departments (by code), or all of France when both are empty."""

    region: str = ""
    departments: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Say which area this is, in French, for titles and notices."""
        if self.region:
            return f"région {self.region}"
        if self.departments:
            return "département(s) " + ", ".join(self.departments)
        return "toute la France"


def area_of(gazetteer: Gazetteer, region: str = "", departments: Sequence[str] = ()) -> Area:
    """Return the area named by a region code or department codes, checked.

    Raises:
        InvalidValue: an unknown region or department code, or both given.
    """
    region = region.strip()
    codes = tuple(dict.fromkeys(code.strip().upper() for code in departments if code.strip()))
    if region and codes:
        message = "Choisissez une région ou des départements, pas les deux."
        raise InvalidValue(message, field="departement", value="")
    if region and gazetteer.region(region) is None:
        known = ", ".join(f"{r.code} ({r.name})" for r in gazetteer.regions())
        raise InvalidValue(
            f"Région inconnue. Codes possibles : {known}.", field="region", value=region
        )
    for code in codes:
        if gazetteer.department(code) is None:
            message = f"Département inconnu : {code} (exemples : 01, 2A, 974)."
            raise InvalidValue(message, field="departement", value=code)
    return Area(region, codes)


def communes_in(gazetteer: Gazetteer, area: Area) -> list[Commune]:
    """Return the current communes of `area` (not arrondissements nor former communes)."""
    departments = set(area.departments)
    return [
        commune
        for commune in gazetteer.communes()
        if commune.kind == "COM"
        and (not area.region or commune.region == area.region)
        and (not departments or commune.department in departments)
    ]


def network_departments(session: Session, slug: str) -> tuple[str, ...]:
    """Return the departments where network `slug` has published sites, sorted."""
    query = (
        select(Site.departement)
        .join(Network)
        .where(Network.slug == slug)
        .distinct()
        .order_by(Site.departement)
    )
    return tuple(session.scalars(query))
