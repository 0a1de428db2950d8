"""The printed orientation sheet in Chromium: one A4 page (its PDF), the deadline, today's date,
the cares and their fees, an optional second team, no focus outline, and axe on the sheet."""

from __future__ import annotations

import re
import zlib
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_orientation_form import ALL_IMPACTS, pick_first_suggestion_with_enter
from tests.browser.watch import axe_violations

# The longest team name of the demo data, and the longest set of contacts and notes.
LONGEST_NAME = ("onco-aura", "AURA-CLER-AJA")
LONGEST_CONTACTS = ("neon", "NEON-SCHIL-01")
ALL_CARES = ("activite_physique", "dietetique", "psychologie")

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _streams(pdf: bytes) -> dict[bytes, bytes]:
    """Return the inflated stream of every object that has one, by object number."""
    found = {}
    for number, body in _OBJECT.findall(pdf):
        stream = _STREAM.search(body)
        if stream is not None:
            raw = stream.group(1)
            found[number] = zlib.decompress(raw) if b"/FlateDecode" in body[:200] else raw
    return found


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """Return a ToUnicode CMap's glyphs (bfchar and bfrange of single characters)."""
    glyphs = {}
    for code, char in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>\s*$", cmap, re.M):
        glyphs[int(code, 16)] = chr(int(char, 16))
    for low, high, start in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>", cmap):
        for offset in range(int(high, 16) - int(low, 16) + 1):
            glyphs[int(low, 16) + offset] = chr(int(start, 16) + offset)
    return glyphs


def pdf_text(pdf: bytes) -> str:
    """Return the text Chromium (Skia) drew in a PDF: fonts by ToUnicode map, glyphs in order."""
    objects = dict(_OBJECT.findall(pdf))
    streams = _streams(pdf)
    fonts = {}
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", pdf):
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(number, b""))
        if to_unicode is not None:
            fonts[name] = _unicode_map(streams[to_unicode.group(1)])
    text: list[str] = []
    for stream in streams.values():
        glyphs: dict[int, str] = {}
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-F]+)> Tj", stream):
            if token.group(1):
                glyphs = fonts.get(token.group(1), {})
                continue
            hexes = token.group(2)
            codes = [int(hexes[i : i + 4], 16) for i in range(0, len(hexes), 4)]
            text.extend(glyphs.get(code, "") for code in codes)
    return "".join(text)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def open_sheet(page: Page, live_server: str, fields: dict[str, object]) -> None:
    """Post the sheet's form as the results page does, in this tab."""
    page.goto(live_server + "/orienter")
    page.evaluate(
        """fields => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/orienter/fiche";
          for (const [name, values] of Object.entries(fields)) {
            for (const value of [].concat(values)) {
              const input = document.createElement("input");
              Object.assign(input, { type: "hidden", name, value });
              form.appendChild(input);
            }
          }
          document.body.appendChild(form);
          form.submit();
        }""",
        fields,
    )
    page.wait_for_url("**/orienter/fiche")
    expect(page.locator(".sheet__team-name").first).to_be_visible()


@pytest.mark.parametrize(
    ("first", "second"),
    [(LONGEST_NAME, LONGEST_CONTACTS), (LONGEST_CONTACTS, LONGEST_NAME), (LONGEST_NAME, None)],
)
def test_the_longest_sheet_prints_on_one_a4_page_with_the_deadline_and_today(
    page: Page, live_server: str, first: tuple[str, str], second: tuple[str, str] | None
) -> None:
    fields: dict[str, object] = {"reseau": first[0], "identifiant": first[1]}
    fields |= {"soins": list(ALL_CARES), "echeance": "2027-03-31"}
    if second is not None:
        fields["seconde"] = ":".join(second)
    open_sheet(page, live_server, fields)
    page.locator("#fiche-patient").fill("Patient de test")  # the field typed in keeps focus
    pdf = page.pdf(format="A4", print_background=True)
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    assert "Date limite de prescription : 31 mars 2027" in text
    assert date.today().strftime("%d/%m/%Y") in text
    assert "Signature et cachet" in text and "1 bilan et 6 consultations de suivi (180 €)" in text
    assert text.count("Équipe de démonstration —") == (2 if second else 1)


def test_printing_shows_no_chrome_and_no_focus_outline(page: Page, live_server: str) -> None:
    open_sheet(
        page,
        live_server,
        {"reseau": "neon", "identifiant": "NEON-SCHIL-01", "soins": "psychologie"},
    )
    field = page.locator("#fiche-patient")
    field.focus()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    outline = field.evaluate("el => getComputedStyle(el).outlineStyle")
    shadow = field.evaluate("el => getComputedStyle(el).boxShadow")
    assert outline == "none" and shadow == "none"


def test_the_results_page_puts_a_second_team_on_the_sheet_on_request(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/orienter")
    pick_first_suggestion_with_enter(page, "Clermont-Fer")
    page.select_option("#cancer", "sein")
    page.fill("#age", "20")
    page.check("#soin-psychologie")
    page.fill("#fin_traitement", "15/06/2026")
    page.get_by_role("button", name="Trouver les équipes").click()
    first = page.locator(".team").first
    second_name = page.locator(".team__name").nth(1).inner_text()
    first.get_by_label(re.compile("en second choix, l'équipe n° 2")).check()
    with page.context.expect_page() as opened:
        first.get_by_role("button", name=re.compile("^Fiche d'orientation")).click()
    sheet = opened.value
    sheet.wait_for_load_state()
    names = sheet.locator(".sheet__team-name")
    expect(names).to_have_count(2)
    expect(names.nth(1)).to_have_text(second_name)
    expect(sheet.locator(".sheet__deadline")).to_contain_text("15 juin 2027")
    expect(sheet.locator("#fiche-date")).to_have_value(date.today().strftime("%d/%m/%Y"))
    expect(sheet.locator(".sheet__cares")).to_contain_text("Bilan et consultations psychologiques")
    assert axe_violations(sheet, impacts=ALL_IMPACTS) == []
    for width in (1366, 390):
        sheet.set_viewport_size({"width": width, "height": 900})
        sheet.screenshot(path=f"/tmp/orientation-sheet-two-teams-{width}.png", full_page=True)
    assert page_count(sheet.pdf(format="A4")) == 1
    sheet.close()
