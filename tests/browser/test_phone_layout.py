"""A long unbreakable word from a network's file (team name, address, e-mail, precisions) wraps on
a 360 px phone instead of widening the public map, the orientation results or the admin preview."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize

from geodata.accounts.users import add_user
from geodata.config import Settings
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.importing import check_file, publish_check
from geodata.publishing.pending import save_check
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import make_engine, session_factory
from geodata.storage.networks import get_network
from tests.browser.watch import PageWatch
from tests.helpers import DEMO, load_demo, serving
from webapp import create_app

EDITOR = "editrice@neon.example.org"
PASSWORD = "une phrase assez longue"
WORD = "Anticonstitutionnellement" * 4  # 100 letters, no place to break
PHONE = ViewportSize(width=360, height=740)


@dataclass(frozen=True)
class WideServer:
    base: str
    preview: str  # path of a pending import whose sites carry the long word


def with_long_words(ident: str, suffix: str = "") -> bytes:
    """The demo NEON file where site `ident` has the long word everywhere text goes."""
    text = (DEMO / "neon.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    for row in rows:
        if row["identifiant"] == ident:
            row |= {
                "nom": f"Équipe {WORD}{suffix}",
                "structure_porteuse": WORD,
                "adresse": f"{row['adresse']} {WORD}",
                "courriel": f"{WORD[:60].lower()}@{WORD[:60].lower()}.example.org",
                "precisions": f"{WORD}{suffix}",
            }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def wide_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WideServer]:
    """Serve a directory where Strasbourg's team has long words, and a preview changing them."""
    folder = tmp_path_factory.mktemp("wide-live")
    url = f"sqlite:///{folder / 'wide.sqlite'}"
    load_demo(url)
    engine = make_engine(Settings(database_url=url))
    gazetteer = get_gazetteer()
    with session_factory(engine)() as session, session.begin():
        add_user(session, EDITOR, PASSWORD, "neon")
        network = get_network(session, "neon")
        for data, publish in ((with_long_words("NEON-STRAS-01"), True),
                              (with_long_words("NEON-STRAS-01", "Bis"), False)):  # fmt: skip
            check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
            assert check.ok, check.errors
            if publish:
                publish_check(session, network, check)
            else:
                pending = save_check(session, network, check, author=EDITOR, source="long.csv")
    engine.dispose()
    with serving(create_app({"database_url": url, "instance_path": folder})) as base:
        yield WideServer(base, f"/admin/neon/imports/{pending.id}")


@pytest.fixture
def phone(browser_context: BrowserContext, wide_server: WideServer) -> Iterator[Page]:
    """A signed-out 360 px wide tab on the server; fails the test on any error, like `page`."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.set_viewport_size(PHONE)
    watch = PageWatch(wide_server.base)
    watch.attach(tab)
    yield tab
    tab.close()
    assert watch.problems() == [], "the page misbehaved"


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_the_public_map_keeps_to_a_phones_width(phone: Page, wide_server: WideServer) -> None:
    phone.goto(f"{wide_server.base}/")
    assert page_width(phone) <= PHONE["width"]  # the map view
    phone.get_by_role("button", name="Liste").click()
    phone.get_by_text(WORD).first.wait_for()
    assert page_width(phone) <= PHONE["width"]


def test_orientation_results_keep_to_a_phones_width(phone: Page, wide_server: WideServer) -> None:
    phone.goto(f"{wide_server.base}/orienter")
    phone.fill("#adresse", "Strasbourg")
    phone.select_option("#cancer", "poumon")
    phone.fill("#age", "54")
    phone.check("#soin-psychologie")
    phone.click("form.orientation-form button[type=submit]")
    phone.get_by_text(f"Équipe {WORD}").first.wait_for()
    assert page_width(phone) <= PHONE["width"]


def test_the_admin_preview_keeps_to_a_phones_width(phone: Page, wide_server: WideServer) -> None:
    phone.goto(f"{wide_server.base}/connexion")
    phone.get_by_label("Adresse électronique").fill(EDITOR)
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    phone.goto(f"{wide_server.base}{wide_server.preview}")
    phone.get_by_text(f"{WORD}Bis").first.wait_for()
    assert page_width(phone) <= PHONE["width"]
