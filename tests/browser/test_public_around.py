"""Around me ("Autour de moi") in a real browser: a mocked position, nothing sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.browser.test_public_map import open_map, wait_until

# Near Lunéville: digits that no URL of the page may carry.
LAT, LON = 48.5873, 6.4921
IN_VIEW = "() => window[document.getElementById('pm').dataset.map].getBounds().contains([{}, {}])"


@pytest.fixture
def located(page: Page, live_server: str) -> Iterator[Page]:
    """The page with geolocation allowed at a fixed position, as the public map's headers
    should allow it (`Permissions-Policy: geolocation=(self)` on `/`)."""

    def allow_geolocation(route: Route) -> None:
        response = route.fetch()
        headers = response.headers | {"permissions-policy": "geolocation=(self)"}
        route.fulfill(response=response, headers=headers)

    page.route(live_server + "/", allow_geolocation)
    page.context.grant_permissions(["geolocation"], origin=live_server)
    page.context.set_geolocation({"latitude": LAT, "longitude": LON})
    yield page
    page.context.clear_permissions()
    page.context.set_geolocation(None)


def test_around_me_lists_the_nearest_teams_and_never_sends_the_position(
    located: Page, live_server: str
) -> None:
    page = located
    open_map(page, live_server + "/")
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.locator("#pm-search-status")).to_have_text(
        "Structures les plus proches de votre position, distances à vol d'oiseau :"
    )
    expect(page.locator("#pm-nearest li").first).to_contain_text("Nancy")
    wait_until(page, IN_VIEW.format(LAT, LON))
    page.select_option("#pm-soin", "dietetique")  # the URL changes, without the position
    page.evaluate("() => window[document.getElementById('pm').dataset.map].panBy([50, 50])")
    page.wait_for_timeout(300)
    urls = [page.url] + [request.url + (request.post_data or "") for request in sent]
    assert not [url for url in urls if "48.58" in url or "6.49" in url or "lat=" in url], urls


def test_without_the_permission_around_me_says_what_to_do_instead(
    located: Page, live_server: str
) -> None:
    page = located
    page.context.clear_permissions()
    open_map(page, live_server + "/")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.locator("#pm-search-status")).to_contain_text("tapez plutôt votre commune")
    expect(page.locator("#pm-nearest")).to_be_hidden()


def test_around_me_is_not_offered_where_the_page_forbids_geolocation(
    page: Page, live_server: str
) -> None:
    response = page.goto(live_server + "/embed")
    assert response is not None
    assert "geolocation=()" in response.headers["permissions-policy"]
    expect(page.locator("#pm-recherche")).to_be_visible()
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
