"""The public map's weight in a real browser: details sent once (the list), popups built from it,
markers from a versioned GeoJSON that the browser keeps."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, Route, expect

from tests.browser.test_public_links import open_popup
from tests.browser.test_public_map import open_map, wait_for_markers, wait_until

COLMAR = "neon--NEON-COLM-01"
POINTS = "**/carte/structures-*.geojson*"
HOSTILE = '<img src="x" onerror="window.hacked = 1">'


def test_the_page_holds_each_phone_number_once_and_a_popup_still_shows_the_details(
    page: Page, live_server: str
) -> None:
    response = page.goto(live_server + "/")
    assert response is not None
    html = response.text()
    wait_for_markers(page)
    phones = page.locator(".pm-site__contacts a[href^='tel:']").all_inner_texts()
    assert len(phones) > 10
    assert all(html.count(phone) == 1 for phone in phones), phones
    open_popup(page, COLMAR)
    popup = page.locator(".leaflet-popup-content .pm-popup")
    expect(popup.locator(".pm-popup__title")).to_have_text("Équipe de démonstration — Colmar")
    expect(popup.locator(".pm-popup__kind")).to_have_text("Cancer du sein uniquement")
    for words in ("68000 Colmar", "Téléphone : 03 53 01 00 04", "Soins :", "Réseau : NEON"):
        expect(popup).to_contain_text(words)
    expect(popup.get_by_role("link", name="03 53 01 00 04")).to_have_attribute(
        "href", "tel:0353010004"
    )
    popup.get_by_role("link", name="Voir le détail dans la liste").click()
    expect(page.locator(f"#site-{COLMAR}")).to_be_in_viewport()


def test_the_markers_file_is_downloaded_once_then_kept_by_the_browser(
    page: Page, live_server: str
) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    seen: list[dict[str, Any]] = []

    def received(event: dict[str, Any]) -> None:
        if "/carte/structures-" in event["response"]["url"]:
            seen.append(event["response"])

    cdp.on("Network.responseReceived", received)
    open_map(page, live_server + "/")
    open_map(page, live_server + "/")
    assert [r["status"] for r in seen] == [200, 200]
    first, again = seen
    headers = {name.lower(): value for name, value in first["headers"].items()}
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert not first.get("fromDiskCache") and not first.get("fromPrefetchCache")
    assert again.get("fromDiskCache") or again.get("fromMemoryCache")


def test_a_name_in_the_markers_file_is_text_in_the_marker(page: Page, live_server: str) -> None:
    changed: list[str] = []

    def hostile(route: Route) -> None:
        body = json.loads(route.fetch().text())
        body["features"][0]["properties"]["nom"] = HOSTILE
        changed.append(body["features"][0]["properties"]["site"])
        route.fulfill(json=body)

    page.route(POINTS, hostile)
    open_map(page, live_server + "/")
    icon = page.evaluate(
        """(key) => {
          const cluster = window[document.getElementById('pm').dataset.cluster];
          const marker = cluster.getLayers().find((m) => m.options.site === key);
          const div = marker.options.icon.createIcon();
          return {images: div.querySelectorAll('img').length, text: div.textContent};
        }""",
        changed[0],
    )
    assert icon["images"] == 0
    assert HOSTILE in icon["text"]
    wait_until(page, "() => window.hacked === undefined")


def test_without_its_markers_the_map_says_so_and_the_list_still_filters(
    page: Page, live_server: str
) -> None:
    page.route(POINTS, lambda route: route.fulfill(body="{", content_type="application/geo+json"))
    page.goto(live_server + "/")
    wait_until(page, "() => document.getElementById('pm').dataset.markers === 'failed'")
    expect(page.locator("#pm-search-status")).to_have_text(
        "La carte n'a pas pu afficher les structures : la liste ci-dessous les donne toutes."
    )
    expect(page.locator(".pm-site__show").first).to_be_hidden()
    page.select_option("#pm-public", "enfants")
    expect(page.locator(".pm-site:not([hidden])")).to_have_count(2)
