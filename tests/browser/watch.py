"""What a browser page must never do (console errors, failed or foreign requests), and axe-core
accessibility checks, for the browser tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

from tests.helpers import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


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


# A Leaflet popup fully shown: axe must not see it half transparent, in its fade-in.
POPUP_SHOWN = (
    "() => { const p = document.querySelector('.leaflet-popup');"
    " return p !== null && getComputedStyle(p).opacity === '1'; }"
)


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


@contextmanager
def signed_in_tab(context: BrowserContext, base: str, email: str, password: str) -> Iterator[Page]:
    """Yield a fresh tab signed in on the app at `base`; fail on any error, like `page`."""
    context.clear_cookies()
    tab = context.new_page()
    watch = PageWatch(base)
    watch.attach(tab)
    tab.goto(f"{base}/connexion")
    tab.get_by_label("Adresse électronique").fill(email)
    tab.get_by_label("Mot de passe").fill(password)
    tab.get_by_role("button", name="Se connecter").click()
    tab.wait_for_load_state()
    yield tab
    tab.close()
    assert watch.problems() == [], "the page misbehaved"
