"""Import throughput: a generated 10,000-row directory, validated, located, compared, published."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from geodata.config import Settings
from geodata.contract.records import CONTRACT_FIELDS
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.diff import Diff
from geodata.publishing.importing import check_file, publish_check
from geodata.reference.gazetteer import Gazetteer, get_gazetteer
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from geodata.storage.networks import ensure_network

ROWS = 10_000
RESTRICTIONS = [
    ("tous", "adultes"),
    ("sein|digestif", "adultes"),
    ("sein", "adultes|aja"),
    ("tous", "enfants"),
    ("tous", "aja"),
]
SOINS = ["activite_physique", "dietetique", "psychologie", "activite_physique|psychologie"]


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


def import_once(settings: Settings, data: bytes) -> tuple[float, float, float]:
    """Import `data` into a fresh database; return (check, publish, re-check) seconds."""
    engine = make_engine(settings)
    drop_schema(engine)
    create_schema(engine)
    gazetteer = get_gazetteer()
    geocoder = LocalGeocoder(gazetteer)
    with session_factory(engine)() as session, session.begin():
        network = ensure_network(session, "bench")
        start = time.perf_counter()
        check = check_file(session, network, data, gazetteer, geocoder)
        checked = time.perf_counter()
        assert check.ok, check.errors[:3]
        publish_check(session, network, check)
        published = time.perf_counter()
    with session_factory(engine)() as session:
        network = ensure_network(session, "bench")
        again = time.perf_counter()
        assert check_file(session, network, data, gazetteer, geocoder).diff == _empty_diff()
        rechecked = time.perf_counter() - again
    engine.dispose()
    return checked - start, published - checked, rechecked


def _empty_diff() -> Diff:
    return Diff((), (), (), ROWS)


def bench_database(label: str, settings: Settings, data: bytes, rounds: int) -> None:
    runs = [import_once(settings, data) for _ in range(rounds)]
    totals = [check + publish for check, publish, _ in runs]
    check, publish, recheck = (statistics.median(values) for values in zip(*runs, strict=True))
    total = statistics.median(totals)
    print(
        f"import {ROWS} rows on {label}: median {total:.2f} s over {rounds} runs"
        f" = {ROWS / total:,.0f} rows/s (validate+geocode+diff {check:.2f} s,"
        f" publish {publish:.2f} s; re-import of the same file {recheck:.2f} s, no change)"
    )


def main(postgres_url: str | None = None, rounds: int = 3) -> None:
    data = generate_csv(get_gazetteer(), ROWS)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        bench_database("SpatiaLite", sqlite, data, rounds)
    if postgres_url:
        bench_database("PostGIS", Settings(database_url=postgres_url), data, rounds)
    else:
        print("PostGIS: skipped (no TEST_POSTGRES_URL)")
