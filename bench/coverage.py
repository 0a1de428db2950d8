"""Coverage analysis time: all of France and one region, one profile, both databases."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.search import fill
from geodata.config import Settings
from geodata.coverage.area import Area, area_of
from geodata.coverage.sites import Profile
from geodata.coverage.study import CoverageRequest, study_coverage
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import make_engine, session_factory

SITES = 1_000
ROUNDS = 5
PROFILE = Profile("sein", 54, ("dietetique",))


def timed(settings: Settings, area: Area) -> tuple[float, int]:
    """Return the median seconds of a coverage study of `area`, and its number of communes."""
    gazetteer = get_gazetteer()
    engine = make_engine(settings)
    durations = []
    communes = 0
    with session_factory(engine)() as session:
        for _ in range(ROUNDS):
            start = time.perf_counter()
            study = study_coverage(session, gazetteer, CoverageRequest(PROFILE, area, 30.0))
            durations.append(time.perf_counter() - start)
            communes = len(study.nearest.communes)
    engine.dispose()
    return statistics.median(durations), communes


def bench_database(label: str, settings: Settings) -> None:
    fill(make_engine(settings), SITES)
    gazetteer = get_gazetteer()
    for name, area in (("France", area_of(gazetteer)), ("Grand Est", area_of(gazetteer, "44"))):
        seconds, communes = timed(settings, area)
        print(
            f"coverage on {label}, {name} ({communes:,} communes, {SITES:,} sites): "
            f"median {seconds * 1000:.0f} ms over {ROUNDS} runs"
        )


def main(postgres_url: str | None = None) -> None:
    get_gazetteer()  # loaded once per process, as in the app: not part of a study's time
    with tempfile.TemporaryDirectory() as tmp:
        bench_database("SpatiaLite", Settings(database_url=f"sqlite:///{Path(tmp) / 'c.sqlite'}"))
    if postgres_url:
        bench_database("PostGIS", Settings(database_url=postgres_url))
    else:
        print("coverage on PostGIS: skipped (no TEST_POSTGRES_URL)")


if __name__ == "__main__":
    import os

    main(os.environ.get("TEST_POSTGRES_URL"))
