"""The public map in a real browser: markers, list, filters, popups, town search, embed, weight."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.watch import POPUP_SHOWN, axe_violations

DEMO_SITES = 32  # active ones: each network has one inactive site
NEON_SITES = 11
FIRST_LOAD_LIMIT = 500_000


def markers(page: Page) -> int:
    """Return how many sites the map holds (in clusters or not), once its markers are loaded."""
    wait_for_markers(page)
    return int(page.evaluate("() => window[document.getElementById('pm').dataset.cluster]"
                             ".getLayers().length"))  # fmt: skip


def wait_for_markers(page: Page) -> None:
    """Wait until public-map.js has loaded the markers and restored the URL's state."""
    wait_until(page, "() => document.getElementById('pm').dataset.markers === 'ready'")


def open_map(page: Page, url: str) -> None:
    """Open a map page in front (a tab left behind another browser gets no animation frames)
    and wait for its markers."""
    page.goto(url)
    page.bring_to_front()
    wait_for_markers(page)


def wait_until(page: Page, predicate: str, timeout_s: float = 5.0) -> None:
    """Poll a JavaScript function until it returns true (the CSP forbids wait_for_function)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {predicate}"
        page.wait_for_timeout(50)


def shown_sites(page: Page) -> int:
    return page.locator(".pm-site:not([hidden])").count()


def test_every_demo_site_has_a_marker_and_a_list_entry(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    expect(page.locator(".pm-site")).to_have_count(DEMO_SITES)
    assert markers(page) == DEMO_SITES
    expect(page.locator("#pm-count")).to_have_text(
        f"{DEMO_SITES} structures affichées sur {DEMO_SITES}"
    )
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()  # outlines
    expect(page.locator(".pm-legend li")).to_have_count(6)


def test_filters_hide_markers_and_list_entries_at_once(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    page.select_option("#pm-public", "enfants")
    expect(page.locator(".pm-site:not([hidden])")).to_have_count(2)
    assert markers(page) == 2
    page.select_option("#pm-reseau", "neon")
    assert (shown_sites(page), markers(page)) == (1, 1)
    expect(page.locator("#pm-count")).to_have_text(f"1 structure affichée sur {DEMO_SITES}")
    page.click("#pm-reset")
    assert (shown_sites(page), markers(page)) == (DEMO_SITES, DEMO_SITES)
    assert page.url == live_server + "/"  # filtering with JavaScript never reloads the page


def test_the_filters_work_without_javascript(page: Page, live_server: str) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(live_server + "/")
    assert page.locator(".pm-site:visible").count() == DEMO_SITES
    expect(page.locator("#pm-recherche")).to_be_hidden()  # the town search needs JavaScript
    page.select_option("#pm-cancer", "sein")
    page.select_option("#pm-soin", "psychologie")
    page.click("#pm-filtres button[type=submit]")
    page.wait_for_url(re.compile(r"cancer=sein"))
    with_server = page.locator(".pm-site:visible").count()
    assert 0 < with_server < DEMO_SITES
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
    # The client-side filter agrees with the server's SQL filter.
    open_map(page, live_server + "/")
    page.select_option("#pm-cancer", "sein")
    page.select_option("#pm-soin", "psychologie")
    assert (shown_sites(page), markers(page)) == (with_server, with_server)


def test_a_marker_opens_a_popup_with_the_site_contacts(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    page.click(".pm-site__show[data-key='neon--NEON-COLM-01']")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Colmar")
    expect(popup).to_contain_text("03 53 01 00 04")
    expect(popup).to_contain_text("Bilan d'activité physique adaptée")
    expect(popup).to_contain_text("Cancer du sein uniquement")
    page.get_by_role("button", name="Fermer").click()
    expect(popup).to_have_count(0)
    # A single marker opens its popup from the keyboard too.
    marker = page.locator(".pm-marker").first
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content h3")).to_have_count(1)


def test_the_embed_shows_one_network_without_the_page_chrome(page: Page, live_server: str) -> None:
    response = page.goto(live_server + "/embed?reseau=neon")
    assert response is not None and response.status == 200
    assert "X-Frame-Options" not in response.headers
    expect(page.locator(".site-header")).to_have_count(0)
    expect(page.locator(".pm-site")).to_have_count(NEON_SITES)
    assert markers(page) == NEON_SITES
    expect(page.locator("h1")).to_contain_text("NEON")
    page.select_option("#pm-public", "enfants")
    assert (shown_sites(page), markers(page)) == (1, 1)


@pytest.mark.parametrize("path", ["/", "/embed", "/embed?reseau=onco-aura"])
def test_the_map_pages_have_no_accessibility_violation_of_any_impact(
    page: Page, live_server: str, path: str
) -> None:
    open_map(page, live_server + path)
    page.click(".pm-site__show >> nth=0")
    # Axe must see the popup after its fade-in, not half transparent.
    wait_until(page, POPUP_SHOWN)
    assert axe_violations(page, impacts=("minor", "moderate", "serious", "critical")) == []


def test_the_first_load_without_tiles_weighs_less_than_500_kb(page: Page, live_server: str) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # a first visit
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(live_server + "/", wait_until="networkidle")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    sizes = [(r.url, r.sizes()) for r in finished]
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in sizes)
    for url, s in sizes:
        print(f"{s['responseBodySize'] + s['responseHeadersSize']:>8} {url}")
    print(f"first load of / without tiles: {total / 1000:.1f} kB in {len(sizes)} requests")
    assert any(re.search(r"/departements\.[0-9a-f]+\.geojson$", url) for url, _ in sizes)
    assert all(s["responseBodySize"] > 0 for _, s in sizes)  # nothing came from a cache
    assert total < FIRST_LOAD_LIMIT


def test_a_town_search_shows_the_town_and_lists_the_nearest_sites(
    page: Page, live_server: str
) -> None:
    open_map(page, live_server + "/")
    page.fill("#pm-commune", "Colmar")
    page.click("#pm-recherche button[type=submit]")
    expect(page.locator("#pm-search-status")).to_contain_text("Colmar (Haut-Rhin, 68)")
    nearest = page.locator("#pm-nearest li")
    expect(nearest).to_have_count(5)
    expect(nearest.first).to_contain_text("Colmar — 0,0 km")
    wait_until(
        page,
        "() => window[document.getElementById('pm').dataset.map].getBounds()"
        ".contains([48.079, 7.358])",
    )


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_screenshots_of_the_map_page(page: Page, live_server: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_map(page, live_server + "/")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    page.screenshot(path=f"/tmp/public-map-{width}x{height}.png")
    page.screenshot(path=f"/tmp/public-map-{width}x{height}-full.png", full_page=True)
    box = page.locator(".pm-map").bounding_box()
    assert box is not None
    if width < 600:
        # The phone's switch: the map fills the screen under the search, the list a tap away.
        assert box["y"] + box["height"] <= height + 1
        page.get_by_role("button", name="Liste").click()
        expect(page.locator(".pm-list")).to_be_visible()
    else:
        list_box = page.locator(".pm-list").bounding_box()
        assert list_box is not None
        assert list_box["x"] + list_box["width"] <= box["x"] + 1  # the list is beside it
