"""The offline base map in a real browser: land abroad, names at three zooms, commune outlines,
files fetched by zoom level, a metric scale, and nothing a keyboard or a reader trips on."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_public_map import open_map, wait_until
from tests.browser.watch import PageWatch, axe_violations
from tests.helpers import load_demo, serving
from webapp import create_app
from webapp.maps import Basemap, add_outlines_near, base_map, render_map
from webapp.tiles import OSM

MAP = "window[document.getElementById('pm').dataset.map]"
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
BASEMAP_FILE = re.compile(r"/static/data/basemap/(.+)$")


def show(page: Page, lat: float, lon: float, zoom: int) -> None:
    """Move the public map to a view and wait for the base map's names there."""
    page.evaluate(f"() => {MAP}.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    wait_until(page, f"() => {MAP}.getZoom() === {zoom}")
    page.wait_for_load_state("networkidle")


def labels(page: Page) -> set[str]:
    return set(page.locator(".basemap-label").all_text_contents())


def wait_for_label(page: Page, text: str) -> None:
    wait_until(
        page,
        "() => Array.from(document.querySelectorAll('.basemap-label'))"
        f".some(e => e.textContent === {text!r})",
    )


def basemap_files(requests: list[str]) -> list[str]:
    return [m.group(1) for url in requests if (m := BASEMAP_FILE.search(url))]


def test_base_map_labels_at_three_zooms(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, live_server + "/")
    show(page, 46.6, 2.4, 6)
    wait_for_label(page, "Paris")
    assert {"Bordeaux", "Toulouse", "Allemagne", "Suisse", "Océan Atlantique"} <= labels(page)
    assert "Bas-Rhin" not in labels(page)  # departments from zoom 7

    show(page, 48.45, 7.6, 9)
    wait_for_label(page, "Haguenau")  # a town of 35,000
    assert {"Strasbourg", "Bas-Rhin", "Haut-Rhin", "Allemagne"} <= labels(page)

    show(page, 48.08, 7.36, 13)
    wait_for_label(page, "Ingersheim")  # a village of 4,500
    assert "Colmar" in labels(page)
    communes = page.locator(".leaflet-basemap-communes-pane path")
    assert communes.count() > 100  # the outlines of the communes around


def test_land_abroad_is_drawn_apart_from_the_sea(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    show(page, 47.5, 7.5, 7)
    land = page.locator(".leaflet-basemap-land-pane path").first
    expect(land).to_be_attached()
    fill = land.get_attribute("fill")
    sea = page.evaluate(f"() => getComputedStyle({MAP}.getContainer()).backgroundColor")
    assert fill == "#e9e5dc" and sea == "rgb(223, 233, 243)"


def test_the_scale_is_metric_only(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    scale = page.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)
    expect(scale).to_have_text(re.compile(r"^\d+ k?m$"))


def test_files_are_fetched_by_zoom_level_for_the_departments_in_view(
    page: Page, live_server: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, live_server + "/")
    show(page, 46.6, 2.4, 6)
    first = basemap_files(requests)
    assert sorted(name.split(".")[0] for name in first) == ["labels", "land"]

    show(page, 48.08, 7.36, 13)
    wait_for_label(page, "Ingersheim")
    later = basemap_files(requests)[len(first) :]
    assert any(name.startswith("towns.") for name in later)  # the towns of 10,000 and more
    assert {"towns/68.json.gz", "communes/68.geojson.gz"} <= set(later)
    assert len([name for name in later if name.startswith("communes/")]) <= 3


def test_labels_are_hidden_from_readers_and_never_focusable(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    show(page, 48.45, 7.6, 9)
    wait_for_label(page, "Strasbourg")
    assert page.locator(".leaflet-basemap-labels-pane").get_attribute("aria-hidden") == "true"
    assert page.locator(".basemap-label[tabindex], .basemap-label [tabindex]").count() == 0
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screenshots_of_the_base_map_at_three_zooms(
    page: Page, live_server: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_map(page, live_server + "/")
    for lat, lon, zoom, name in ((46.6, 2.4, 6, "Paris"), (48.45, 7.6, 9, "Strasbourg"),
                                 (48.08, 7.36, 13, "Colmar")):  # fmt: skip
        show(page, lat, lon, zoom)
        wait_for_label(page, name)
        page.locator(".pm-map").screenshot(path=f"/tmp/basemap-z{zoom}-{width}x{height}.png")


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo app in debug mode: Flask serves the static files itself, as `make run-dev` does."""
    folder = tmp_path_factory.mktemp("debug")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    load_demo(url)
    with serving(create_app({"database_url": url, "instance_path": folder, "DEBUG": True})) as base:
        yield base


def test_gzipped_files_load_also_when_flask_sends_them_as_an_encoding(
    browser_context: BrowserContext, debug_server: str
) -> None:
    tab = browser_context.new_page()
    watch = PageWatch(debug_server)
    watch.attach(tab)
    open_map(tab, debug_server + "/")
    show(tab, 48.08, 7.36, 13)
    wait_for_label(tab, "Ingersheim")
    assert tab.locator(".leaflet-basemap-communes-pane path").count() > 100
    tab.close()
    assert watch.problems() == []


def test_a_map_with_tiles_has_no_offline_base_map_but_the_same_metric_scale() -> None:
    with_tiles = render_map(base_map(OSM)).script
    without = render_map(base_map(None)).script
    assert "annuaireBasemap" not in with_tiles and "annuaireBasemap(" in without
    for script in (with_tiles, without):
        assert script.count("L.control.scale({imperial: false})") == 1


def test_outlines_near_points_go_to_the_base_map_instead_of_the_page_twice() -> None:
    fmap = base_map(None)
    add_outlines_near(fmap, [(48.58, 7.75)])
    [basemap] = [c for c in fmap._children.values() if isinstance(c, Basemap)]
    assert basemap.departments is not None
    assert {f["properties"]["code"] for f in basemap.departments["features"]} >= {"67", "68"}
    script = render_map(fmap).script
    assert "L.geoJson(" not in script and '"departments":{"type":"FeatureCollection"' in script
    assert '"folder":"/static/data/basemap/"' in script
