"""The embed snippet generator in Chromium: options change the code and the live preview, the
preview's width, the copy button, axe-core with no violation at 1,366 and 390 px; and the
snippet's host-side script on another site: the frame's height follows its own frame's messages
and nothing else."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import NEON_EDITOR, NEON_PASSWORD
from tests.browser.watch import PageWatch, axe_violations
from webapp.admin.embed import EmbedOptions, embed_snippet

SCREENSHOTS = Path("/tmp/admin-screenshots")
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")
PIXELS = "Hauteur en pixels (de 300 à 2000)"
AUTOMATIC = "Automatique : le cadre s'allonge selon ce qu'il affiche"


def containing(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


def no_violation_and_screenshots(page: Page, name: str) -> None:
    """Run axe-core (every impact) and shoot the section at 1,366 and 390 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page, impacts=EVERY_IMPACT) == [], f"{name} at {width} px"
        section = page.locator(".embed-section")
        section.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_options_change_the_code_and_the_preview(editor: Page, neon_editor_server: str) -> None:
    page, embed = editor, f"{neon_editor_server}/embed"
    page.goto(f"{neon_editor_server}/admin/neon")
    code, preview = page.locator("#code-integration"), page.locator("#apercu-integration")
    expect(code).to_have_value(
        f'<iframe src="{embed}?reseau=neon" title="Carte des structures — NEON" '
        'width="100%" height="600" style="border:0" loading="lazy"></iframe>'
    )
    expect(preview).to_have_attribute("src", f"{embed}?reseau=neon")
    expect(page.get_by_role("button", name="Mettre à jour le code")).to_be_hidden()
    no_violation_and_screenshots(page, "integration")

    page.get_by_label("Type de cancer").select_option("sein")
    expect(preview).to_have_attribute("src", f"{embed}?reseau=neon&cancer=sein")
    expect(code).to_have_value(containing("?reseau=neon&amp;cancer=sein"))
    page.get_by_label("La carte seule").check()
    page.get_by_label("Tout l'annuaire (les structures de tous les réseaux)").check()
    chosen = f"{embed}?cancer=sein&affichage=carte"
    expect(preview).to_have_attribute("src", chosen)
    expect(code).to_have_value(containing('title="Carte des structures — tout l’annuaire"'))

    page.get_by_label(PIXELS).fill("720")
    expect(code).to_have_value(containing('height="720"'))
    expect(preview).to_have_attribute("height", "720")
    page.get_by_label(AUTOMATIC).check()
    expect(page.get_by_label(PIXELS)).to_be_disabled()
    expect(preview).to_have_attribute("src", chosen + "&hauteur=auto")
    expect(code).to_have_value(containing("annuaire-pcs-hauteur"))
    no_violation_and_screenshots(page, "integration-auto")


