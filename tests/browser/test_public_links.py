"""The public map in a real browser: words instead of codes, popups' links, controls on a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_public_map import open_map, wait_until
from tests.browser.watch import POPUP_SHOWN, axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def open_popup(page: Page, key: str) -> None:
    page.click(f".pm-site__show[data-key='{key}']")
    wait_until(page, POPUP_SHOWN)


def test_territories_are_town_and_department_names(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    chalons = page.locator("#site-neon--NEON-CHAL-01 .pm-site__facts")
    expect(chalons).to_contain_text("Châlons-en-Champagne, Saint-Memmie, Fagnières")
    expect(page.locator("#site-neon--NEON-METZ-01 .pm-site__facts")).to_contain_text("Moselle (57)")
    expect(page.locator(".pm-sites")).not_to_contain_text("51108")
    open_popup(page, "neon--NEON-METZ-01")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Territoire : Moselle (57)")


def test_filter_options_have_the_labels_of_the_orientation_page(
    page: Page, live_server: str
) -> None:
    open_map(page, live_server + "/")
    expect(page.locator("#pm-cancer option[value=sein]")).to_have_text("Sein")
    expect(page.locator("#pm-cancer option[value=orl]")).to_have_text("ORL")
    expect(page.locator("#pm-public option[value=aja]")).to_have_text(
        "Adolescents et jeunes adultes (15-25 ans)"
    )
    expect(page.locator("#pm-soin option[value=dietetique]")).to_have_text(
        "Bilan et consultations diététiques"
    )


def test_a_popup_links_phone_mail_and_a_route_requested_only_when_followed(
    page: Page, live_server: str
) -> None:
    open_map(page, live_server + "/")
    open_popup(page, "neon--NEON-COLM-01")
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="03 53 01 00 04")).to_have_attribute(
        "href", "tel:0353010004"
    )
    expect(popup.get_by_role("link", name="colmar@example.org")).to_have_attribute(
        "href", "mailto:colmar@example.org"
    )
    route = popup.get_by_role("link", name="Itinéraire vers Équipe de démonstration — Colmar")
    expect(route).to_have_attribute(
        "href",
        "https://www.openstreetmap.org/directions?to=48.07914%2C7.35770#map=14/48.07914/7.35770",
    )
    # The page fixture fails the test on any request to another host: none was made.
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


def test_on_a_phone_an_open_popup_is_clear_of_the_zoom_buttons_and_can_be_closed(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server + "/")
    for key in ("neon--NEON-VERD-01", "onco-aura--AURA-AURI-01"):
        page.get_by_role("button", name="Liste").click()  # the phone's map/list switch
        open_popup(page, key)
        page.wait_for_timeout(300)  # the popup's pan
        zoom = page.locator(".leaflet-control-zoom").bounding_box()
        popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
        assert zoom is not None and popup is not None
        apart = (
            popup["x"] >= zoom["x"] + zoom["width"]
            or popup["y"] >= zoom["y"] + zoom["height"]
            or popup["y"] + popup["height"] <= zoom["y"]
        )
        assert apart, (zoom, popup)
        close = page.get_by_role("button", name="Fermer").bounding_box()
        assert close is not None and close["x"] + close["width"] <= 390  # on the screen
        page.screenshot(path=f"/tmp/public-map-popup-390-{key}.png")
        page.get_by_role("button", name="Fermer").click()
