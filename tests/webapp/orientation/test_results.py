"""The form's fields, the results' pointer to the teams left out and their grey markers."""

from __future__ import annotations

import json
import math
import re

import pytest
from flask.testing import FlaskClient

from tests.webapp.orientation.pages import ADULT_IN_LYON_7, CHILD_IN_STRASBOURG, forms_of
from webapp.maps import render_map
from webapp.orientation.map import SPREAD_PX, LeftOutPin, TeamPin, orientation_map, spread
from webapp.orientation.presenters import left_out_line, second_choices
from webapp.orientation.sheet import is_date, split_key, typed_date


def test_the_empty_form_puts_the_focus_on_the_address_and_the_date_is_one_text_field(
    client: FlaskClient,
) -> None:
    html = client.get("/orienter").text
    address = re.search(r"<input id=\"adresse\"[^>]*>", html, re.S)
    assert address is not None and "autofocus" in address.group(0)
    date = re.search(r"<input id=\"fin_traitement\"[^>]*>", html, re.S)
    assert date is not None and 'type="text"' in date.group(0)
    assert "JJ/MM/AAAA" in html


def test_a_form_sent_back_with_errors_gives_the_focus_to_the_summary_not_the_address(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data={"soins": []}).text
    assert "data-focus-on-load" in html and "autofocus" not in html


def test_the_results_never_put_the_focus_in_the_form_to_modify(client: FlaskClient) -> None:
    assert "autofocus" not in client.post("/orienter", data=ADULT_IN_LYON_7).text


@pytest.mark.parametrize("typed", ["31/03/2026", "31.03.2026", "31-03-2026", "2026-03-31"])
def test_an_end_of_treatment_typed_the_french_way_gives_the_deadline_to_the_sheet(
    client: FlaskClient, typed: str
) -> None:
    html = client.post("/orienter", data={**ADULT_IN_LYON_7, "fin_traitement": typed}).text
    assert "à prescrire au plus tard le 31 mars 2027" in html
    sheets = [f for f in forms_of(html).forms if f["action"] == "/orienter/fiche"]
    assert sheets and all(("echeance", "2027-03-31") in f["fields"] for f in sheets)
    assert f'value="{typed}"' in html  # the form to modify shows what was typed


def test_a_line_under_the_list_counts_the_teams_left_out_and_links_to_their_reasons(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data=CHILD_IN_STRASBOURG).text
    results = html.split('class="results"')[1].split('class="results-map"')[0]
    line = re.search(r'<p class="left-out-line">(.*?)</p>', results, re.S)
    assert line is not None
    count = html.split('id="ecartes"')[1].count("<li><strong>")
    assert count >= 1
    assert line.group(1).startswith(f"{count} équipe")
    assert "n&#39;accept" in line.group(1) and '<a href="#ecartes">voir pourquoi</a>' in line.group(
        1
    )


def test_the_teams_left_out_are_grey_on_the_map_with_their_reasons_and_a_legend(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data=CHILD_IN_STRASBOURG).text
    assert html.count('orientation-left-out\\" aria-hidden') >= 1
    assert "bindPopup" in html and "Réservé aux adultes (18 ans et plus)" in html
    legend = html.split('class="muted map-legend"')[1].split("</p>")[0]
    assert "équipes plus proches écartées" in legend


def test_a_left_out_popup_shows_names_and_reasons_as_text() -> None:
    pin = LeftOutPin("<img src=x onerror=alert(1)>", 45.7, 4.8, "1,2 km", ("Réservé <b>",))
    team_pin = TeamPin(1, "Lyon", 45.76, 4.85, 1.3)
    script = render_map(orientation_map(None, (45.75, 4.84), "Lyon", [team_pin], [pin])).script
    assert "<img src=x" not in script and "</script>" not in script.lower()
    literal = re.search(r'bindPopup\(("(?:[^"\\]|\\.)*")', script)
    assert literal is not None
    popup = json.loads(literal.group(1))
    assert "<strong>&lt;img src=x onerror=alert(1)&gt;</strong> (1,2 km)" in popup
    assert "<li>Réservé &lt;b&gt;</li>" in popup


