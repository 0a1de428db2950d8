"""Weight of the public map `/`: bytes a first and a repeat visit download, as a browser would.

Serves the app with the demo directory on a free loopback port, asks for `/` and every static
file it names (in `src` and `href`, and the files its inline script loads at once: the base map's
land and labels), and the markers' GeoJSON that public-map.js loads at once (`data-points`), with
`Accept-Encoding: gzip, deflate, br`, and adds up the bytes received (status line, headers and
body as sent). A repeat visit asks for the page again and for every file that its
`Cache-Control` does not let a cache keep (conditionally, so an unchanged one costs a 304); the
markers' file, named after the directory's version, is kept like the static files. The same
is measured with 1,000 more generated sites, to see how the weight grows with the directory.
"""

from __future__ import annotations

import http.client
import random
import re
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from geodata.config import Settings
from geodata.contract.records import Location
from geodata.geocoding.precision import Precision
from geodata.publishing.versions import publish
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import make_engine, session_factory
from geodata.storage.networks import ensure_network
from tests.helpers import load_demo, serving, site
from webapp import create_app

# Any quoted static path: attributes, and the JSON of the inline script. Files loaded later, by
# zoom level or department in view, are named by a pattern, not a full path: not counted.
STATIC_URL = re.compile(r'"(/static/[^"]+\.[a-z0-9]+)"')
# The markers of the map (webapp.public.points), named in the page's `data-points`.
MARKERS_URL = re.compile(r'data-points="(/carte/structures-[0-9a-f]+\.geojson[^"]*)"')
GENERATED_SITES = 1_000
FRESH = re.compile(r"max-age=([1-9]\d*)")
BROWSER = "gzip, deflate, br"


@dataclass(frozen=True)
class Answer:
    """One response as it came over the wire."""

    status: int
    headers: dict[str, str]
    body: bytes
    wire_bytes: int


def fetch(port: int, path: str, headers: dict[str, str]) -> Answer:
    """GET `path` without decoding the body; count the bytes an HTTP/1.1 client receives."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        fields = response.getheaders()
    finally:
        connection.close()
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n\r\n")
    head += sum(len(name) + len(value) + 4 for name, value in fields)
    return Answer(response.status, {k.lower(): v for k, v in fields}, body, head + len(body))


def _cached(answer: Answer) -> bool:
    """Whether a browser keeps `answer` without asking again (fresh for a while)."""
    control = answer.headers.get("cache-control", "")
    return "no-store" not in control and "no-cache" not in control and bool(FRESH.search(control))


def _revalidation(answer: Answer) -> dict[str, str]:
    headers = {"Accept-Encoding": BROWSER}
    if "etag" in answer.headers:
        headers["If-None-Match"] = answer.headers["etag"]
    if "last-modified" in answer.headers:
        headers["If-Modified-Since"] = answer.headers["last-modified"]
    return headers


@dataclass(frozen=True)
class Visits:
    first: int
    repeat: int
    uncompressed: int
    files: int
    cached: int


def visits(port: int) -> Visits:
    """Measure a first and a repeat visit of `/` on the app served at `port`."""
    plain_page = fetch(port, "/", {})
    html = plain_page.body.decode("utf-8")
    named = STATIC_URL.findall(html) + [unescape(url) for url in MARKERS_URL.findall(html)]
    urls = list(dict.fromkeys(named))
    page = fetch(port, "/", {"Accept-Encoding": BROWSER})
    files = [fetch(port, url, {"Accept-Encoding": BROWSER}) for url in urls]
    plain = [plain_page, *(fetch(port, url, {}) for url in urls)]
    again = fetch(port, "/", {"Accept-Encoding": BROWSER}).wire_bytes
    for url, answer in zip(urls, files, strict=True):
        if not _cached(answer):
            again += fetch(port, url, _revalidation(answer)).wire_bytes
    return Visits(
        first=page.wire_bytes + sum(a.wire_bytes for a in files),
        repeat=again,
        uncompressed=sum(a.wire_bytes for a in plain),
        files=len(files),
        cached=sum(_cached(a) for a in files),
    )


def add_generated_sites(database_url: str, count: int, seed: int = 3) -> None:
    """Publish `count` sites at random communes as one more network."""
    rng = random.Random(seed)
    communes = [c for c in get_gazetteer().communes() if c.kind == "COM"]
    records = []
    for index in range(count):
        commune = rng.choice(communes)
        location = Location(commune.lat, commune.lon, commune.code, commune.department,
                            Precision.MUNICIPALITY, 1.0)  # fmt: skip
        records.append(site(f"GEN-{index:04d}", nom=f"Équipe générée n° {index} de {commune.name}",
                            commune=commune.name, location=location))  # fmt: skip
    engine = make_engine(Settings(database_url=database_url))
    with session_factory(engine)() as session, session.begin():
        publish(session, ensure_network(session, "generes", "Réseau généré"), records)
    engine.dispose()


def measure(extra_sites: int = 0) -> Visits:
    """Serve the demo app (with `extra_sites` more) on a free port; measure the visits of `/`."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.sqlite"
        load_demo(url)
        if extra_sites:
            add_generated_sites(url, extra_sites)
        app = create_app({"database_url": url, "instance_path": Path(folder)})
        with serving(app) as base:
            return visits(int(base.rsplit(":", 1)[1]))


def main() -> None:
    for label, extra in (
        ("demo directory", 0),
        (f"demo + {GENERATED_SITES:,} sites", GENERATED_SITES),
    ):
        result = measure(extra)
        aim = 150 if not extra else 450
        print(f"Weight of the public map / ({label}, page + {result.files} files):")
        print(f"  first visit    {result.first / 1000:7.1f} kB (aim < {aim}; "
              f"{result.uncompressed / 1000:.1f} kB uncompressed)")  # fmt: skip
        print(f"  repeat visit   {result.repeat / 1000:7.1f} kB ({result.cached} of "
              f"{result.files} files kept by the browser's cache)")  # fmt: skip
