"""The embed in a real browser: its options (`affichage`, `hauteur=auto`) at a phone's width and
at the widths of a network site's column, alone and inside a real frame of another site."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, expect

from tests.browser.test_public_map import NEON_SITES, open_map, wait_until
from tests.browser.watch import PageWatch, axe_violations

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
FRAME_HEIGHT = 600
SHOTS = "/tmp/shots-layout"
MESSAGE = "annuaire-pcs-hauteur"
HEIGHT = "Math.ceil(document.documentElement.getBoundingClientRect().height)"  # what is posted
# What each option shows at each width: (map, list, switch). On a phone the switch starts on
# the map.
SHOWN = {
    ("carte-et-liste", 360): (True, False, True),
    ("carte-et-liste", 600): (True, True, False),
    ("carte-et-liste", 900): (True, True, False),
    ("carte", 360): (True, False, False),
    ("carte", 600): (True, False, False),
    ("carte", 900): (True, False, False),
    ("liste", 360): (False, True, False),
    ("liste", 600): (False, True, False),
    ("liste", 900): (False, True, False),
}
# A network's page: the frame takes the heights the embed posts, from the embed only.
HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site d'un réseau</title></head>
<body style="margin:0"><main><h1>Nos équipes</h1>
<iframe id="carte" title="Carte des structures" src="{src}"
        style="display:block;width:100%;height:{height}px;border:0"></iframe></main>
<script>
window.heights = [];
window.addEventListener("message", function (event) {{
  var frame = document.getElementById("carte");
  if (event.source !== frame.contentWindow || !event.data || event.data.type !== "{message}") {{
    return;
  }}
  window.heights.push(event.data.hauteur);
  frame.style.height = event.data.hauteur + "px";
}});
</script></body></html>"""


def shown(page: Page | Frame, selector: str) -> bool:
    """Whether `selector` is seen: visible and more than a visually hidden pixel."""
    element = page.locator(selector).first
    if not element.is_visible():
        return False
    found = element.bounding_box()
    return found is not None and found["width"] > 2 and found["height"] > 2


def document_height(page: Page | Frame) -> int:
    height: int = page.evaluate(HEIGHT)
    return height


def scroll_height(page: Page | Frame) -> int:
    height: int = page.evaluate("document.documentElement.scrollHeight")
    return height


def embed(page: Page, url: str, width: int, height: int = FRAME_HEIGHT) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_map(page, url)
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()


@pytest.mark.parametrize("width", [360, 600, 900])
@pytest.mark.parametrize("display", ["carte-et-liste", "carte", "liste"])
def test_the_embed_shows_what_its_display_asks_and_fills_the_frame(
    page: Page, live_server: str, display: str, width: int
) -> None:
    embed(page, f"{live_server}/embed?reseau=neon&affichage={display}", width)
    seen = (shown(page, ".leaflet-container"), shown(page, ".pm-list"), shown(page, ".pm-switch"))
    assert seen == SHOWN[display, width]
    expect(page.locator("#pm-commune")).to_be_visible()
    expect(page.get_by_role("button", name="Filtres")).to_have_attribute("aria-expanded", "false")
    assert scroll_height(page) <= FRAME_HEIGHT  # no page scroll in the frame
    if seen[1]:  # the list scrolls in its own box
        the_list = page.locator(".pm-list")
        assert the_list.evaluate("(e) => e.scrollHeight > e.clientHeight + 100")
    page.screenshot(path=f"{SHOTS}/embed{width}-{display}.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


def test_on_a_phone_the_embed_switches_to_its_list_inside_the_frame(
    page: Page, live_server: str
) -> None:
    embed(page, f"{live_server}/embed?reseau=neon", 360)
    page.get_by_role("button", name=f"Liste ({NEON_SITES})").click()
    assert shown(page, ".pm-list") and not shown(page, ".leaflet-container")
    assert scroll_height(page) <= FRAME_HEIGHT
    page.screenshot(path=f"{SHOTS}/embed360-list.png")
    page.click(".pm-site__show >> nth=0")
    assert shown(page, ".leaflet-container")
    expect(page.locator(".leaflet-popup")).to_have_count(1)


def test_a_map_only_embed_keeps_its_list_for_keyboards_and_screen_readers(
    page: Page, live_server: str
) -> None:
    embed(page, f"{live_server}/embed?reseau=neon&affichage=carte", 600)
    expect(page.locator(".pm-site")).to_have_count(NEON_SITES)  # in the page, out of sight
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller à la liste des structures")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#pm-liste")).to_be_focused()
    assert shown(page, ".pm-list")  # shown over the map while it has the focus
    page.screenshot(path=f"{SHOTS}/embed600-carte-list-focused.png")
    assert axe_violations(page, impacts=ALL_IMPACTS) == []
    page.locator(".pm-site__show >> nth=1").click()  # the popup, the list out of the way
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    assert not shown(page, ".pm-list")
    page.locator("#pm-liste").focus()
    assert shown(page, ".pm-list")
    page.keyboard.press("Escape")  # back to the map
    assert not shown(page, ".pm-list")


