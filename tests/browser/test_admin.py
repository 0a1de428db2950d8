"""The web admin in Chromium: sign in, upload a file with errors, fix it, preview, publish, see
the public map change, restore; axe-core on every admin page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from tests.browser.watch import PageWatch, axe_violations
from tests.helpers import DEMO, serving_demo_with_editor

EDITOR = "editrice@neon.example.org"
PASSWORD = "une phrase assez longue"
NEW_NAME = "Équipe ajoutée depuis le navigateur"
SCREENSHOTS = Path("/tmp/admin-screenshots")
SIZES = {"bureau": (1280, 800), "telephone": (390, 844)}


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo directory with an editor of NEON; yield the base URL."""
    folder = tmp_path_factory.mktemp("admin-live")
    with serving_demo_with_editor(folder, EDITOR, PASSWORD, "neon") as base:
        yield base


@pytest.fixture
def admin_page(browser_context: BrowserContext, admin_server: str) -> Iterator[Page]:
    """A fresh signed-out tab on the admin server; fails the test on any error, like `page`."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    watch = PageWatch(admin_server)
    watch.attach(tab)
    yield tab
    tab.close()
    assert watch.problems() == [], "the page misbehaved"


def neon_file(*, error: bool) -> bytes:
    """The demo NEON file with one more site; with `error`, a postcode of the new one is wrong."""
    text = (DEMO / "neon.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    added = dict(rows[0]) | {"identifiant": "NEON-NAV-01", "nom": NEW_NAME}
    added |= {"latitude": "", "longitude": "", "adresse": "3 rue Inconnue du Navigateur"}
    if error:
        added["code_postal"] = "6700"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows([*rows, added])
    return out.getvalue().encode()


def upload(page: Page, data: bytes) -> None:
    payload: FilePayload = {"name": "neon.csv", "mimeType": "text/csv", "buffer": data}
    page.set_input_files("#fichier", files=[payload])
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_load_state()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def no_axe_violation(page: Page) -> None:
    assert axe_violations(page) == []


def test_an_editor_updates_publishes_and_restores_their_directory(
    admin_page: Page, admin_server: str
) -> None:
    page = admin_page
    page.goto(f"{admin_server}/admin/neon")
    expect(page).to_have_url(f"{admin_server}/connexion?suivant=/admin/neon")
    no_axe_violation(page)
    page.get_by_label("Adresse électronique").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire NEON")
    no_axe_violation(page)
    shoot(page, "reseau")

    upload(page, neon_file(error=True))
    expect(page.get_by_role("heading", name="1 erreur à corriger")).to_be_visible()
    expect(page.locator(".problems-table")).to_contain_text("Code postal")
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
    no_axe_violation(page)
    page.get_by_role("link", name="← Annuaire NEON").click()

    upload(page, neon_file(error=False))
    expect(page.get_by_role("heading", name="Aucun problème")).to_be_visible()
    expect(page.locator(".diff-list--added")).to_contain_text(NEW_NAME)
    expect(page.locator(".admin-map .leaflet-interactive").first).to_be_visible()
    expect(page.locator(".located-list li.is-low", has_text="NEON-NAV-01")).to_have_count(1)
    no_axe_violation(page)
    shoot(page, "apercu")
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".admin-message")).to_contain_text("Version 2 publiée")

    page.goto(f"{admin_server}/")
    expect(page.get_by_text(NEW_NAME).first).to_be_attached()

    page.goto(f"{admin_server}/admin/neon/versions/1")
    no_axe_violation(page)
    shoot(page, "version")
    page.get_by_role("link", name="Restaurer la version 1…").click()
    page.get_by_role("button", name="Confirmer la restauration de la version 1").click()
    expect(page.locator(".admin-message")).to_contain_text("Version 1 restaurée")
    page.goto(f"{admin_server}/")
    expect(page.get_by_text(NEW_NAME)).to_have_count(0)


def test_the_copy_button_copies_the_embed_snippet(admin_page: Page, admin_server: str) -> None:
    page = admin_page
    page.goto(f"{admin_server}/connexion")
    page.get_by_label("Adresse électronique").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{admin_server}/admin/neon")
    snippet = page.locator("#code-integration")
    expected = (
        f'<iframe src="{admin_server}/embed?reseau=neon" title="Carte des structures — NEON" '
        'width="100%" height="600" style="border:0" loading="lazy"></iframe>'
    )
    expect(snippet).to_have_value(expected)
    page.get_by_role("button", name="Copier le code").click()
    expect(page.locator(".copy-status")).to_contain_text("Code")
