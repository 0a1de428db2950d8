"""The physician's form and results in a real browser: focus, errors at once, Enter in the
address, the one-stop date, the pointer to the teams left out and their grey markers."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_public_map import wait_until
from tests.browser.watch import POPUP_SHOWN, axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
SUBMIT = "Trouver les équipes"


def pick_first_suggestion_with_enter(page: Page, typed: str) -> str:
    """Type in the address, wait for the suggestions, press Enter; return the first one's label."""
    address = page.locator("#adresse")
    address.press_sequentially(typed, delay=30)
    first = page.locator("#adresse-suggestions [role=option]").first
    expect(first).to_be_visible()
    label = first.get_attribute("data-label") or ""
    address.press("Enter")
    return label


def test_the_address_has_the_focus_when_the_page_opens(page: Page, live_server: str) -> None:
    page.goto(live_server + "/orienter")
    expect(page.locator("#adresse")).to_be_focused()
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


def test_an_empty_form_shows_every_message_at_once_in_users_words(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    page.get_by_role("button", name=SUBMIT).click()
    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(4)
    hrefs = [links.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs == ["#adresse", "#cancer", "#age", "#soin-activite_physique"]
    for field in ("adresse", "cancer", "age", "soins"):
        expect(page.locator(f"#{field}-erreur")).to_be_visible()
    text = summary.inner_text()
    assert "Bilan d'activité physique adaptée" in text and "Sein" in text
    assert not re.search(r"activite_physique|dietetique|gynecologique|hematologique", text)
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


def test_a_summary_link_puts_the_focus_in_its_field(page: Page, live_server: str) -> None:
    page.goto(live_server + "/orienter")
    page.get_by_role("button", name=SUBMIT).click()
    page.locator("#erreurs a[href='#age']").click()
    expect(page.locator("#age")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.locator("#erreurs a[href='#soin-activite_physique']").press("Enter")
    expect(page.locator("#soin-activite_physique")).to_be_focused()


def test_enter_in_the_address_takes_the_first_suggestion_instead_of_submitting(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    label = pick_first_suggestion_with_enter(page, "Lyon")
    expect(page.locator("#adresse")).to_have_value(label)
    expect(page.locator("#adresse-suggestions")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("Orienter un patient")
    expect(page.locator("#erreurs")).to_have_count(0)
    expect(page.locator("#adresse-annonce")).to_have_text(f"Adresse choisie : {label}")


def test_enter_takes_the_highlighted_suggestion_when_there_is_one(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    address = page.locator("#adresse")
    address.press_sequentially("Lyon", delay=30)
    second = page.locator("#adresse-suggestions [role=option]").nth(1)
    expect(second).to_be_visible()
    address.press("ArrowDown")
    address.press("ArrowDown")
    label = second.get_attribute("data-label") or ""
    address.press("Enter")
    expect(address).to_have_value(label)


def test_the_end_of_treatment_takes_one_tab_stop_and_gives_the_deadline(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    pick_first_suggestion_with_enter(page, "Strasb")
    page.select_option("#cancer", "sein")
    page.fill("#age", "54")
    page.check("#soin-psychologie")
    date = page.locator("#fin_traitement")
    date.focus()
    date.press_sequentially("31/03/2026")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=SUBMIT)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".understood")).to_contain_text("à prescrire au plus tard le 31 mars 2027")


def test_a_misshapen_date_names_the_format_to_use(page: Page, live_server: str) -> None:
    page.goto(live_server + "/orienter")
    page.fill("#fin_traitement", "mars 2026")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.locator("#fin_traitement-erreur")).to_contain_text("JJ/MM/AAAA")
    expect(page.locator("#fin_traitement")).to_have_value("mars 2026")


def orient_child_in_strasbourg(page: Page, live_server: str) -> None:
    page.goto(live_server + "/orienter")
    pick_first_suggestion_with_enter(page, "Strasb")
    page.select_option("#cancer", "sein")
    page.fill("#age", "8")
    page.check("#soin-activite_physique")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.locator(".team").first).to_be_visible()


def test_a_line_under_the_teams_jumps_to_why_closer_teams_are_left_out(
    page: Page, live_server: str
) -> None:
    orient_child_in_strasbourg(page, live_server)
    reasons = page.locator("#ecartes li")
    line = page.locator(".results .left-out-line")
    expect(line).to_have_text(
        re.compile(rf"^{reasons.count()} équipes plus proches n'acceptent pas ce patient")
    )
    line.get_by_role("link", name="voir pourquoi").click()
    expect(page.locator("#ecartes")).to_be_focused()
    expect(page.locator("#ecartes")).to_be_in_viewport()
    for details in page.locator("#ecartes details").all():
        expect(details).to_have_attribute("open", "")
    expect(reasons.last).to_be_visible()
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


def test_teams_left_out_are_grey_on_the_map_with_their_reasons_in_a_popup(
    page: Page, live_server: str
) -> None:
    orient_child_in_strasbourg(page, live_server)
    grey = page.locator(".leaflet-marker-icon.orientation-left-out-icon")
    expect(grey).to_have_count(page.locator("#ecartes li").count())
    expect(page.locator(".map-legend .orientation-left-out")).to_be_visible()
    expect(page.locator(".map-legend")).to_contain_text("équipes plus proches écartées")
    marker = page.get_by_role("button", name="Écartée : Équipe de démonstration — Strasbourg")
    marker.focus()
    marker.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Équipe de démonstration — Strasbourg")
    expect(popup).to_contain_text("Réservé aux adultes (18 ans et plus)")
    wait_until(page, POPUP_SHOWN)  # axe must not see it half transparent, in its fade-in
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
