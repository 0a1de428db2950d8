"""Browser tests: the app served by a real HTTP server, driven in Debian's Chromium by Playwright.

Every page fixture fails its test on a console error, an uncaught exception, a failed request, or a
request to any host other than the app's own (no CDN, no tiles by default).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    BrowserContext,
    Page,
    Playwright,
    sync_playwright,
)

from tests.browser.watch import PageWatch, signed_in_tab
from tests.helpers import load_demo, serving, serving_demo_with_editor
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


@pytest.fixture
def page(browser_context: BrowserContext, live_server: str) -> Iterator[Page]:
    """A fresh tab; the test fails if the page logged an error or made a bad request."""
    tab = browser_context.new_page()
    watch = PageWatch(live_server)
    watch.attach(tab)
    yield tab
    tab.close()
    assert watch.problems() == [], "the page misbehaved"


# An editor of NEON only, for the admin pages' browser tests.
NEON_EDITOR = "editrice@neon.example.org"
NEON_PASSWORD = "une phrase assez longue"


@pytest.fixture(scope="module")
def neon_editor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo directory with an editor of NEON only, once per module; yield its URL."""
    folder = tmp_path_factory.mktemp("neon-editor")
    # Each test signs in: more than the 5 sign-ins a minute a client address is allowed.
    with serving_demo_with_editor(
        folder, NEON_EDITOR, NEON_PASSWORD, "neon", login_rate_limit="60 per minute"
    ) as base:
        yield base


@pytest.fixture
def editor(browser_context: BrowserContext, neon_editor_server: str) -> Iterator[Page]:
    """A tab signed in as the NEON editor; fails the test on any error, like `page`."""
    with signed_in_tab(browser_context, neon_editor_server, NEON_EDITOR, NEON_PASSWORD) as tab:
        yield tab
