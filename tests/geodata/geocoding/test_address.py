"""The structure of an address line: where a town may be written, and where it may not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geodata.geocoding import needs_town
from geodata.geocoding.local import DESPITE_POSTCODE_SCORE, LocalGeocoder
from geodata.geocoding.query import Part, parse_query
from geodata.reference.gazetteer import get_gazetteer

QUERIES_FILE = Path(__file__).with_name("geocoder_queries.tsv")
# Each kind of address the geocoder used to get wrong, and how many queries must show it.
CLASSES = {
    "no town": 15,
    "beats the town in the street": 2,
    "postcode without town": 5,
    "the town is kept": 5,
    "renamed commune": 2,
    "lieu-dit": 3,
    "box": 3,
    "end of a street line": 2,
}


@pytest.fixture(scope="module")
def geocoder() -> LocalGeocoder:
    return LocalGeocoder(get_gazetteer())


def test_every_class_of_address_is_in_the_query_list() -> None:
    with QUERIES_FILE.open(encoding="utf-8", newline="") as stream:
        notes = [row["note"] for row in csv.DictReader(stream, delimiter="\t")]
    for words, needed in CLASSES.items():
        assert sum(words in note for note in notes) >= needed, words


@pytest.mark.parametrize(
    "query",
    [
        "Résidence Les Lilas, 4 rue Victor Hugo",
        "Clinique Y, 2 rue de Metz",
        "Centre X 3 avenue de Paris",
        "Les Lilas, 4 rue Victor Hugo",
        "4 rue Victor Hugo",
        "1 Grande Rue",
    ],
)
def test_a_street_line_without_town_is_not_found_and_asks_for_the_commune(
    geocoder: LocalGeocoder, query: str
) -> None:
    assert geocoder.geocode(query) == []
    assert needs_town(query)


@pytest.mark.parametrize(
    "query", ["Nancy", "54000", "xyzzy", "", "12 rue de la Paix 67000", "Bron, Lyon"]
)
def test_a_place_name_or_a_postcode_does_not_ask_for_the_commune(query: str) -> None:
    assert not needs_town(query)


def test_the_town_after_the_postcode_is_the_only_town_read(geocoder: LocalGeocoder) -> None:
    parsed = parse_query("3 route de Lefaux 62630 Frencq")
    assert parsed is not None and parsed.text == "frencq"
    assert [span.part for span in parsed.spans] == [Part.TOWN]
    assert [r.city for r in geocoder.geocode("3 route de Lefaux 62630 Frencq")] == ["Frencq"]


def test_a_residence_line_before_the_street_is_never_the_town() -> None:
    parsed = parse_query("Les Lilas, 4 rue Victor Hugo, 57000 Metz")
    assert parsed is not None and parsed.text == "metz" and parsed.street


def test_a_street_and_a_postcode_give_the_postcodes_communes_biggest_first(
    geocoder: LocalGeocoder,
) -> None:
    found = geocoder.geocode("6 rue des Lilas 14270", limit=10)
    assert len(found) > 1 and all(r.postcode == "14270" for r in found)
    communes = get_gazetteer().communes_by_postcode("14270")
    population = {c.code: c.population for c in communes}
    sizes = [population[r.citycode] for r in found]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize(
    ("query", "city", "postcode"),
    [("75013 Lyon", "Lyon", "75013"), ("4 rue Victor Hugo 69000 Bordeaux", "Bordeaux", "69000")],
)
def test_a_postcode_that_contradicts_the_town_keeps_the_town_and_says_so(
    geocoder: LocalGeocoder, query: str, city: str, postcode: str
) -> None:
    best = geocoder.geocode(query)[0]
    assert best.city == city and best.score <= DESPITE_POSTCODE_SCORE
    assert postcode in best.note and city in best.note
    assert best.postcode != postcode


def test_a_town_that_fits_its_postcode_carries_no_note(geocoder: LocalGeocoder) -> None:
    best = geocoder.geocode("4 rue Victor Hugo 33000 Bordeaux")[0]
    assert best.city == "Bordeaux" and best.note == "" and best.score == 1.0


def test_a_post_office_box_number_is_not_read_as_a_postcode() -> None:
    parsed = parse_query("CS 30519, 35205 Rennes Cedex 2")
    assert parsed is not None and parsed.postcode == "35205" and parsed.text == "rennes"


def test_a_country_ending_the_address_is_dropped() -> None:
    parsed = parse_query("12 rue de la Paix, 67000 Strasbourg, France")
    assert parsed is not None and parsed.text == "strasbourg"
