"""The coverage page in Chromium: the form, the shaded map, the legend, the table, the downloads,
a "what if" typed as a commune and one added by a click on the map; axe on each state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.watch import axe_violations, signed_in_tab
from tests.helpers import serving_demo_with_editor

EDITOR = "couverture@neon.example.org"
PASSWORD = "une phrase assez longue"
SCREENSHOTS = Path("/tmp/coverage-screenshots")


@pytest.fixture(scope="module")
def coverage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("coverage-live")
    with serving_demo_with_editor(folder, EDITOR, PASSWORD, "neon") as base:
        yield base


@pytest.fixture
def signed_in(browser_context: BrowserContext, coverage_server: str) -> Iterator[Page]:
    """A tab signed in as the NEON editor; fails the test on any error, like `page`."""
    with signed_in_tab(browser_context, coverage_server, EDITOR, PASSWORD) as tab:
        yield tab


def open_coverage(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/couverture/")
    expect(page.locator("#coverage-map[data-loaded='communes']")).to_be_attached()


def test_the_map_shades_communes_by_band_under_the_sites_with_a_legend(
    signed_in: Page, coverage_server: str
) -> None:
    page = signed_in
    page.set_viewport_size({"width": 1366, "height": 900})
    open_coverage(page, coverage_server)
    fills = page.locator("#coverage-map path.leaflet-interactive").evaluate_all(
        "paths => [...new Set(paths.map(p => p.getAttribute('fill')))]"
    )
    assert len(fills) >= 3  # several bands, and the sites' black
    assert page.get_by_role("list", name="Légende").get_by_text("aucune structure éligible").count()
    assert page.get_by_role("row", name="Vosges (88)").count() == 1
    assert (page.get_by_role("link", name="CSV").get_attribute("href") or "").endswith("format=csv")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "bureau.png"), full_page=True)
    assert axe_violations(page, impacts=("minor", "moderate", "serious", "critical")) == []


def test_a_commune_typed_as_candidate_shows_the_what_if(
    signed_in: Page, coverage_server: str
) -> None:
    page = signed_in
    open_coverage(page, coverage_server)
    page.get_by_label("Distance de référence (km)").fill("10")
    page.get_by_label("Sites candidats").fill("88300 Neufchâteau")
    page.get_by_role("button", name="Calculer").click()
    expect(page.get_by_text("Avec les sites candidats")).to_be_visible()
    expect(page.locator("#coverage-map path.leaflet-interactive[fill='#e66101']")).to_have_count(1)


def test_a_click_on_the_map_adds_a_candidate_to_the_form_and_says_so(
    signed_in: Page, coverage_server: str
) -> None:
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    open_coverage(page, coverage_server)
    page.locator("#coverage-map").click(position={"x": 150, "y": 150})
    expect(page.get_by_label("Sites candidats")).to_have_value(
        re.compile(r"^-?\d+\.\d{4},-?\d+\.\d{4}$")
    )
    expect(page.locator("#carte-annonce")).to_contain_text("Site candidat ajouté")
    page.screenshot(path=str(SCREENSHOTS / "telephone.png"), full_page=True)


def test_the_csv_download_lists_every_commune_of_the_network_departments(
    signed_in: Page, coverage_server: str
) -> None:
    page = signed_in
    open_coverage(page, coverage_server)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("code_insee;commune;departement;population;distance_km")
    assert text.count("\n") > 1000
