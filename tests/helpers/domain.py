"""Domain values for tests: a valid located site record, and where the test data lives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from geodata.contract.records import Location, SiteRecord
from geodata.geocoding.precision import Precision

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "geodata" / "data" / "demo"
# The directory contract's header, in its order.
HEADER = (
    "identifiant;nom;structure_porteuse;adresse;code_postal;commune;latitude;longitude;"
    "telephone;courriel;site_web;cancers;publics;soins;zone;actif;precisions"
)

STRASBOURG = Location(48.5839, 7.7455, "67482", "67", Precision.MUNICIPALITY, 1.0)


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
