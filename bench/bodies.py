"""Distinct orientation requests for the HTTP benchmark: full addresses and mixed profiles.

Each body names a street address in a real commune ("12 rue des Lilas, 54000 Nancy"), a cancer,
an age (a JSON integer) and 1 to 3 cares, so that no cache of a geocoder or a search can answer
the benchmark from a handful of repeated bodies.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from geodata.contract.schema import load_schema
from geodata.orientation.eligibility import ALL_CANCERS
from geodata.reference.gazetteer import get_gazetteer

COUNT = 20_000  # more than a run sends: a body comes back seldom
STREETS = (
    "rue des Lilas", "avenue de la République", "rue Victor Hugo", "place de la Mairie",
    "chemin des Vignes", "rue du Moulin", "boulevard Pasteur", "impasse des Roses",
    "rue de l'Église", "allée des Tilleuls", "route de Paris", "rue Jean Jaurès",
)  # fmt: skip


def addresses(count: int, rng: random.Random) -> list[str]:
    """Return `count` distinct street addresses in communes of the gazetteer."""
    communes = sorted(
        (c for c in get_gazetteer().communes() if c.kind == "COM" and c.postcodes),
        key=lambda commune: commune.code,
    )
    found: dict[str, None] = {}
    while len(found) < count:
        commune = rng.choice(communes)
        street = f"{rng.randint(1, 150)} {rng.choice(STREETS)}"
        found[f"{street}, {rng.choice(commune.postcodes)} {commune.name}"] = None
    return list(found)


def bodies(count: int = COUNT, seed: int = 3) -> list[str]:
    """Return `count` JSON bodies of `POST /api/v1/orientation`, each with its own address."""
    rng = random.Random(seed)
    schema = load_schema()
    cancers = [code for code in schema.vocabulary("cancers") if code != ALL_CANCERS]
    soins = list(schema.vocabulary("soins"))
    return [
        json.dumps({
            "adresse": address, "cancer": rng.choice(cancers), "age": rng.randint(1, 95),
            "soins": rng.sample(soins, rng.randint(1, 3)), "limite": 5,
        })
        for address in addresses(count, rng)
    ]  # fmt: skip


def write_bodies(path: Path, count: int = COUNT) -> Path:
    """Write the bodies to `path`, one a line (the form `orientation.lua` reads); return it."""
    path.write_text("".join(f"{body}\n" for body in bodies(count)), encoding="utf-8")
    return path
