"""Measure the local geocoder: gazetteer load time, then latency over the test query list."""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from geodata.geocoding.local import LocalGeocoder
from geodata.reference.gazetteer import load_gazetteer

QUERIES_FILE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "geodata"
    / "geocoding"
    / "geocoder_queries.tsv"
)
ROUNDS = 20


def read_queries() -> list[str]:
    """Return the queries of the test list."""
    with QUERIES_FILE.open(encoding="utf-8", newline="") as stream:
        return [
            row["query"] for row in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Return the value below which `fraction` of `sorted_values` lie."""
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    """Load the gazetteer, run the query list several rounds, print the figures."""
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    loaded = time.perf_counter()
    geocoder = LocalGeocoder(gazetteer)
    built = time.perf_counter()
    queries = read_queries()
    durations: list[float] = []
    for _ in range(ROUNDS):
        for query in queries:
            before = time.perf_counter()
            geocoder.geocode(query)
            durations.append(time.perf_counter() - before)
    durations.sort()
    print(f"gazetteer load: {(loaded - started) * 1000:.0f} ms")
    print(f"geocoder indexes: {(built - loaded) * 1000:.0f} ms")
    print(f"queries: {len(queries)} x {ROUNDS} rounds")
    print(f"median: {statistics.median(durations) * 1000:.3f} ms")
    print(f"p95: {percentile(durations, 0.95) * 1000:.3f} ms")
    print(f"p99: {percentile(durations, 0.99) * 1000:.3f} ms")
    print(f"max: {durations[-1] * 1000:.3f} ms")
    print(f"throughput: {len(durations) / sum(durations):.0f} queries/s")


if __name__ == "__main__":
    main()
