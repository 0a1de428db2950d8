"""HTTP throughput of `POST /api/v1/orientation` against `GET /healthz` on one gunicorn server.

Starts gunicorn (2 workers, the project's gunicorn.conf.py) on a free loopback port with the demo
directory (and then with 1,000 and 100,000 generated sites more: `BENCH_HTTP_SCALES`), drives
it with wrk (Debian package `wrk`) for a bounded time, prints requests/s and latency for each
endpoint and the ratio, then stops gunicorn. The orientation requests are
thousands of distinct bodies (`bench.bodies`: full addresses, mixed profiles), so that no cache
answers them from a few repeated ones.

On a machine shared with other work, throughput follows whatever else runs: the CPU time the
workers spent per answer (from /proc, on Linux) is printed too, and its ratio moves much less.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, select

from bench.bodies import COUNT, write_bodies
from bench.search import Profile, add_sites
from geodata.config import Settings
from geodata.storage.engine import create_schema, drop_schema, make_engine
from geodata.storage.models import Site

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("orientation.lua")
WORKERS = 2
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = 8
# Generated sites added to the demo directory (about 30 sites), with the restrictions of the
# demo's sites taken at random: none, a large national directory, and far beyond any real one.
SCALES = tuple(int(n) for n in os.environ.get("BENCH_HTTP_SCALES", "0,1000,100000").split(","))
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    """What wrk measured on one endpoint."""

    requests_per_s: float
    median_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms: float | None = None  # the server's CPU time per request, when known


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _milliseconds(text: str, percentile: str) -> float:
    found = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no {percentile}% latency:\n{text}")
    return float(found.group(1)) * UNITS[found.group(2)]


def parse_wrk(text: str) -> Load:
    """Return the throughput, median and p99 latency, and failed answers in wrk's report."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    if not rate:
        raise RuntimeError(f"wrk printed no throughput:\n{text}")
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|timeout)\s*:?\s*(\d+)", text)
    )
    total = re.search(r"^\s*(\d+) requests in", text, re.MULTILINE)
    latencies = _milliseconds(text, "50"), _milliseconds(text, "99")
    return Load(float(rate.group(1)), *latencies, errors, int(total.group(1)) if total else 0)


def _cpu_seconds(master: int) -> float | None:
    """Return the CPU time gunicorn's master `master` and its workers have used (None: no
    /proc to read)."""
    total, found = 0.0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended meanwhile
        if int(stat.parent.name) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            found = True
    return total if found else None


def _wrk(url: str, bodies: Path | None = None, master: int = 0) -> Load:
    """Drive `url` with GET requests, or with POST requests of `bodies` (one a line); with the
    pid of gunicorn's `master`, measure the CPU time its processes spend per request."""
    before = _cpu_seconds(master) if master else None
    threads = str(min(2, CONNECTIONS))
    command = ["wrk", "-t", threads, "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--latency"]
    if bodies is not None:
        command += ["-s", str(LUA), url, "--", str(bodies)]
    else:
        command.append(url)
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    load = parse_wrk(result.stdout)
    after = _cpu_seconds(master) if before is not None else None
    if before is None or after is None or not load.requests:
        return load
    return replace(load, cpu_ms=(after - before) * 1000 / load.requests)


def _load_demo(env: dict[str, str], extra_sites: int) -> None:
    # Start from an empty database: the search benchmark leaves 100,000 sites in PostGIS.
    engine = make_engine(Settings(database_url=env["DATABASE_URL"]))
    drop_schema(engine)
    create_schema(engine)  # `etl demo` refuses a database without the schema
    subprocess.run([sys.executable, "-m", "etl", "demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    if extra_sites:
        add_sites(engine, extra_sites, profiles=_profiles(engine))
    # Now rather than by PostgreSQL's autovacuum during a measure, which it would slow down.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(
            "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
        )
    engine.dispose()


def _profiles(engine: Engine) -> list[Profile]:
    """Return the restrictions of the demo's sites (without their zones, local to them)."""
    columns = (Site.cancers, Site.publics, Site.soins, Site.actif)
    with engine.connect() as connection:
        rows = connection.execute(select(*columns)).all()
    return [{"cancers": c, "publics": p, "soins": s, "actif": a, "zone": ""} for c, p, s, a in rows]


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}"]
    command += ["-w", str(WORKERS), "--access-logfile", os.devnull, "--error-logfile", "-"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def _print(name: str, load: Load) -> None:
    print(
        f"  {name:<28} {load.requests_per_s:8.0f} req/s   median {load.median_ms:6.2f} ms   "
        f"p99 {load.p99_ms:6.2f} ms" + (f"   {load.errors} failed" if load.errors else "")
    )


def measure(database_url: str, label: str, extra_sites: int = 0) -> float:
    """Benchmark both endpoints on `database_url` (demo data and `extra_sites` generated
    sites loaded); return the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"DATABASE_URL": database_url, "ANNUAIRE_INSTANCE_PATH": folder}
        _load_demo(env, extra_sites)
        bodies = write_bodies(Path(folder) / "bodies.jsonl")
        port = _free_port()
        server = _serve(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            _wrk(f"{base}/api/v1/orientation", bodies)  # warm-up of both workers
            health = _wrk(f"{base}/healthz", master=server.pid)
            orientation = _wrk(f"{base}/api/v1/orientation", bodies, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ratio = orientation.requests_per_s / health.requests_per_s
    sites = f"demo + {extra_sites:,} sites like the demo's" if extra_sites else "demo"
    print(f"HTTP on gunicorn ({WORKERS} workers, {label}, {sites}, wrk {CONNECTIONS} connections, "
          f"{SECONDS} s each, {COUNT:,} distinct orientation bodies):")  # fmt: skip
    _print("GET /healthz", health)
    _print("POST /api/v1/orientation", orientation)
    print(f"  ratio orientation/healthz: {ratio:.2f} (aim >= 0.5)")
    if health.cpu_ms and orientation.cpu_ms:
        cpu_ratio = health.cpu_ms / orientation.cpu_ms
        print(f"  server CPU per request: healthz {health.cpu_ms:.2f} ms, orientation "
              f"{orientation.cpu_ms:.2f} ms, ratio {cpu_ratio:.2f}")  # fmt: skip
    return ratio


def main(postgres_url: str | None = None) -> None:
    """Print the HTTP benchmark on SpatiaLite, and on PostGIS when `postgres_url` is given."""
    if shutil.which("wrk") is None:
        print("HTTP benchmark skipped: wrk is not installed (make system-deps)")
        return
    for extra_sites in SCALES:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{Path(folder) / 'bench.sqlite'}", "SpatiaLite", extra_sites)
        if postgres_url:
            measure(postgres_url, "PostGIS", extra_sites)


if __name__ == "__main__":
    main(os.environ.get("TEST_POSTGRES_URL"))
