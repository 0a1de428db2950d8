"""The physician page `/orienter` and the orientation sheet, through Flask's test client."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.webapp.orientation.pages import (
    ADULT_IN_LYON_7,
    CHILD_IN_STRASBOURG,
    forms_of,
    team_names,
)
from webapp.maps import outlines_near, render_map
from webapp.orientation.map import TeamPin, orientation_map


def test_a_child_is_sent_to_the_childrens_team_and_told_why_the_closer_adult_team_is_not(
    client: FlaskClient,
) -> None:
    response = client.post("/orienter", data=CHILD_IN_STRASBOURG)
    assert response.status_code == 200
    html = response.text
    assert team_names(html)[0] == "Équipe de démonstration — Schiltigheim (enfants)"
    closer = html.split('class="left-out__list"')[1].split("</ul>")[0]
    assert "Équipe de démonstration — Strasbourg" in closer
    assert "Réservé aux adultes (18 ans et plus)" in closer
    assert "localisé à la commune" in html


def test_teams_are_listed_nearest_first_with_distance_contacts_and_cares(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data=ADULT_IN_LYON_7).text
    names = team_names(html)
    assert names[0] == "Équipe de démonstration — Lyon 3e"
    distances = [float(d.replace(",", ".")) for d in re.findall(r"distance\">([\d,]+) km", html)]
    assert distances == sorted(distances) and len(distances) == len(names) >= 2
    assert 'href="tel:' in html and 'href="mailto:' in html
    assert "Ne propose pas : bilan et consultations psychologiques" in html
    # Numbered team markers on the map, one per team of the list.
    pins = re.findall(r'orientation-pin\\" aria-hidden=\\"true\\"\\u003e(\d+)', html)
    assert pins == [str(n) for n in range(1, len(names) + 1)]


def test_results_are_never_cached(client: FlaskClient) -> None:
    response = client.post("/orienter", data=ADULT_IN_LYON_7)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_fee_rules_show_what_fits_in_180_euros_for_the_chosen_cares(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data=ADULT_IN_LYON_7).text
    fees = html.split('class="fees__table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\d+)</td>", fees)
    assert rows == [("1", "6"), ("2", "4")]
    assert "Le patient ne paie rien" in html


def test_a_past_end_of_treatment_shows_the_twelve_month_warning(client: FlaskClient) -> None:
    late = {**ADULT_IN_LYON_7, "fin_traitement": "2020-01-15"}
    html = client.post("/orienter", data=late).text
    assert 'class="warning" role="alert">Le délai de prescription est dépassé' in html
    in_time = client.post("/orienter", data=ADULT_IN_LYON_7).text
    assert 'class="warning"' not in in_time


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"age": "-3"}, "age", "Indiquez l&#39;âge du patient"),
        ({"age": "cinquante"}, "age", "Indiquez l&#39;âge du patient"),
        ({"soins": []}, "soins", "Indiquez de 1 à 3 soins"),
        ({"cancer": "tous"}, "cancer", "Choisissez le type de cancer du patient parmi"),
        ({"fin_traitement": "31 mars 2026"}, "fin_traitement", "format JJ/MM/AAAA"),
        ({"fin_traitement": "31/02/2026"}, "fin_traitement", "format JJ/MM/AAAA"),
        ({"fin_traitement": "31/12/9999"}, "fin_traitement", "entre le 01/01/1900"),
        ({"adresse": "Zzyxwvqq Kkjjh"}, "adresse", ""),
    ],
)
def test_a_wrong_field_brings_the_form_back_with_the_message_beside_it_and_the_values_kept(
    client: FlaskClient, change: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/orienter", data={**ADULT_IN_LYON_7, **change})
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    error = re.search(rf'<p class="field-error" id="{field}-erreur">(.*?)</p>', html, re.S)
    assert error is not None and message in error.group(1)
    assert f'aria-describedby="{field}-erreur' in html
    assert 'aria-invalid="true"' in html
    assert 'class="error-summary"' in html and "data-focus-on-load" in html
    assert f'value="{change.get("adresse", "69007 Lyon")}"' in html
    assert "team__name" not in html


def test_every_wrong_field_is_listed_at_the_top_and_shown_beside_its_field(
    client: FlaskClient,
) -> None:
    wrong = {"adresse": "", "cancer": "tous", "age": "cinquante", "fin_traitement": "hier"}
    response = client.post("/orienter", data={**ADULT_IN_LYON_7, **wrong, "soins": []})
    assert response.status_code == 400
    html = response.text
    summary = html.split('class="error-summary"')[1].split("</ul>")[0]
    links = re.findall(r'<li><a href="#([^"]+)">', summary)
    assert links == ["adresse", "cancer", "age", "soin-activite_physique", "fin_traitement"]
    assert "« Bilan d&#39;activité physique adaptée »" in summary
    assert "activite_physique</a>" not in summary
    for field in ("adresse", "cancer", "age", "soins", "fin_traitement"):
        assert f'id="{field}-erreur"' in html


def test_a_far_nearest_team_is_said_at_the_top_with_the_network_to_contact(
    client: FlaskClient,
) -> None:
    child_in_reims = {**CHILD_IN_STRASBOURG, "adresse": "51100 Reims", "soins": ["psychologie"]}
    html = client.post("/orienter", data=child_in_reims).text
    top = html.split("<h1>")[1].split('class="understood"')[0]
    warning = re.search(r'<p class="warning" role="alert">(.*?)</p>', top, re.S)
    assert warning is not None
    assert "au-delà de 50 km : contactez le réseau régional NEON (Grand Est)" in warning.group(1)
    assert team_names(html)[0] == "Équipe de démonstration — Schiltigheim (enfants)"


def test_the_form_is_posted_and_a_query_string_orients_nobody(client: FlaskClient) -> None:
    page = client.get("/orienter?adresse=Strasbourg&cancer=sein&age=8&soins=dietetique")
    assert page.status_code == 200
    assert "team__name" not in page.text
    form = forms_of(page.text).forms[0]
    assert form["action"] == "/orienter"
    assert re.search(r'<form class="orientation-form" method="post"', page.text)


def test_each_sheet_button_posts_only_the_team_the_cares_and_the_second_choice(
    client: FlaskClient,
) -> None:
    html = client.post("/orienter", data=CHILD_IN_STRASBOURG).text
    sheets = [f for f in forms_of(html).forms if f["action"] == "/orienter/fiche"]
    assert len(sheets) == len(team_names(html)) >= 2
    for form in sheets:
        assert {name for name, _ in form["fields"]} == {"reseau", "identifiant", "soins", "seconde"}
    assert sheets[0]["fields"][:3] == [
        ("reseau", "neon"),
        ("identifiant", "NEON-SCHIL-01"),
        ("soins", "activite_physique"),
    ]


def test_the_sheet_shows_the_team_and_the_rules_and_submits_nothing(client: FlaskClient) -> None:
    data = {"reseau": "onco-aura", "identifiant": "AURA-LYON3-01", "soins": ["psychologie"]}
    response = client.post("/orienter/fiche", data=data)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert "Équipe de démonstration — Lyon 3e" in html
    assert "Bilan et consultations psychologiques" in html
    assert "Bilan d&#39;activité physique adaptée" not in html
    assert "12 mois" in html and "rien à payer" in html
    assert "css/print." in html and "data-print" in html  # print.<content hash>.css
    parsed = forms_of(html)
    # The fields the physician fills by hand have no name and no form: never submitted.
    assert parsed.named_outside == []
    assert [f for f in parsed.forms if f["action"] != "/orienter"] == []
    assert 'id="fiche-patient"' in html


def test_an_unknown_team_has_a_french_not_found_page(client: FlaskClient) -> None:
    for data in (
        {"reseau": "neon", "identifiant": "NEON-NOPE", "soins": ["psychologie"]},
        {"reseau": "inconnu", "identifiant": "NEON-STRAS-01", "soins": ["psychologie"]},
        {"soins": ["psychologie"]},
    ):
        response = client.post("/orienter/fiche", data=data)
        assert response.status_code == 404
        assert "n&#39;est pas (ou plus) dans l&#39;annuaire" in response.text


def test_the_sheet_is_posted_only(client: FlaskClient) -> None:
    response = client.get("/orienter/fiche?reseau=neon&identifiant=NEON-STRAS-01")
    assert response.status_code == 405


def _tooltips(script: str) -> list[str]:
    """Return the decoded text of every tooltip a rendered map binds."""
    literals = re.findall(r'bindTooltip\(("(?:[^"\\]|\\.)*")', script)
    return [json.loads(literal) for literal in literals]


def test_map_tooltips_show_team_names_as_text() -> None:
    pin = TeamPin(1, "<img src=x onerror=alert(1)>", 45.76, 4.85, 1.3)
    script = render_map(orientation_map(None, (45.75, 4.84), "Lyon <b>", [pin])).script
    assert "<img src=x" not in script
    assert _tooltips(script) == [
        "Patient : Lyon &lt;b&gt;",
        "1. &lt;img src=x onerror=alert(1)&gt;",
    ]


def test_map_tooltips_cannot_break_out_of_their_script_string() -> None:
    pin = TeamPin(2, "Équipe `${alert(1)}` \\u </script>", 45.76, 4.85, 1.3)
    script = render_map(orientation_map(None, (45.75, 4.84), "Lyon", [pin])).script
    assert "</script>" not in script.lower()
    assert _tooltips(script)[1] == "2. Équipe `${alert(1)}` \\u &lt;/script&gt;"


def test_the_map_outlines_only_the_departments_around_the_points() -> None:
    codes = {f["properties"]["code"] for f in outlines_near([(45.75, 4.84)])["features"]}
    assert "69" in codes and "75" not in codes and len(codes) < 8
