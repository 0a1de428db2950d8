"""The public map's layouts in a real browser: on a phone, a map/list switch under the search and
collapsed filters; on a wide screen, the list beside a map as tall as the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import FloatRect, Page, ViewportSize, expect

from tests.browser.test_public_map import DEMO_SITES, open_map, wait_until
from tests.browser.watch import POPUP_SHOWN, axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
PHONES = [ViewportSize(width=360, height=740), ViewportSize(width=390, height=844)]
WIDE = ViewportSize(width=1366, height=768)
SHOTS = "/tmp/shots-layout"
MULHOUSE = "neon--NEON-MULH-01"


def on_a_phone(page: Page, url: str, size: ViewportSize = PHONES[0]) -> None:
    page.set_viewport_size(size)
    open_map(page, url)
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} has no box"
    return found


def page_height(page: Page) -> int:
    height: int = page.evaluate("document.documentElement.scrollHeight")
    return height


def expect_switch(page: Page, carte: str, liste: str) -> None:
    """Wait for the switch's buttons to say which view is shown (their aria-pressed)."""
    expect(page.get_by_role("button", name="Carte", exact=True)).to_have_attribute(
        "aria-pressed", carte
    )
    expect(page.get_by_role("button", name="Liste")).to_have_attribute("aria-pressed", liste)


