"""The public map's state in the URL: filters, the place searched and the view, with history."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.test_public_map import markers, open_map, shown_sites, wait_until

MAP = "window[document.getElementById('pm').dataset.map]"


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_filters_and_the_place_searched_survive_a_reload_and_the_back_button(
    page: Page, live_server: str
) -> None:
    open_map(page, live_server + "/")
    page.select_option("#pm-public", "adultes")
    page.wait_for_url(re.compile(r"public=adultes"))
    page.fill("#pm-commune", "Saint-Julien")
    page.get_by_role("option", name="Saint-Julien (Var, 83)").click()
    page.wait_for_url(re.compile(r"lieu="))
    assert query(page)["lieu"] == ["Saint-Julien (Var, 83)"]
    adults = shown_sites(page)
    page.reload()
    page.bring_to_front()
    expect(page.locator("#pm-public")).to_have_value("adultes")
    expect(page.locator("#pm-commune")).to_have_value("Saint-Julien (Var, 83)")
    expect(page.locator("#pm-search-status")).to_contain_text("Saint-Julien (Var, 83)")
    expect(page.locator("#pm-nearest li")).to_have_count(5)
    assert (shown_sites(page), markers(page)) == (adults, adults)
    page.go_back()  # before the search
    expect(page.locator("#pm-nearest")).to_be_hidden()
    expect(page.locator("#pm-commune")).to_have_value("")
    expect(page.locator("#pm-public")).to_have_value("adultes")
    page.go_back()  # before the filter
    expect(page.locator("#pm-public")).to_have_value("")
    assert page.url == live_server + "/"
    page.go_forward()
    page.go_forward()
    expect(page.locator("#pm-search-status")).to_contain_text("Saint-Julien (Var, 83)")


def test_a_view_moved_by_the_user_is_shared_by_its_url(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/")
    assert page.url == live_server + "/"  # framing the directory is not a view to keep
    page.evaluate(f"() => {MAP}.setView([48.69, 6.18], 11, {{animate: false}})")
    page.wait_for_url(re.compile(r"carte=11"))
    assert query(page)["carte"] == ["11/48.6900/6.1800"]
    shared = page.url
    page.goto(shared)
    page.bring_to_front()
    wait_until(
        page,
        f"() => {MAP}.getZoom() === 11 && Math.abs({MAP}.getCenter().lat - 48.69) < 0.001",
    )


def test_a_team_name_search_is_in_the_url(page: Page, live_server: str) -> None:
    open_map(page, live_server + "/?nom=Association+fictive+Grand+Est&cancer=sein")
    expect(page.locator("#pm-commune")).to_have_value("Association fictive Grand Est")
    expect(page.locator("#pm-search-status")).to_contain_text(
        "pour « Association fictive Grand Est »"
    )
    expect(page.locator("#pm-cancer")).to_have_value("sein")


def test_without_javascript_the_server_renders_the_view_of_a_shared_url(
    page: Page, live_server: str
) -> None:
    shared = live_server + "/?public=enfants&lieu=Colmar+%28Haut-Rhin%2C+68%29&lat=48.08&lon=7.36"
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(shared + "&carte=9/48/7")
    expect(page.locator("#pm-public")).to_have_value("enfants")
    assert page.locator(".pm-site:visible").count() == 2
    status = "Structures les plus proches de Colmar (Haut-Rhin, 68), distances à vol d'oiseau :"
    expect(page.locator("#pm-search-status")).to_have_text(status)
    without = page.locator("#pm-nearest li").all_inner_texts()
    assert len(without) == 2 and "Schiltigheim" in without[0]
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
    open_map(page, shared)  # the script lists the same teams
    expect(page.locator("#pm-search-status")).to_have_text(status)
    expect(page.locator("#pm-nearest li")).to_have_text(without)
