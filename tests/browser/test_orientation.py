"""The physician's flow in a real browser: address suggestions, results, the printable sheet."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.watch import axe_violations

SIZES = {"desktop": (1366, 800), "phone": (390, 844)}
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def fill_child_in_strasbourg(page: Page) -> None:
    """Pick Strasbourg from the suggestions and fill the rest for an 8-year-old."""
    address = page.locator("#adresse")
    address.click()
    address.press_sequentially("Strasb", delay=30)
    option = page.locator("#adresse-suggestions [role=option]").first
    expect(option).to_be_visible()
    expect(address).to_have_attribute("aria-expanded", "true")
    option.click()
    expect(address).to_have_value("Strasbourg")
    expect(address).to_have_attribute("aria-expanded", "false")
    page.select_option("#cancer", "sein")
    page.fill("#age", "8")
    page.check("#soin-activite_physique")


def test_a_child_is_oriented_to_the_childrens_team_and_gets_a_printable_sheet(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    fill_child_in_strasbourg(page)
    page.get_by_role("button", name="Trouver les équipes").click()
    expect(page.locator("h1")).to_have_text("Équipes pour votre patient")
    first = page.locator(".team").first
    expect(first.locator(".team__name")).to_have_text(
        "Équipe de démonstration — Schiltigheim (enfants)"
    )
    closer = page.locator(".left-out__list").first
    expect(closer).to_contain_text("Équipe de démonstration — Strasbourg")
    expect(closer).to_contain_text("Réservé aux adultes (18 ans et plus)")
    expect(page.locator(".leaflet-marker-icon .orientation-pin")).to_have_count(
        page.locator(".team").count()
    )
    assert "Strasbourg" not in page.url and page.url.endswith("/orienter")

    with page.context.expect_page() as opened:
        first.get_by_role("button", name="Fiche d'orientation").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    expect(sheet.locator(".sheet__team-name")).to_have_text(
        "Équipe de démonstration — Schiltigheim (enfants)"
    )
    expect(sheet.locator(".sheet__cares")).to_contain_text("Bilan d'activité physique adaptée")
    expect(sheet.get_by_role("button", name="Imprimer")).to_be_visible()
    assert "Strasbourg" not in sheet.locator("body").inner_text()
    sheet.emulate_media(media="print")
    expect(sheet.locator(".site-header")).to_be_hidden()
    expect(sheet.get_by_role("button", name="Imprimer")).to_be_hidden()
    expect(sheet.locator("#fiche-patient")).to_be_visible()
    sheet.close()


def test_the_address_suggestions_work_with_the_keyboard(page: Page, live_server: str) -> None:
    page.goto(live_server + "/orienter")
    address = page.locator("#adresse")
    address.focus()
    address.press_sequentially("Lyon", delay=30)
    options = page.locator("#adresse-suggestions [role=option]")
    expect(options.first).to_be_visible()
    address.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(address).to_have_attribute("aria-activedescendant", first_id or "")
    expect(options.first).to_have_attribute("aria-selected", "true")
    label = options.first.get_attribute("data-label")
    address.press("Enter")
    expect(address).to_have_value(label or "")
    expect(page.locator("#adresse-suggestions")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("Orienter un patient")  # Enter chose, not submitted
    address.press_sequentially(" 7", delay=30)
    expect(options.first).to_be_visible()
    address.press("Escape")
    expect(page.locator("#adresse-suggestions")).to_be_hidden()
    expect(address).to_have_attribute("aria-expanded", "false")


def test_a_form_error_is_shown_beside_the_field_and_the_summary_gets_the_focus(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    page.fill("#adresse", "Strasbourg")
    page.select_option("#cancer", "sein")
    page.get_by_role("button", name="Trouver les équipes").click()
    expect(page.locator("#erreurs")).to_be_focused()
    expect(page.locator("#age")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#age-erreur")).to_contain_text("Indiquez l'âge du patient")
    expect(page.locator("#adresse")).to_have_value("Strasbourg")


def test_form_errors_results_and_sheet_pass_the_accessibility_scan_and_look_right(
    page: Page, live_server: str
) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server + "/orienter")
        assert axe_violations(page, impacts=ALL_IMPACTS) == []
        page.screenshot(path=f"/tmp/orientation-form-{size}.png", full_page=True)
        page.get_by_role("button", name="Trouver les équipes").click()
        expect(page.locator("#erreurs")).to_be_focused()
        assert axe_violations(page, impacts=ALL_IMPACTS) == []
        page.screenshot(path=f"/tmp/orientation-errors-{size}.png", full_page=True)
        fill_child_in_strasbourg(page)
        page.get_by_role("button", name="Trouver les équipes").click()
        expect(page.locator(".team").first).to_be_visible()
        assert axe_violations(page, impacts=ALL_IMPACTS) == []
        page.screenshot(path=f"/tmp/orientation-results-{size}.png", full_page=True)
        with page.context.expect_page() as opened:
            page.locator(".team__sheet button").first.click()
        sheet = opened.value
        sheet.set_viewport_size({"width": width, "height": height})
        sheet.wait_for_load_state()
        assert axe_violations(sheet, impacts=ALL_IMPACTS) == []
        sheet.screenshot(path=f"/tmp/orientation-sheet-{size}.png", full_page=True)
        sheet.emulate_media(media="print")
        sheet.screenshot(path=f"/tmp/orientation-sheet-print-{size}.png", full_page=True)
        sheet.close()


@pytest.mark.parametrize("path", ["/orienter/fiche"])
def test_the_sheet_cannot_be_opened_by_url(page: Page, live_server: str, path: str) -> None:
    response = page.goto(live_server + path + "?reseau=neon&identifiant=NEON-STRAS-01")
    assert response is not None and response.status == 405
