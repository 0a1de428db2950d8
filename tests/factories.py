"""Small builders of domain values for tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from geodata.contract.records import Location, SiteRecord

STRASBOURG = Location(48.5839, 7.7455, "67482", "67", "municipality", 1.0)


def site(identifiant: str = "GE-STRAS-01", **changes: Any) -> SiteRecord:
    """Return a valid located record; keyword arguments override fields."""
    record = SiteRecord(
        identifiant=identifiant,
        nom="Équipe de démonstration de Strasbourg",
        adresse="1 place de l'Étoile",
        code_postal="67000",
        commune="Strasbourg",
        cancers=("tous",),
        publics=("adultes",),
        soins=("activite_physique", "dietetique"),
        location=STRASBOURG,
    )
    return replace(record, **changes)
