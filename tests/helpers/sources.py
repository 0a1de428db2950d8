"""A real HTTP server on loopback that serves a network's spreadsheet as tests set it."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class SpreadsheetHost:
    """What the server answers: a body with an ETag, or a redirect, a slow or huge body.

    `requests` counts the GETs; `conditional` the ones that carried a validator.
    """

    body: bytes = b""
    redirect_to: str = ""
    trickle_s: float = 0.0  # pause between bytes: a slow source
    declared_length: bool = True
    base: str = ""
    requests: int = 0
    conditional: int = 0
    paths: list[str] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


def _handler_for(host: SpreadsheetHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host.requests += 1
            host.paths.append(self.path)
            if host.redirect_to:
                self.send_response(302)
                self.send_header("Location", host.redirect_to)
                self.end_headers()
                return
            if self.headers.get("If-None-Match"):
                host.conditional += 1
                if self.headers["If-None-Match"] == host.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
            self._send_body()

        def _send_body(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("ETag", host.etag)
            if host.declared_length:
                self.send_header("Content-Length", str(len(host.body)))
            self.end_headers()
            if not host.trickle_s:
                self.wfile.write(host.body)
                return
            for byte in host.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(host.trickle_s)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve_spreadsheet(address: str = "127.0.0.1") -> Iterator[SpreadsheetHost]:
    """Serve a `SpreadsheetHost` on a free port of `address`; its `base` is the server's URL."""
    host = SpreadsheetHost()
    server = ThreadingHTTPServer((address, 0), _handler_for(host))
    server.daemon_threads = True
    host.base = f"http://{address}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()
