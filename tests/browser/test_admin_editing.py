"""The network editor's screens in Chromium: landing on their network, problems that name their
team and download in the file's own format, sending the corrected file from the preview, restore
behind a confirmation showing its changes, the journal's links, the page's columns; axe-core in
every state, at 1,366 and 390 px."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from geodata.contract.textfile import decode_bytes, detect_delimiter
from tests.browser.watch import axe_violations
from tests.helpers import demo_rows, to_csv

SCREENSHOTS = Path("/tmp/admin-screenshots")
WIDTHS = (1366, 390)
# The words of `selector`'s elements that a line break cuts in two ("Commun|e").
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def broken_rows() -> list[dict[str, str]]:
    rows = demo_rows()
    rows[1]["code_postal"] = "6700"
    rows[2]["commune"] = "Nulle-Part"
    rows[3]["soins"] = "natation"
    return rows


def send(page: Page, data: bytes, button: str = "Vérifier le fichier") -> None:
    payload: FilePayload = {"name": "neon.csv", "mimeType": "text/csv", "buffer": data}
    page.set_input_files("#fichier", files=[payload])
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def check_every_width(page: Page, name: str) -> None:
    """Run axe-core and take a full-page screenshot at each width; back to 1,366 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{name} at {width} px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_an_editor_of_one_network_lands_on_it_with_the_footer_in_its_column(
    editor: Page, neon_editor_server: str
) -> None:
    expect(editor).to_have_url(f"{neon_editor_server}/admin/")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Annuaire NEON")
    expect(editor.get_by_role("link", name="Mon réseau")).to_have_attribute("href", "/admin/neon")
    for width in WIDTHS:
        editor.set_viewport_size({"width": width, "height": 900})
        main = editor.locator(".admin h1").bounding_box()
        footer = editor.locator(".site-footer p").first.bounding_box()
        assert main and footer and abs(main["x"] - footer["x"]) < 1
    check_every_width(editor, "reseau")


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1252", ";"), ("utf-8", ","), ("utf-16", "\t")]
)
def test_the_problems_name_their_team_and_download_in_the_files_own_format(
    editor: Page, neon_editor_server: str, encoding: str, delimiter: str
) -> None:
    editor.goto(f"{neon_editor_server}/admin/neon")
    rows = broken_rows()
    send(editor, to_csv(rows, encoding, delimiter))
    expect(editor.get_by_role("heading", name="3 erreurs à corriger")).to_be_visible()
    table = editor.locator(".problems-table")
    expect(table.locator("tr", has_text="Nulle-Part")).to_contain_text(rows[2]["identifiant"])
    expect(table.locator("tr", has_text="Nulle-Part")).to_contain_text(rows[2]["nom"])
    link = editor.get_by_role("link", name="Télécharger la liste des problèmes (CSV)")
    link.focus()
    with editor.expect_download() as download:
        editor.keyboard.press("Enter")
    data = Path(download.value.path()).read_bytes()
    text, found = decode_bytes(data)
    assert (found, detect_delimiter(text)) == (encoding, delimiter)
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert [rows[2]["identifiant"], rows[2]["nom"], "Commune", "Nulle-Part"] in [
        line[1:5] for line in lines
    ]


def test_no_header_or_column_name_breaks_inside_a_word(
    editor: Page, neon_editor_server: str
) -> None:
    editor.goto(f"{neon_editor_server}/admin/neon")
    send(editor, to_csv(broken_rows(), "utf-8", ";"))
    for width in WIDTHS:
        editor.set_viewport_size({"width": width, "height": 900})
        cells = ".admin th, .problems-table td.column, .problems-table td.team"
        assert editor.evaluate(BROKEN_WORDS, cells) == [], f"at {width} px"
    check_every_width(editor, "apercu-erreurs")


def test_the_corrected_file_is_sent_from_the_preview(editor: Page, neon_editor_server: str) -> None:
    editor.goto(f"{neon_editor_server}/admin/neon")
    send(editor, to_csv(broken_rows(), "utf-8", ";"))
    rows = demo_rows()
    rows[0]["telephone"] = "03 53 01 09 99"
    send(editor, to_csv(rows, "utf-8", ";"), "Vérifier le fichier corrigé")
    expect(editor.get_by_role("heading", name="Aucun problème")).to_be_visible()
    expect(editor.locator(".diff-summary")).to_contain_text("1 modification")
    notice = editor.locator("#mairie")
    expect(notice).to_contain_text("9 structures sur 12 sont placées à la mairie")
    expect(notice).to_contain_text("pas jusqu'à la rue")
    expect(editor.locator(".located-list")).not_to_contain_text("précision faible")
    check_every_width(editor, "apercu-corrige")


def test_restore_asks_and_shows_what_it_changes_then_the_journal_links_the_versions(
    editor: Page, neon_editor_server: str
) -> None:
    editor.goto(f"{neon_editor_server}/admin/neon")
    rows = demo_rows()
    removed = rows.pop()
    send(editor, to_csv(rows, "utf-8", ";"))
    editor.get_by_role("button", name="Publier").click()
    expect(editor.locator(".admin-message")).to_contain_text("publiée")
    number = int(editor.locator(".badge").first.locator("..").inner_text().split()[1])

    editor.goto(f"{neon_editor_server}/admin/neon/versions/1")
    editor.get_by_role("link", name="Restaurer la version 1…").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Revenir à la version n° 1")
    expect(editor.locator(".diff-list--added")).to_contain_text(removed["identifiant"])
    expect(editor.get_by_text(f"nouvelle version (n° {number + 1})")).to_be_visible()
    check_every_width(editor, "restauration")
    editor.get_by_role("button", name="Confirmer la restauration de la version 1").focus()
    editor.keyboard.press("Enter")
    editor.wait_for_load_state()
    expect(editor.locator(".admin-message")).to_contain_text(
        f"Version 1 restaurée : elle est en ligne comme version {number + 1}."
    )

    editor.get_by_role("link", name="Journal des modifications").click()
    entry = editor.locator("tbody tr").first
    expect(entry).to_contain_text("Retour à la version n° 1, remise en ligne comme version")
    expect(entry).not_to_contain_text("version_restauree")
    check_every_width(editor, "journal")
    entry.get_by_role("link", name=f"n° {number + 1}").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text(f"Version n° {number + 1}")


def test_a_restore_confirmed_after_another_publication_shows_the_new_changes(
    editor: Page, neon_editor_server: str, browser_context: BrowserContext
) -> None:
    editor.goto(f"{neon_editor_server}/admin/neon")
    rows = demo_rows()
    rows[0]["telephone"] = "03 53 01 08 88"
    send(editor, to_csv(rows, "utf-8", ";"))
    editor.get_by_role("button", name="Publier").click()
    editor.goto(f"{neon_editor_server}/admin/neon/versions/1")
    check_every_width(editor, "version")
    editor.get_by_role("link", name="Restaurer la version 1…").click()
    other = browser_context.new_page()  # the same editor, in another tab, publishes meanwhile
    other.goto(f"{neon_editor_server}/admin/neon")
    rows[0]["nom"] = "Équipe publiée pendant la confirmation"
    send(other, to_csv(rows, "utf-8", ";"))
    other.get_by_role("button", name="Publier").click()
    expect(other.locator(".admin-message")).to_contain_text("publiée")
    other.close()
    editor.get_by_role("button", name="Confirmer la restauration de la version 1").click()
    expect(editor.get_by_role("alert")).to_contain_text("Une autre version")
    expect(editor.locator(".diff-table")).to_contain_text("Équipe publiée pendant la confirmation")
    check_every_width(editor, "restauration-perimee")
