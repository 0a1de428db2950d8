"""Import throughput: a generated 10,000-row directory, validated, located, compared, published."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from geodata.config import Settings
from geodata.db import create_schema, drop_schema, make_engine, session_factory
from geodata.gazetteer import Gazetteer, get_gazetteer
from geodata.geocoding.local import LocalGeocoder
from geodata.importing import check_file, publish_check
from geodata.networks import ensure_network
from geodata.records import CONTRACT_FIELDS

T = TypeVar("T")
RESTRICTIONS = [
    ("tous", "adultes"),
    ("sein|digestif", "adultes"),
    ("sein", "adultes|aja"),
    ("tous", "enfants"),
    ("tous", "aja"),
]
SOINS = ["activite_physique", "dietetique", "psychologie", "activite_physique|dietetique|psychologie"]


def generate_csv(gazetteer: Gazetteer, rows: int, seed: int = 7) -> bytes:
    """Return a valid directory file of `rows` sites in real communes (`;`, UTF-8)."""
    rng = random.Random(seed)
    communes = [c for c in gazetteer.communes() if c.kind == "COM" and c.postcodes]
    lines = [";".join(CONTRACT_FIELDS)]
    for i in range(rows):
        commune = rng.choice(communes)
        cancers, publics = rng.choice(RESTRICTIONS)
        values = {name: "" for name in CONTRACT_FIELDS}
        values |= {
            "identifiant": f"BENCH-{i:05d}",
            "nom": f"Équipe de test {i}",
            "adresse": f"{rng.randint(1, 200)} rue de la République",
            "code_postal": commune.postcodes[0],
            "commune": commune.name,
            "telephone": f"03 88 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "courriel": f"equipe{i}@example.org",
            "cancers": cancers,
            "publics": publics,
            "soins": rng.choice(SOINS),
            "zone": commune.department if rng.random() < 0.3 else "",
        }
        lines.append(";".join(values[name] for name in CONTRACT_FIELDS))
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def bench_database(label: str, settings: Settings, data: bytes, rows: int, rounds: int) -> None:
    engine = make_engine(settings)
    gazetteer = get_gazetteer()
    geocoder = LocalGeocoder(gazetteer)
    totals = []
    for _ in range(rounds):
        drop_schema(engine)
        create_schema(engine)
        sessions = session_factory(engine)
        start = time.perf_counter()
        with sessions() as session, session.begin():
            network = ensure_network(session, "bench")
            check, checked = timed(lambda: check_file(session, network, data, gazetteer, geocoder))
            assert check.ok, check.errors[:3]
            _, published = timed(lambda: publish_check(session, network, check))
        totals.append(time.perf_counter() - start)
    with sessions() as session, session.begin():
        network = ensure_network(session, "bench")
        again, unchanged = timed(lambda: check_file(session, network, data, gazetteer, geocoder))
        assert again.diff is not None and again.diff.empty
    total = statistics.median(totals)
    print(
        f"import {rows} rows on {label}: median {total:.2f} s over {rounds} runs"
        f" = {rows / total:,.0f} rows/s (check {checked:.2f} s, publish {published:.2f} s;"
        f" re-import of the same file {unchanged:.2f} s, no change)"
    )
    engine.dispose()


def main(postgres_url: str | None = None, rows: int = 10_000, rounds: int = 3) -> None:
    data = generate_csv(get_gazetteer(), rows)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        bench_database("SpatiaLite", sqlite, data, rows, rounds)
    if postgres_url:
        bench_database("PostGIS", Settings(database_url=postgres_url), data, rows, rounds)
    else:
        print("PostGIS: skipped (no TEST_POSTGRES_URL)")
