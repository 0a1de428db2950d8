"""Orientation search latency: generated sites over France, random patients, both databases.

`nearest_sites` answers from the process's index of the directory (built by the first search
after a change, timed apart); `database_search` is the database's spatial index alone.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from geodata.config import Settings
from geodata.geocoding.precision import Precision
from geodata.orientation.eligibility import Patient
from geodata.orientation.published import published_index
from geodata.orientation.search import Orientation, database_search, nearest_sites
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from geodata.storage.models import Site
from geodata.storage.networks import ensure_network

SIZES = (1_000, 100_000)
PATIENTS = 200
MAINLAND = (42.4, 51.0, -4.7, 8.2)  # south, north, west, east
OVERSEAS = [(-21.1, 55.5), (16.2, -61.5), (14.6, -61.0), (4.9, -52.3), (-12.8, 45.2)]
DEPARTMENTS = ["13", "2A", "33", "59", "67", "69", "75", "974"]
CANCERS = ["tous", "tous", "tous", "sein|digestif", "sein", "poumon|orl", "hematologique"]
PUBLICS = ["adultes", "adultes", "adultes|aja", "enfants", "aja", "enfants|aja"]
SOINS = ["activite_physique", "dietetique", "psychologie"]


def _point(rng: random.Random) -> tuple[float, float]:
    if rng.random() < 0.02:
        lat, lon = rng.choice(OVERSEAS)
        return lat + rng.uniform(-0.3, 0.3), lon + rng.uniform(-0.3, 0.3)
    south, north, west, east = MAINLAND
    return rng.uniform(south, north), rng.uniform(west, east)


def _row(rng: random.Random, index: int, network_id: int) -> dict[str, Any]:
    lat, lon = _point(rng)
    return {
        "network_id": network_id, "identifiant": f"B-{index:06d}", "nom": f"Équipe {index}",
        "adresse": "1 rue de la République", "code_postal": "75001", "commune": "Paris",
        "cancers": rng.choice(CANCERS), "publics": rng.choice(PUBLICS),
        "soins": "|".join(rng.sample(SOINS, rng.randint(1, 3))),
        "zone": rng.choice(DEPARTMENTS) if rng.random() < 0.3 else "",
        "actif": rng.random() > 0.05, "citycode": "75056", "departement": "75",
        "geocode_precision": Precision.GIVEN, "geocode_score": 1.0, "lat": lat, "lon": lon,
        "geom": f"SRID=4326;POINT({lon!r} {lat!r})",
    }  # fmt: skip


def fill(engine: Engine, count: int, seed: int = 11) -> float:
    """Replace the database's content by `count` generated sites; return the seconds taken."""
    drop_schema(engine)
    create_schema(engine)
    start = time.perf_counter()
    add_sites(engine, count, seed)
    return time.perf_counter() - start


Profile = dict[str, Any]  # the values of some of a site's columns


def add_sites(engine: Engine, count: int, seed: int = 11, profiles: Sequence[Profile] = ()) -> None:
    """Add `count` generated sites to what the database holds, as one more network.

    With `profiles`, each site takes the restrictions of one of them at random (for a directory
    like a real one) instead of random restrictions (many sites left out of each search).
    """
    rng = random.Random(seed)
    with session_factory(engine)() as session, session.begin():
        network_id = ensure_network(session, "bench").id
        for first in range(0, count, 10_000):
            rows = [_row(rng, i, network_id) for i in range(first, min(count, first + 10_000))]
            if profiles:
                rows = [row | rng.choice(profiles) for row in rows]
            session.execute(insert(Site), rows)


def patients(count: int, seed: int = 5) -> list[tuple[Patient, float, float]]:
    """Return random patients with where they live."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        lat, lon = _point(rng)
        department = rng.choice(DEPARTMENTS)
        soins = tuple(rng.sample(SOINS, rng.randint(1, 3)))
        cancer = rng.choice(["sein", "digestif", "poumon", "prostate", "hematologique", "autre"])
        patient = Patient(cancer, rng.randint(0, 90), soins, "00000", department,
                          frozenset({department, "00000"}))  # fmt: skip
        found.append((patient, lat, lon))
    return found


Search = Callable[..., Any]


def measure(
    session: Session, cases: list[tuple[Patient, float, float]], search: Search = nearest_sites
) -> tuple[list[float], list[Orientation]]:
    """Return the latency of each search, in milliseconds, and its answer."""
    timings, answers = [], []
    for patient, lat, lon in cases:
        start = time.perf_counter()
        answers.append(search(session, patient, lat, lon, limit=5))
        timings.append((time.perf_counter() - start) * 1000)
    return timings, answers


def _summary(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"


def _index_figures(session: Session) -> str:
    start = time.perf_counter()
    published = published_index(session)
    seconds = time.perf_counter() - start
    size = published.nbytes / 1e6 if published is not None else 0.0
    return f"index built in {seconds:.2f} s, {size:.1f} MB"


def bench_database(label: str, settings: Settings) -> None:
    engine = make_engine(settings)
    cases = patients(PATIENTS)
    for size in SIZES:
        seconds = fill(engine, size)
        with session_factory(engine)() as session:
            built = _index_figures(session)
            measure(session, cases[:20])  # warm the caches and the connection
            indexed, answers = measure(session, cases)
            database, expected = measure(session, cases, database_search)
        differ = sum(a != b for a, b in zip(answers, expected, strict=True))
        print(
            f"search on {label}, {size:,} sites (generated in {seconds:.1f} s, {built}), "
            f"{len(cases)} random patients:\n  nearest_sites {_summary(indexed)}\n"
            f"  database search alone {_summary(database)}; answers that differ: {differ}"
        )
    engine.dispose()


def main(postgres_url: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench_database("SpatiaLite", Settings(database_url=f"sqlite:///{Path(tmp) / 'b.sqlite'}"))
    if postgres_url:
        bench_database("PostGIS", Settings(database_url=postgres_url))
    else:
        print("search on PostGIS: skipped (no TEST_POSTGRES_URL)")


if __name__ == "__main__":
    import os

    main(os.environ.get("TEST_POSTGRES_URL"))
