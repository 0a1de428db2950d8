"""Browser tests: the app served by a real HTTP server, driven in Debian's Chromium by Playwright.

Every page fixture fails its test on a console error, an uncaught exception, a failed request, or a
request to any host other than the app's own (no CDN, no tiles by default).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from geodata.config import Settings
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.importing import check_file, publish_check
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import create_schema, make_engine, session_factory
from geodata.storage.networks import ensure_network
from webapp import create_app

CHROMIUM = os.environ.get("ANNUAIRE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "geodata" / "data" / "demo"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


def load_demo(database_url: str) -> None:
    """Publish the demo directory of both networks into `database_url`."""
    engine = make_engine(Settings(database_url=database_url))
    create_schema(engine)
    gazetteer = get_gazetteer()
    with session_factory(engine)() as session, session.begin():
        for slug in ("neon", "onco-aura"):
            network = ensure_network(session, slug, slug.upper())
            data = (DEMO / f"{slug}.csv").read_bytes()
            check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
            assert check.ok, check.errors
            publish_check(session, network, check)
    engine.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` with a real threaded HTTP server on a free loopback port; yield its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app with the demo directory on a free loopback port; yield its base URL."""
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    load_demo(url)
    with serving(create_app({"database_url": url, "instance_path": folder})) as base:
        yield base


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ANNUAIRE_REQUIRE_ALL_DATABASES") == "1":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: browser tests are required here")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser_context(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_FLAGS,
        locale="fr-FR",
    )
    yield context
    context.close()
    shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageWatch:
    """What a page did that a good page never does."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        # Chromium also logs every HTTP error status; those are judged by on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def on_request(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(url)

    def on_response(self, response: Response) -> None:
        # A page's own status is the test's business (a 404 page is right to be a 404).
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_requests.append(f"{response.status}: {response.url}")

    def on_request_failed(self, request: Request) -> None:
        # An aborted request is what a navigation or a closing tab does to loads still in flight.
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"failed ({request.failure}): {request.url}")

    def attach(self, tab: Page) -> None:
        """Listen to everything `tab` does that this watch judges."""
        tab.on("console", self.on_console)
        tab.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        tab.on("requestfailed", self.on_request_failed)
        tab.on("request", lambda req: self.on_request(req.url))
        tab.on("response", self.on_response)

    def problems(self) -> list[str]:
        return self.console_errors + self.failed_requests + self.foreign_requests


@pytest.fixture
def page(browser_context: BrowserContext, live_server: str) -> Iterator[Page]:
    """A fresh tab; the test fails if the page logged an error or made a bad request."""
    tab = browser_context.new_page()
    watch = PageWatch(live_server)
    watch.attach(tab)
    yield tab
    tab.close()
    assert watch.problems() == [], "the page misbehaved"


def axe_violations(page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run axe-core in the page; return the violations of the given impacts."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in impacts
    ]
