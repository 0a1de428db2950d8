"""What every page shares: it loads cleanly, in French, with the app's own assets only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page


@pytest.mark.parametrize(("path", "status"), [("/", 200), ("/orienter", 200), ("/xyz", 404)])
def test_page_is_french_with_a_skip_link_and_a_main_landmark(
    page: Page, live_server: str, path: str, status: int
) -> None:
    response = page.goto(live_server + path)
    assert response is not None and response.status == status
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator("main#contenu").count() == 1
    assert page.locator("a.skip-link").get_attribute("href") == "#contenu"


def test_the_not_found_page_says_so_in_french(page: Page, live_server: str) -> None:
    page.goto(live_server + "/page-inexistante")
    assert page.locator("h1").inner_text() == "Erreur 404"
    assert "n'existe pas" in page.locator("main").inner_text()