@pytest.mark.parametrize("size", PHONES, ids=["360x740", "390x844"])
def test_on_a_phone_the_search_is_on_screen_and_the_map_fills_the_rest(
    page: Page, live_server: str, size: ViewportSize
) -> None:
    on_a_phone(page, live_server + "/", size)
    search = box(page, "#pm-commune")
    assert search["y"] + search["height"] <= size["height"] / 2
    expect_switch(page, "true", "false")
    expect(page.get_by_role("button", name=f"Liste ({DEMO_SITES})")).to_be_visible()
    expect(page.locator(".pm-list")).to_be_hidden()
    the_map = box(page, ".pm-map")
    assert the_map["height"] >= size["height"] / 3
    assert abs(the_map["y"] + the_map["height"] - size["height"]) <= 2
    assert page_height(page) <= size["height"] + 2  # no long scroll
    page.screenshot(path=f"{SHOTS}/phone{size['width']}-map.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


@pytest.mark.parametrize("size", PHONES, ids=["360x740", "390x844"])
def test_on_a_phone_the_switch_shows_the_list_of_teams(
    page: Page, live_server: str, size: ViewportSize
) -> None:
    on_a_phone(page, live_server + "/", size)
    page.get_by_role("button", name="Liste").click()
    expect_switch(page, "false", "true")
    expect(page.locator(".pm-site:visible")).to_have_count(DEMO_SITES)
    expect(page.locator(".leaflet-container")).to_be_hidden()
    assert box(page, "#pm-commune")["y"] >= 0  # the search stays on top
    page.screenshot(path=f"{SHOTS}/phone{size['width']}-list.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    bar = box(page, ".pm-bar")  # the switch follows the list down
    assert -1 <= bar["y"] <= 1
    page.get_by_role("button", name="Carte", exact=True).click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert page_height(page) <= size["height"] + 2


def test_on_a_phone_show_on_the_map_opens_the_popup_and_its_link_comes_back_to_the_team(
    page: Page, live_server: str
) -> None:
    on_a_phone(page, live_server + "/")
    page.get_by_role("button", name="Liste").click()
    page.click(f".pm-site__show[data-key='{MULHOUSE}']")
    expect_switch(page, "true", "false")
    wait_until(page, POPUP_SHOWN)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Mulhouse")
    assert box(page, ".leaflet-popup-content-wrapper")["y"] >= box(page, ".pm-map")["y"]
    page.screenshot(path=f"{SHOTS}/phone360-popup.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    popup.get_by_role("link", name="Voir le détail dans la liste").click()
    expect_switch(page, "false", "true")
    team = page.locator(f"#site-{MULHOUSE}")
    expect(team).to_be_focused()
    expect(team).to_be_in_viewport()
    assert box(page, f"#site-{MULHOUSE}")["y"] >= box(page, ".pm-bar")["height"] - 1
    assert "#" not in page.url  # no fragment: public-map.js would restore the state


def test_on_a_phone_the_nearest_teams_lead_to_the_list(page: Page, live_server: str) -> None:
    on_a_phone(page, live_server + "/")
    page.fill("#pm-commune", "Colmar")
    page.click("#pm-recherche button[type=submit]")
    nearest = page.locator("#pm-nearest a")
    expect(nearest).to_have_count(5)
    page.screenshot(path=f"{SHOTS}/phone360-search.png")
    target = nearest.nth(1).get_attribute("href")
    nearest.nth(1).click()
    expect_switch(page, "false", "true")
    expect(page.locator(f"{target}")).to_be_focused()
    expect(page.locator(f"{target}")).to_be_in_viewport()
    expect(page.locator("#pm-nearest a")).to_have_count(5)  # the search stays


def test_on_a_phone_the_filters_are_collapsed_and_count_the_active_ones(
    page: Page, live_server: str
) -> None:
    on_a_phone(page, live_server + "/")
    button = page.get_by_role("button", name="Filtres")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#pm-cancer")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#pm-cancer")).to_be_visible()
    expect(page.locator(".pm-legend")).to_be_visible()
    page.select_option("#pm-cancer", "sein")
    page.select_option("#pm-public", "enfants")
    expect(button).to_have_text("Filtres (2)")
    shown = page.locator(".pm-site:not([hidden])").count()
    expect(page.get_by_role("button", name=f"Liste ({shown})")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/phone360-filters.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    page.get_by_role("button", name="Afficher").click()  # applied: the panel closes
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    button.click()
    page.locator("#pm-soin").focus()
    page.keyboard.press("Escape")  # so does Escape
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    button.click()
    page.click("#pm-reset")
    expect(button).to_have_text("Filtres")
    expect(page.get_by_role("button", name=f"Liste ({DEMO_SITES})")).to_be_visible()


def test_a_shared_link_with_filters_counts_them_on_the_closed_panel(
    page: Page, live_server: str
) -> None:
    on_a_phone(page, live_server + "/?soin=psychologie")
    expect(page.get_by_role("button", name="Filtres (1)")).to_have_attribute(
        "aria-expanded", "false"
    )


def test_without_javascript_a_phone_shows_the_map_the_filters_and_the_list(
    page: Page, live_server: str
) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.set_viewport_size(PHONES[0])
    page.goto(live_server + "/")
    expect(page.locator(".pm-bar")).to_have_count(0)
    expect(page.locator(".pm-map")).to_be_visible()
    expect(page.locator("#pm-cancer")).to_be_visible()
    assert page.locator(".pm-site:visible").count() == DEMO_SITES
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})


def test_on_a_wide_screen_the_map_reaches_the_bottom_of_the_window_once_scrolled(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(WIDE)
    open_map(page, live_server + "/")
    expect(page.locator(".pm-bar")).to_be_hidden()
    expect(page.locator("#pm-cancer")).to_be_visible()  # filters always open beside the map
    first = box(page, ".pm-site >> nth=0")
    top = box(page, ".pm-map")["y"]
    page.mouse.move(200, 400)
    page.mouse.wheel(0, 2500)
    scrolled = (
        f"() => document.querySelector('.pm-site').getBoundingClientRect().y < {first['y'] - 1000}"
    )
    wait_until(page, scrolled)
    the_map = box(page, ".pm-map")
    assert the_map["y"] == top  # the map stays put while the list scrolls
    assert abs(the_map["y"] + the_map["height"] - WIDE["height"]) <= 1  # no band under it
    the_list = box(page, ".pm-list")
    assert the_list["x"] + the_list["width"] <= the_map["x"] + 1  # the list beside the map
    page.screenshot(path=f"{SHOTS}/wide1366.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
