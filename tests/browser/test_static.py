"""The public map's weight in Chromium: a compressed first visit, and a repeat visit that takes
every static file from the browser's cache (counted where it matters: at the server)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.watch import PageWatch
from tests.helpers import load_demo, serving
from webapp import create_app

FIRST_VISIT_LIMIT = 150_000
REPEAT_VISIT_LIMIT = 20_000
# Answers smaller than this are not worth compressing (the server sends them as they are).
SMALL = 1_000

StartResponse = Callable[..., Any]


@dataclass
class Hit:
    """One answer as the server sent it."""

    path: str
    encoding: str | None = None
    size: int = 0  # status line, headers and body


@dataclass
class Counter:
    """WSGI middleware recording every request that reaches the server, and its size."""

    app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
    hits: list[Hit] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        hit = Hit(environ["PATH_INFO"])
        self.hits.append(hit)

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            hit.encoding = dict(headers).get("Content-Encoding")
            hit.size += len(status) + 13 + sum(len(k) + len(v) + 4 for k, v in headers)
            return start_response(status, headers, *args)

        body = self.app(environ, start)
        try:
            for chunk in body:
                hit.size += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    def take(self) -> list[Hit]:
        """Return the hits so far and start counting afresh."""
        hits, self.hits = self.hits, []
        return hits


@dataclass(frozen=True)
class CountedServer:
    base: str
    counter: Counter


@pytest.fixture(scope="module")
def counted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountedServer]:
    """The demo app on its own origin (so the browser's cache starts empty), counted."""
    folder: Path = tmp_path_factory.mktemp("weight")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    load_demo(url)
    app = create_app({"database_url": url, "instance_path": folder})
    counter = Counter(app.wsgi_app)
    app.wsgi_app = counter  # type: ignore[method-assign]
    with serving(app) as base:
        yield CountedServer(base, counter)


@pytest.fixture
def tab(browser_context: BrowserContext, counted_server: CountedServer) -> Iterator[Page]:
    page = browser_context.new_page()
    watch = PageWatch(counted_server.base)
    watch.attach(page)
    yield page
    page.close()
    assert watch.problems() == [], "the page misbehaved"


def visit(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()  # outlines


def report(label: str, hits: list[Hit]) -> int:
    total = sum(hit.size for hit in hits)
    for hit in hits:
        print(f"{hit.size:>8} {hit.encoding or '-':<5} {hit.path}")
    print(f"{label}: {total / 1000:.1f} kB in {len(hits)} requests")
    return total


def test_the_first_visit_is_compressed_and_the_repeat_visit_takes_static_files_from_the_cache(
    tab: Page, counted_server: CountedServer
) -> None:
    counted_server.counter.take()
    visit(tab, counted_server.base + "/")
    first = counted_server.counter.take()
    assert report("first visit of /", first) < FIRST_VISIT_LIMIT
    static = [hit for hit in first if hit.path.startswith("/static/")]
    assert len(static) >= 10  # Leaflet, its clusters, our scripts and styles, the outlines
    assert all(hit.encoding in ("br", "gzip") for hit in first if hit.size > SMALL), first

    visit(tab, counted_server.base + "/")
    tab.reload(wait_until="networkidle")
    expect(tab.locator(".leaflet-overlay-pane path").first).to_be_attached()
    repeat = counted_server.counter.take()
    assert report("two repeat visits of /", repeat) < 2 * REPEAT_VISIT_LIMIT
    assert [hit.path for hit in repeat] == ["/", "/"]  # no static file was asked for again