def test_a_list_only_embed_has_no_map_buttons(page: Page, live_server: str) -> None:
    embed(page, f"{live_server}/embed?reseau=neon&affichage=liste", 600)
    expect(page.locator(".pm-site:visible")).to_have_count(NEON_SITES)
    expect(page.locator(".pm-site__show:visible")).to_have_count(0)
    page.get_by_role("button", name="Filtres").click()
    page.select_option("#pm-public", "enfants")
    expect(page.locator(".pm-site:visible")).to_have_count(1)
    # The filter is in the frame's URL, with the embed's own options: a reload keeps both.
    wait_until(page, "new URLSearchParams(location.search).get('public') === 'enfants'")
    assert "affichage=liste" in page.url and "reseau=neon" in page.url
    page.reload()
    expect(page.locator(".pm-site:visible")).to_have_count(1)
    expect(page.locator(".pm-map")).to_be_hidden()


@pytest.mark.parametrize("width", [360, 600, 900])
def test_with_auto_height_nothing_depends_on_the_frames_height(
    page: Page, live_server: str, width: int
) -> None:
    url = f"{live_server}/embed?reseau=neon&hauteur=auto"
    sizes = []
    for height in (FRAME_HEIGHT, 1000):
        embed(page, url, width, height)
        map_height = page.locator(".pm-map").evaluate("(e) => e.offsetHeight")
        sizes.append((map_height, document_height(page)))
    assert sizes[0] == sizes[1]  # the map's height and the page's: never a loop with the host
    if width > 360:
        assert shown(page, ".pm-list")  # the list flows under the map
        page.screenshot(path=f"{SHOTS}/embed{width}-auto.png", full_page=True)
    assert axe_violations(page, impacts=ALL_IMPACTS) == []


@pytest.fixture(scope="module")
def host(live_server: str) -> Iterator[str]:
    """Another site, on another loopback port, whose pages frame the embed: /auto, /fixe."""

    class Host(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            auto = self.path == "/auto"
            src = f"{live_server}/embed?reseau=neon" + ("&hauteur=auto" if auto else "")
            body = HOST_PAGE.format(src=src, height=FRAME_HEIGHT, message=MESSAGE).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def host_tab(browser_context: BrowserContext, live_server: str, host: str) -> Iterator[Page]:
    """A tab on the host site; fails the test on an error, or a request to a third site."""
    tab = browser_context.new_page()
    watch = PageWatch(live_server)
    watch.attach(tab)
    yield tab
    tab.close()
    third = [url for url in watch.foreign_requests if not url.startswith(host)]
    assert watch.console_errors + watch.failed_requests + third == [], "the page misbehaved"


def framed(tab: Page) -> Frame:
    frame = next((f for f in tab.frames if "/embed" in f.url), None)
    assert frame is not None
    frame.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    return frame


def frame_height(tab: Page) -> float:
    found = tab.locator("#carte").bounding_box()
    assert found is not None
    return found["height"]


def test_with_auto_height_the_host_page_gets_the_embeds_height(host_tab: Page, host: str) -> None:
    host_tab.set_viewport_size({"width": 750, "height": 800})
    host_tab.goto(f"{host}/auto")
    frame = framed(host_tab)
    wait_until(host_tab, "() => window.heights.length > 0")
    expected = document_height(frame)
    wait_until(host_tab, f"() => window.heights[window.heights.length - 1] === {expected}")
    assert frame_height(host_tab) == expected > 1000  # the whole list, no scroll in the frame
    frame.get_by_role("button", name="Filtres").click()  # the page grows: a new height
    taller = document_height(frame)
    assert taller > expected
    wait_until(host_tab, f"() => window.heights[window.heights.length - 1] === {taller}")
    heights: list[int] = host_tab.evaluate("window.heights")
    assert all(a != b for a, b in itertools.pairwise(heights))  # never twice in a row
    assert all(isinstance(h, int) for h in heights)
    assert frame_height(host_tab) == taller
    host_tab.screenshot(path=f"{SHOTS}/host750-auto.png")


def test_without_auto_height_the_embed_fills_its_frame_and_posts_nothing(
    host_tab: Page, host: str
) -> None:
    host_tab.set_viewport_size({"width": 750, "height": 800})
    host_tab.goto(f"{host}/fixe")
    frame = framed(host_tab)
    assert frame_height(host_tab) == FRAME_HEIGHT
    assert scroll_height(frame) <= FRAME_HEIGHT
    assert shown(frame, ".pm-list") and shown(frame, ".leaflet-container")
    host_tab.wait_for_timeout(300)
    assert host_tab.evaluate("window.heights") == []
    host_tab.screenshot(path=f"{SHOTS}/host750-fixe.png")
