"""The public map's search in a real browser: towns told apart, team names, "not found", framing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_public_map import open_map, wait_until
from tests.browser.watch import axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
# Whether the map shows a point, and the place searched with the first nearest teams.
MAP = "window[document.getElementById('pm').dataset.map]"
IN_VIEW = f"([lat, lon]) => {MAP}.getBounds().contains([lat, lon])"
PLACE_MARKERS = "() => document.querySelectorAll('path[fill=\"#ffbf47\"]').length"
NEAREST_IN_VIEW = """(n) => {
  const map = window[document.getElementById('pm').dataset.map];
  return [...document.querySelectorAll('#pm-nearest a')].slice(0, n).every((a) => {
    const item = document.querySelector(a.getAttribute('href'));
    return map.getBounds().contains([+item.dataset.lat, +item.dataset.lon]);
  });
}"""


def suggestions(page: Page, text: str) -> list[str]:
    """Type `text` in the search; return the labels of the suggestions offered."""
    page.fill("#pm-commune", text)
    options = page.locator("#pm-suggestions [role=option]")
    expect(options.first).to_be_visible()
    return [options.nth(i).locator("span").first.inner_text() for i in range(options.count())]


def test_homonyms_are_suggested_with_their_department(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    labels = suggestions(page, "Saint-Julien")
    assert labels[:2] == ["Saint-Julien (Var, 83)", "Saint-Julien (Côtes-d'Armor, 22)"]
    expect(page.locator("#pm-commune")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#pm-commune")).to_have_attribute(
        "aria-activedescendant", "pm-commune-option-1"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#pm-search-status")).to_contain_text("Saint-Julien (Côtes-d'Armor, 22)")
    expect(page.locator("#pm-suggestions")).to_be_hidden()


def test_sending_a_name_several_towns_bear_asks_which_one(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    page.fill("#pm-commune", "Saint-Julien")
    page.click("#pm-recherche button[type=submit]")
    expect(page.locator("#pm-search-status")).to_contain_text("choisissez dans la liste")
    expect(page.locator("#pm-suggestions [role=option]").first).to_contain_text("(Var, 83)")
    expect(page.locator("#pm-nearest")).to_be_hidden()


def test_a_structure_name_finds_every_team_it_carries(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    labels = suggestions(page, "Association fictive Grand Est")
    assert labels[0] == "Association fictive Grand Est Après Cancer"
    page.click("#pm-recherche button[type=submit]")
    expect(page.locator("#pm-search-status")).to_have_text(
        "6 structures pour « Association fictive Grand Est » :"
    )
    expect(page.locator("#pm-nearest li")).to_have_count(6)
    wait_until(page, f"() => ({NEAREST_IN_VIEW})(6)")


def test_a_team_name_finds_that_team(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    page.fill("#pm-commune", "demonstration metz")
    page.get_by_role("option", name="Équipe de démonstration — Metz").click()
    expect(page.locator("#pm-nearest li")).to_have_count(1)
    expect(page.locator("#pm-nearest li")).to_contain_text("Équipe de démonstration — Metz")
    wait_until(page, "() => window[document.getElementById('pm').dataset.map].getZoom() >= 11")


def test_a_name_that_is_no_town_is_not_found(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    for text in ("Ligue contre le cancer", "12 rue de la Paix", "xqzzvw"):
        page.fill("#pm-commune", text)
        page.click("#pm-recherche button[type=submit]")
        expect(page.locator("#pm-search-status")).to_contain_text(
            f"Aucune commune ni structure trouvée pour « {text} »"
        )
        expect(page.locator("#pm-nearest")).to_be_hidden()
    assert page.evaluate(PLACE_MARKERS) == 0  # no village picked at random


def test_a_town_search_frames_the_place_and_its_nearest_teams(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    page.fill("#pm-commune", "Saint-Julien")
    page.get_by_role("option", name="Saint-Julien (Var, 83)").click()
    status = page.locator("#pm-search-status")
    expect(status).to_have_text(
        "Structures les plus proches de Saint-Julien (Var, 83), distances à vol d'oiseau :"
    )
    nearest = page.locator("#pm-nearest li")
    expect(nearest).to_have_count(5)
    expect(nearest.first).to_contain_text("Privas — 156 km")  # the nearest team is far away
    wait_until(page, f"() => ({IN_VIEW})([43.6937, 5.91495]) && ({NEAREST_IN_VIEW})(3)")
    assert page.evaluate(PLACE_MARKERS) == 1


def test_changing_a_filter_after_a_search_updates_the_nearest_teams(
    page: Page, live_server: str
) -> None:
    open_map(page, live_server + "/")
    page.fill("#pm-commune", "Lunéville")
    page.click("#pm-recherche button[type=submit]")
    expect(page.locator("#pm-search-status")).to_contain_text("Lunéville (Meurthe-et-Moselle, 54)")
    page.select_option("#pm-public", "enfants")
    expect(page.locator("#pm-nearest li")).to_have_count(2)
    expect(page.locator("#pm-nearest li").first).to_contain_text("Schiltigheim (enfants)")


def test_the_search_is_axe_clean_at_every_impact(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    suggestions(page, "Saint-Julien")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    page.keyboard.press("Enter")
    expect(page.locator("#pm-nearest li")).to_have_count(5)
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