def test_markers_at_the_same_place_are_drawn_around_it_the_patient_on_it() -> None:
    here, there = (48.69, 6.18), (48.70, 6.20)
    offsets = spread([here, here, there, here, (48.69 + 2e-5, 6.18)])
    assert offsets[0] == (0, 0) and offsets[2] == (0, 0)  # the first at each place stays
    around = [offsets[1], offsets[3], offsets[4]]
    assert len(set(around)) == 3 and (0, 0) not in around
    assert all(abs(math.hypot(*offset) - SPREAD_PX) <= 1 for offset in around)
    assert len(set(spread([here] * 14))) == 14  # past six, a wider ring


def test_a_team_left_out_at_the_patients_place_is_not_hidden_under_the_patient() -> None:
    patient = (45.75, 4.84)
    pin = LeftOutPin("Mairie", *patient, "0,0 km", ("Réservé aux enfants",))
    script = render_map(orientation_map(None, patient, "Lyon", [], [pin])).script
    anchors = re.findall(r'"iconAnchor": \[(-?\d+), (-?\d+)\]', script)
    assert ("11", "11") in anchors  # the patient, centred on its place (22 px)
    left_out = [a for a in anchors if a != ("11", "11")]
    assert left_out and left_out[0] != ("10", "10")  # not centred under the patient


@pytest.mark.parametrize(
    ("typed", "iso", "valid"),
    [
        ("31/03/2026", "2026-03-31", True),
        (" 1/4/2026 ", "2026-04-01", True),
        ("2026-03-31", "2026-03-31", True),
        ("31/02/2026", "2026-02-31", False),
        ("mars 2026", "mars 2026", False),
    ],
)
def test_a_typed_end_of_treatment_is_read_day_first(typed: str, iso: str, valid: bool) -> None:
    assert typed_date(typed) == iso
    assert is_date(typed) is valid


def test_a_second_team_key_is_a_network_and_an_identifiant() -> None:
    assert split_key("onco-aura:AURA-LYON3-01") == ("onco-aura", "AURA-LYON3-01")
    assert split_key("AURA-LYON3-01") is None and split_key(":x") is None


def test_the_second_choice_is_the_nearest_other_team(client: FlaskClient) -> None:
    html = client.post("/orienter", data=ADULT_IN_LYON_7).text
    boxes = re.findall(r'name="seconde" value="([^"]+)"', html)
    identifiants = re.findall(r'name="identifiant" value="([^"]+)"', html)
    assert boxes[0].endswith(":" + identifiants[1])
    assert all(box.endswith(":" + identifiants[0]) for box in boxes[1:])
    assert second_choices([]) == []


def test_the_left_out_line_agrees_with_its_number() -> None:
    assert left_out_line(1) == "1 équipe plus proche n'accepte pas ce patient"
    assert left_out_line(3) == "3 équipes plus proches n'acceptent pas ce patient"


def test_an_unknown_address_is_said_with_the_other_errors_in_one_round_trip(
    client: FlaskClient,
) -> None:
    wrong = {**ADULT_IN_LYON_7, "adresse": "Zzyxwvqq Kkjjh", "age": "", "soins": []}
    html = client.post("/orienter", data=wrong).text
    summary = html.split('class="error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<li><a href="#([^"]+)">', summary) == [
        "adresse",
        "age",
        "soin-activite_physique",
    ]
    assert "Zzyxwvqq" not in summary  # the address is never repeated


def _restrictions_of(html: str, team: str) -> str:
    block = html.split(f'<h3 class="team__name">{team}</h3>')[1]
    found = re.search(r'<p class="team__restrictions">(.*?)</p>', block, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def test_a_team_serving_one_department_says_its_name_with_its_code_not_the_bare_code(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data={**ADULT_IN_LYON_7, "adresse": "57000 Metz"}).text
    restrictions = _restrictions_of(html, "Équipe de démonstration — Metz")
    assert "territoire : Moselle (57)" in restrictions


def test_a_team_serving_communes_names_them_rather_than_their_insee_codes(
    client: FlaskClient,
) -> None:
    patient = {**ADULT_IN_LYON_7, "adresse": "51000 Châlons-en-Champagne", "soins": ["psychologie"]}
    html = client.post("/orienter", data=patient).text
    restrictions = _restrictions_of(html, "Équipe de démonstration — Châlons-en-Champagne")
    assert "Châlons-en-Champagne (51)" in restrictions
    assert not re.search(r"\b51\d{3}\b", restrictions)
