"""Fakes at the project's true edges: a BAN-compatible geocoding API, served for real over HTTP
on a loopback port, answering what each test scripts."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def ban_feature(
    label: str,
    lat: float,
    lon: float,
    *,
    citycode: str,
    postcode: str,
    city: str,
    context: str,
    score: float = 0.9,
    kind: str = "housenumber",
) -> dict[str, Any]:
    """Return one feature shaped like the BAN API's."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "type": kind,
            "citycode": citycode,
            "postcode": postcode,
            "city": city,
            "context": context,
            "id": f"{citycode}_xxxx",
        },
    }


STRASBOURG = ban_feature(
    "1 Place de l'Étoile 67000 Strasbourg",
    48.5785,
    7.7512,
    citycode="67482",
    postcode="67000",
    city="Strasbourg",
    context="67, Bas-Rhin, Grand Est",
    score=0.97,
)


@dataclass
class FakeBan:
    """What the fake server answers, and what it was asked."""

    url: str = ""
    # Query text -> features; any other query gets an empty FeatureCollection.
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    status: int = 200
    raw_body: bytes | None = None  # sent as is instead of a FeatureCollection
    failing: set[str] = field(default_factory=set)  # queries answered with HTTP 500
    delay: float = 0.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def queries(self) -> list[dict[str, str]]:
        """Return the decoded query string of every request received."""
        return [
            dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
            for path, _ in self.requests
        ]


def _handler_for(fake: FakeBan) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append((self.path, dict(self.headers.items())))
            if fake.delay:
                time.sleep(fake.delay)
            params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            body, status = fake.raw_body, fake.status
            if params.get("q") in fake.failing:
                body, status = b"{}", 500
            if body is None:
                features = fake.answers.get(params.get("q", ""), [])
                body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (timeout tests)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


@contextmanager
def serve_fake_ban() -> Iterator[FakeBan]:
    """Run a BAN-shaped HTTP server on a free loopback port."""
    fake = FakeBan()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
