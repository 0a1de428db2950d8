"""The printable sheet: the deadline, today's date, the cares and their fees, a second team."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient

LYON_3 = {"reseau": "onco-aura", "identifiant": "AURA-LYON3-01"}
ALL_CARES = ["activite_physique", "dietetique", "psychologie"]


def sheet(client: FlaskClient, **extra: object) -> str:
    response = client.post("/orienter/fiche", data={**LYON_3, "soins": ALL_CARES, **extra})
    assert response.status_code == 200
    return response.text


def test_the_sheet_carries_the_deadline_given_by_the_results_page(client: FlaskClient) -> None:
    html = sheet(client, echeance="2027-03-31")
    assert "Date limite de prescription : 31 mars 2027" in html


@pytest.mark.parametrize("echeance", ["", "31/03/2027", "2027-02-31", "demain"])
def test_a_sheet_without_a_valid_deadline_states_the_12_month_rule_instead(
    client: FlaskClient, echeance: str
) -> None:
    html = sheet(client, echeance=echeance)
    assert "Date limite de prescription" not in html
    assert "Dans les 12 mois après la fin de votre traitement" in html


def test_the_sheet_date_is_filled_in_with_today(client: FlaskClient) -> None:
    field = re.search(r'<input id="fiche-date"[^>]*>', sheet(client))
    assert field is not None
    assert f'value="{date.today():%d/%m/%Y}"' in field.group(0)


def test_the_sheet_lists_the_prescribed_cares_with_the_fees_that_fit(client: FlaskClient) -> None:
    html = sheet(client)
    for label in ("Bilan d&#39;activité physique adaptée", "Bilan et consultations diététiques"):
        assert label in html
    assert "45 € au plus" in html and "22,50 € au plus" in html
    assert "1 bilan et 6 consultations de suivi (180 €)" in html
    assert "3 bilans et 2 consultations de suivi (180 €)" in html


def test_the_sheet_may_carry_a_second_team(client: FlaskClient) -> None:
    html = sheet(client, seconde="neon:NEON-SCHIL-01")
    names = re.findall(r'<p class="sheet__team-name">([^<]*)</p>', html)
    assert names == [
        "Équipe de démonstration — Lyon 3e",
        "Équipe de démonstration — Schiltigheim (enfants)",
    ]
    assert "Autre équipe possible" in html and "schiltigheim@example.org" in html


@pytest.mark.parametrize("seconde", ["", "onco-aura:AURA-LYON3-01", "sans-separateur"])
def test_without_a_distinct_second_team_the_sheet_has_one_team(
    client: FlaskClient, seconde: str
) -> None:
    html = sheet(client, seconde=seconde)
    assert len(re.findall(r'class="sheet__team-name"', html)) == 1
    assert "L&#39;équipe qui vous accueille" in html


def test_an_unknown_second_team_is_a_french_not_found_page(client: FlaskClient) -> None:
    data = {**LYON_3, "soins": ALL_CARES, "seconde": "neon:NEON-NOPE"}
    response = client.post("/orienter/fiche", data=data)
    assert response.status_code == 404
    assert "n&#39;est pas (ou plus) dans l&#39;annuaire" in response.text


def test_printing_hides_the_focus_outline_and_fits_the_sheet_on_a4(client: FlaskClient) -> None:
    html = sheet(client)
    href = re.search(r'href="(/static/css/print\.[^"]+)"', html)
    assert href is not None
    css = client.get(href.group(1)).text
    assert "size: A4" in css
    assert re.search(r"\*:focus[^{]*\{[^}]*outline: none", css)
