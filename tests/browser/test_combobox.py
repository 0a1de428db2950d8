"""The suggestions' combobox (combobox.js) behaves the same on the physician's page and on the
public map: the count announced, arrows that wrap, Escape, and late answers ignored."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.test_public_map import open_map
from tests.browser.watch import axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
GEOCODE = re.compile(r"/api/v1/geocode\?")
COUNT = re.compile(r"^\d+ suggestions? : flèches haut et bas pour choisir, Entrée pour valider\.$")


@dataclass(frozen=True)
class Combobox:
    """One page's combobox: where it is and the ids of its parts."""

    path: str
    input: str
    listbox: str
    announce: str

    def open(self, page: Page, base: str) -> None:
        if self.path == "/":
            open_map(page, base + self.path)
        else:
            page.goto(base + self.path)

    def options(self, page: Page) -> list[str]:
        found = page.locator(f"{self.listbox} [role=option]")
        return [found.nth(i).inner_text() for i in range(found.count())]


PAGES = {
    "orienter": Combobox("/orienter", "#adresse", "#adresse-suggestions", "#adresse-annonce"),
    "carte": Combobox("/", "#pm-commune", "#pm-suggestions", "#pm-annonce"),
}


@pytest.fixture(params=list(PAGES.values()), ids=list(PAGES))
def box(request: pytest.FixtureRequest) -> Combobox:
    combobox: Combobox = request.param
    return combobox


def test_escape_closes_the_suggestions_and_keeps_what_was_typed(
    page: Page, live_server: str, box: Combobox
) -> None:
    box.open(page, live_server)
    field = page.locator(box.input)
    field.fill("Lyon")
    options = page.locator(f"{box.listbox} [role=option]")
    expect(options.first).to_be_visible()
    expect(page.locator(box.announce)).to_have_text(COUNT)
    field.press("ArrowUp")  # from none highlighted, up goes to the last one
    last = options.nth(options.count() - 1)
    expect(last).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", last.get_attribute("id") or "")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    field.press("Escape")
    expect(page.locator(box.listbox)).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(field).to_have_value("Lyon")
    expect(field).to_be_focused()


def test_a_late_answer_does_not_replace_the_suggestions_of_a_newer_query(
    page: Page, live_server: str, box: Combobox
) -> None:
    held: list[Route] = []

    def hold_lyon(route: Route) -> None:
        if "q=Lyon" in route.request.url:
            held.append(route)  # answered only once the newer query has been
        else:
            route.continue_()

    box.open(page, live_server)
    page.route(GEOCODE, hold_lyon)
    field = page.locator(box.input)
    field.fill("Lyon")
    deadline = time.monotonic() + 5
    while not held:
        assert time.monotonic() < deadline, "the suggestions for Lyon were never asked for"
        page.wait_for_timeout(50)
    field.fill("Strasb")
    options = page.locator(f"{box.listbox} [role=option]")
    expect(options.first).to_contain_text("Strasbourg")
    newer = box.options(page)
    announced = page.locator(box.announce).inner_text()
    with page.expect_response(lambda response: "q=Lyon" in response.url):
        held[0].continue_()
    page.wait_for_timeout(300)  # time for the page to handle the late answer, if it did
    assert box.options(page) == newer
    assert not any("Lyon" in option for option in newer)
    expect(page.locator(box.announce)).to_have_text(announced)
