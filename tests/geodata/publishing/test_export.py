from __future__ import annotations

import csv
import io

from geodata.publishing.export import neutralise, to_csv, to_geojson
from tests.helpers import site

# The contract header as the README lists it, written out apart from the code that makes it.
CONTRACT_HEADER = (
    "identifiant;nom;structure_porteuse;adresse;code_postal;commune;latitude;longitude;"
    "telephone;courriel;site_web;cancers;publics;soins;zone;actif;precisions"
)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_export_has_the_contract_header_and_one_row_per_site() -> None:
    text = to_csv([site("A"), site("B", zone=("67", "68"), actif=False)])
    assert text.startswith("\ufeff"), "French Excel needs the BOM to read UTF-8"
    assert text.removeprefix("\ufeff").splitlines()[0] == CONTRACT_HEADER
    rows = _rows(text)
    assert [r["identifiant"] for r in rows] == ["A", "B"]
    assert rows[1]["zone"] == "67|68"
    assert rows[1]["actif"] == "non"
    assert rows[0]["soins"] == "activite_physique|dietetique"


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised() -> None:
    hostile = site("A", nom='=HYPERLINK("http://evil.example","clic")', precisions="+33 @x")
    row = _rows(to_csv([hostile]))[0]
    assert row["nom"].startswith("'=")
    assert row["precisions"] == "'+33 @x"


def test_negative_coordinates_are_numbers_not_neutralised_text() -> None:
    row = _rows(to_csv([site("A", latitude=47.2, longitude=-1.55)]))[0]
    assert row["longitude"] == "-1.55"


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert neutralise("Maison sport-santé") == "Maison sport-santé"
    assert neutralise("-40 % de fatigue") == "'-40 % de fatigue"


def test_geojson_export_places_each_site_at_its_location() -> None:
    collection = to_geojson([site("A")])
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.7455, 48.5839]}
    assert feature["properties"]["cancers"] == ["tous"]
    assert feature["properties"]["code_commune"] == "67482"