def test_a_height_out_of_bounds_is_said_in_french_and_the_last_good_code_stays(
    browser_context: BrowserContext, neon_editor_server: str
) -> None:
    browser_context.clear_cookies()
    page = browser_context.new_page()
    watch = PageWatch(neon_editor_server)
    watch.attach(page)
    try:
        page.goto(f"{neon_editor_server}/connexion")
        page.get_by_label("Adresse électronique").fill(NEON_EDITOR)
        page.get_by_label("Mot de passe").fill(NEON_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto(f"{neon_editor_server}/admin/neon")
        page.get_by_label(PIXELS).fill("50")
        problem = page.locator("#integration-erreur-direct")
        expect(problem).to_contain_text("entre 300 et 2000")
        expect(page.locator("#code-integration")).to_have_value(containing('height="600"'))
        assert axe_violations(page, impacts=EVERY_IMPACT) == []
        page.get_by_label(PIXELS).fill("500")
        expect(problem).to_be_hidden()
        expect(page.locator("#code-integration")).to_have_value(containing('height="500"'))
    finally:
        page.close()
    # The route's 400 is the point of this test; nothing else may fail.
    assert [p for p in watch.problems() if "/admin/neon/integration?" not in p] == []


def test_the_preview_takes_the_width_of_a_phone_or_a_column(
    editor: Page, neon_editor_server: str
) -> None:
    page = editor
    page.goto(f"{neon_editor_server}/admin/neon")
    box = page.locator("#apercu-boite")
    for label, width in [("Téléphone (360 px)", 360), ("Colonne étroite (600 px)", 600)]:
        page.get_by_label(label).check()
        expect(box).to_have_class(containing(f"embed-preview--{width}"))
        assert (box.bounding_box() or {"width": 0})["width"] == width
    page.get_by_label("Pleine largeur").check()
    expect(box).to_have_class("embed-preview")
    page.get_by_label("Téléphone (360 px)").check()
    page.locator("#apercu-integration").scroll_into_view_if_needed()
    expect(page.frame_locator("#apercu-integration").locator("body")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(".embed-preview-part").screenshot(path=str(SCREENSHOTS / "apercu-360.png"))


def test_the_copy_button_copies_the_code_and_says_so(
    editor: Page, neon_editor_server: str, browser_context: BrowserContext
) -> None:
    page = editor
    browser_context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=neon_editor_server
    )
    try:
        page.goto(f"{neon_editor_server}/admin/neon")
        page.get_by_label("La liste seule").check()
        code = page.locator("#code-integration")
        expect(code).to_have_value(containing("affichage=liste"))
        page.get_by_role("button", name="Copier le code").click()
        expect(page.get_by_role("status").filter(has_text="Code copié")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == code.input_value()
    finally:
        browser_context.clear_permissions()


# The host site's side: a page of another site holding the snippet, whose frame (standing in
# for /embed, which the host script cannot tell apart) posts its height when loaded and when
# the test asks it to.
FRAME_PAGE = """<!doctype html><html lang="fr"><title>cadre</title><body><script>
function tell(height) { parent.postMessage({type: "annuaire-pcs-hauteur", hauteur: height}, "*"); }
window.addEventListener("message", function (event) { tell(event.data); });
tell(1234);
</script></body></html>"""
OTHER_PAGE = """<!doctype html><html lang="fr"><title>autre</title><body><script>
parent.postMessage({type: "annuaire-pcs-hauteur", hauteur: 666}, "*");
</script></body></html>"""


PAGES: dict[str, str] = {"/embed": FRAME_PAGE, "/autre": OTHER_PAGE}


@pytest.fixture(scope="module")
def host_site() -> Iterator[int]:
    """A tiny HTTP server on a free loopback port; the host page holds the snippet built for
    http://localhost:PORT as the app, and is served at http://127.0.0.1:PORT (another origin)."""
    pages = PAGES

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0], "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    port = server.server_port
    options = EmbedOptions(reseau="neon", auto_height=True)
    snippet = embed_snippet(options, f"http://localhost:{port}/embed", "NEON")
    pages["/hote"] = (
        '<!doctype html><html lang="fr"><title>Site du réseau</title><body><h1>Nos équipes</h1>'
        f"{snippet}</body></html>"
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def frame_height(page: Page) -> float:
    box = page.locator("iframe[title='Carte des structures — NEON']").bounding_box()
    assert box is not None
    return box["height"]


def settle(page: Page) -> None:
    """Give messages in flight time to arrive (they are delivered asynchronously)."""
    page.wait_for_timeout(300)


def test_the_host_frame_follows_its_frames_height_messages_only(
    browser_context: BrowserContext, host_site: int
) -> None:
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(f"http://127.0.0.1:{host_site}/hote")
        tab.wait_for_function("document.querySelector('iframe').offsetHeight === 1234")

        def child_tells(value: str) -> None:
            tab.evaluate(
                f"document.querySelector('iframe').contentWindow.postMessage({value}, '*')"
            )
            settle(tab)

        child_tells("900")
        assert frame_height(tab) == 900
        child_tells("50")
        assert frame_height(tab) == 200  # clamped
        for bad in ('"1000"', "-5", "0", "NaN", "Infinity", "null"):
            child_tells(bad)
            assert frame_height(tab) == 200, bad
        child_tells("99999")
        assert frame_height(tab) == 20000
        child_tells("640")

        # The host page itself, and another frame of the page, are not the snippet's frame.
        tab.evaluate("window.postMessage({type: 'annuaire-pcs-hauteur', hauteur: 777}, '*')")
        tab.evaluate(
            "new Promise(function (done) { var other = document.createElement('iframe');"
            f" other.src = 'http://localhost:{host_site}/autre'; other.onload = done;"
            " document.body.appendChild(other); })"
        )
        settle(tab)
        assert frame_height(tab) == 640

        # The snippet's own frame, once at another origin than the app's, is not trusted.
        tab.evaluate(
            "new Promise(function (done) { var frame = document.querySelector('iframe');"
            f" frame.onload = done; frame.src = 'http://127.0.0.1:{host_site}/embed'; }})"
        )
        settle(tab)
        assert frame_height(tab) == 640
        assert errors == []
    finally:
        tab.close()


def test_the_snippet_sizes_its_frame_to_the_real_embed(
    browser_context: BrowserContext, host_site: int, live_server: str
) -> None:
    """End to end: the generated snippet on another site, the app's /embed in its frame."""
    options = EmbedOptions(reseau="neon", auto_height=True)
    snippet = embed_snippet(options, f"{live_server}/embed", "NEON")
    PAGES["/hote-reel"] = (
        '<!doctype html><html lang="fr"><title>Site du réseau</title><body style="margin:0">'
        f"<h1>Nos équipes</h1>{snippet}</body></html>"
    )
    tab = browser_context.new_page()
    tab.set_viewport_size({"width": 750, "height": 700})
    try:
        tab.goto(f"http://localhost:{host_site}/hote-reel")
        frame = tab.frame_locator("iframe")
        expect(frame.locator(".pm-site").first).to_be_attached()
        # The frame grows from the snippet's 600 px to the whole embed: no scroll inside it.
        tab.wait_for_function("document.querySelector('iframe').offsetHeight > 600")
        settle(tab)
        inner = tab.frames[1].evaluate("document.documentElement.scrollHeight")
        assert abs(frame_height(tab) - inner) <= 1
    finally:
        tab.close()
