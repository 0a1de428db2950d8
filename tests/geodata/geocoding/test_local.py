"""The local geocoder against the real packaged gazetteer."""

from __future__ import annotations

import csv
import random
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.config import Settings
from geodata.geocoding import make_geocoder
from geodata.geocoding.local import LocalGeocoder
from geodata.reference.gazetteer import Commune, Gazetteer, get_gazetteer
from geodata.text import name_key

QUERIES_FILE = Path(__file__).with_name("geocoder_queries.tsv")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


@pytest.fixture(scope="module")
def geocoder(gazetteer: Gazetteer) -> LocalGeocoder:
    return LocalGeocoder(gazetteer)


def first_code(geocoder: LocalGeocoder, query: str) -> str | None:
    results = geocoder.geocode(query)
    return results[0].citycode if results else None


def read_queries() -> list[tuple[str, str, str]]:
    with QUERIES_FILE.open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["query"], row["expected"], row["note"]) for row in rows]


def test_the_query_list_is_varied_enough() -> None:
    rows = read_queries()
    assert len(rows) >= 150
    assert sum(1 for _, expected, _ in rows if not expected) >= 10
    departments = {
        expected[:3] if expected.startswith("97") else expected[:2] for _, expected, _ in rows
    }
    assert {"971", "972", "973", "974", "976", "2A", "2B", "67", "69", "75"} <= departments


@pytest.mark.parametrize(("query", "expected", "note"), read_queries())
def test_every_listed_query_finds_its_commune_first(
    geocoder: LocalGeocoder, query: str, expected: str, note: str
) -> None:
    assert (first_code(geocoder, query) or "") == expected, note


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Saint-Étienne", "42218"),
        ("saint-étienne", "42218"),
        ("SAINT ETIENNE", "42218"),
        ("St Étienne", "42218"),
        ("St-Etienne", "42218"),
        ("Ste Maxime", "83115"),
        ("Villeneuve les Avignon", "30351"),
        ("Villeneuve-lez-Avignon", "30351"),
        ("Le Havre", "76351"),
        ("Havre", "76351"),
        ("l'isle adam", "95313"),
    ],
)
def test_spelling_variants_of_a_name_find_the_commune(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Strasbrug", "67482"), ("Montpelier", "34172"), ("Clermont Ferand", "63113")],
)
def test_a_typo_in_the_town_still_finds_it(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Stras", "67482"), ("Montp", "34172"), ("Toulo", "31555"), ("Bord", "33063")],
)
def test_a_prefix_proposes_the_biggest_town_first(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


def test_a_prefix_gives_several_candidates_for_autocomplete(geocoder: LocalGeocoder) -> None:
    results = geocoder.geocode("Saint-Ma", limit=5)
    assert len(results) == 5
    assert all(result.city.startswith("Saint-Ma") for result in results)
    assert results[0].city == "Saint-Maur-des-Fossés"  # the most populous


@pytest.mark.parametrize(
    ("query", "expected"),
    [("67000", "67482"), ("75015", "75115"), ("20000", "2A004"), ("97400", "97411")],
)
def test_a_postcode_alone_finds_its_commune(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("12 rue de la Paix 67000 Strasbourg", "67482"),
        ("3 avenue Jean Jaurès, 69007 Lyon", "69387"),
        ("12 rue de la Paix Strasbourg", "67482"),
        ("8 place de la Mairie Eu", "76255"),
        ("2 rue de l'Église 80120 Rue", "80688"),
        ("10 boulevard Saint-Germain Paris", "75056"),
    ],
)
def test_the_street_of_an_address_is_ignored(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("67091 Strasbourg Cedex", "67482"), ("69361 Lyon Cedex 07", "69123")],
)
def test_cedex_postcode_not_in_list_finds_the_commune(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("69003 Lyon", "69383"),
        ("Paris 15e", "75115"),
        ("75015 Paris", "75115"),
        ("Marseille 13008", "13208"),
        ("Lyon", "69123"),
    ],
)
def test_arrondissements_are_found_by_postcode_or_ordinal(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


def test_an_arrondissement_is_labelled_as_such_in_its_city(geocoder: LocalGeocoder) -> None:
    result = geocoder.geocode("69003 Lyon")[0]
    assert (result.label, result.city, result.postcode) == (
        "Lyon 3e Arrondissement",
        "Lyon",
        "69003",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Valence 26000", "26362"),
        ("Valence 82400", "82186"),
        ("Valence (82)", "82186"),
        ("Valence", "26362"),
    ],
)
def test_homonyms_are_told_apart_by_postcode_or_department(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Saint-Denis, La Réunion", "97411"),
        ("Saint Denis Reunion", "97411"),
        ("Angers, Maine-et-Loire", "49007"),
        ("Tours Indre-et-Loire", "37261"),
        ("Tours, Centre-Val de Loire", "37261"),
        ("Lyon 69", "69123"),
        ("Paris 75", "75056"),
    ],
)
def test_a_department_or_region_after_the_town_narrows_it_down(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    results = geocoder.geocode(query)
    assert results[0].citycode == expected and results[0].score == 1.0


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Villeneuve-sur-Lot", "47323"), ("12 rue de la Paix, Paris", "75056"), ("Indre", "44074")],
)
def test_a_town_named_like_a_department_is_still_the_town(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


@pytest.mark.parametrize(
    ("query", "expected", "homonym"),
    [
        ("Le Puy", "43157", "33345"),
        ("Aix", "13001", "19002"),
        ("Evry", "91228", "89162"),
        ("Charleville", "08105", "51129"),
    ],
)
def test_a_well_known_town_starting_with_the_query_comes_before_a_small_homonym(
    geocoder: LocalGeocoder, query: str, expected: str, homonym: str
) -> None:
    codes = [result.citycode for result in geocoder.geocode(query)]
    assert codes[0] == expected and homonym in codes[:3]


def test_a_former_commune_comes_after_current_communes(geocoder: LocalGeocoder) -> None:
    codes = [result.citycode for result in geocoder.geocode("Boulogne")]
    assert codes[:2] == ["92012", "62160"] and "85084" in codes


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Paris VIII", "75108"), ("Lyon IIIe", "69383"), ("Marseille XV", "13215")],
)
def test_roman_numeral_arrondissements_are_read(
    geocoder: LocalGeocoder, query: str, expected: str
) -> None:
    assert first_code(geocoder, query) == expected


def test_a_typo_of_a_name_without_its_article_is_one_edit_at_most(
    geocoder: LocalGeocoder,
) -> None:
    assert geocoder.geocode("Nouméa") == []  # not La Noue
    assert first_code(geocoder, "Sables d Olone") == "85194"


def test_homonyms_without_hint_come_most_populous_first(geocoder: LocalGeocoder) -> None:
    results = geocoder.geocode("Saint-Denis", limit=3)
    populations = [geocoder_population(result.citycode) for result in results]
    assert len(results) == 3 and populations == sorted(populations, reverse=True)


def geocoder_population(code: str) -> int:
    commune = get_gazetteer().commune(code)
    assert commune is not None
    return commune.population


def test_an_old_commune_name_gives_the_current_commune_at_its_own_place(
    geocoder: LocalGeocoder, gazetteer: Gazetteer
) -> None:
    result = geocoder.geocode("Annecy-le-Vieux")[0]
    old = gazetteer.by_name_key("annecy le vieux")[0]
    assert result.citycode == "74010" and result.city == "Annecy"
    assert "Annecy-le-Vieux" in result.label
    assert (result.lat, result.lon) == (old.lat, old.lon)


@pytest.mark.parametrize(
    "query",
    [
        "xyzzy",
        "qsdfghjkl",
        "12 rue de la Paix",
        "3 rue du Moulin",
        "",
        "   ",
        "x" * 10_000,
    ],
)
def test_nothing_found_is_an_empty_list_not_a_random_commune(
    geocoder: LocalGeocoder, query: str
) -> None:
    started = time.perf_counter()
    assert geocoder.geocode(query) == []
    # A guard against a pathological blow-up, not a speed measurement (that is `make bench`).
    assert time.perf_counter() - started < 0.5


def test_long_junk_is_answered_fast(geocoder: LocalGeocoder) -> None:
    junk = "".join(random.Random(4).choice("abcdefgh ijk,-'0123") for _ in range(10_000))
    started = time.perf_counter()
    assert geocoder.geocode(junk) == []
    # A guard against a pathological blow-up, not a speed measurement (that is `make bench`).
    assert time.perf_counter() - started < 0.5


def test_results_are_municipalities_with_scores_best_first(geocoder: LocalGeocoder) -> None:
    results = geocoder.geocode("Saint-Pierre", limit=5)
    assert len(results) == 5
    assert {result.type for result in results} == {"municipality"}
    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert all(result.department for result in results)
    assert len({result.citycode for result in results}) == 5


def test_the_limit_is_respected(geocoder: LocalGeocoder) -> None:
    assert len(geocoder.geocode("Saint", limit=2)) == 2
    assert geocoder.geocode("Paris", limit=0) == []


def test_settings_select_the_local_geocoder() -> None:
    geocoder = make_geocoder(Settings(geocoder="local"))
    assert isinstance(geocoder, LocalGeocoder) and geocoder.street_level is False


def _current_entries(gazetteer: Gazetteer) -> list[Commune]:
    return [c for c in gazetteer.communes() if c.kind in ("COM", "ARM")]


@pytest.mark.slow
def test_every_commune_is_found_by_its_own_name_and_with_its_postcode(
    geocoder: LocalGeocoder, gazetteer: Gazetteer
) -> None:
    entries = _current_entries(gazetteer)
    lost_by_name, lost_with_postcode = [], []
    for commune in entries:
        homonyms = len(gazetteer.by_name_key(name_key(commune.name)))
        found = geocoder.geocode(commune.name, limit=homonyms + 3)
        if commune.code not in {result.citycode for result in found}:
            lost_by_name.append(commune.code)
        for postcode in commune.postcodes[:1]:
            first = geocoder.geocode(f"{commune.name} {postcode}", limit=1)
            if not first or not _is_or_contains(gazetteer, commune, first[0].citycode):
                lost_with_postcode.append(commune.code)
    assert len(entries) > 34_000
    assert lost_by_name == [] and lost_with_postcode == []


def _is_or_contains(gazetteer: Gazetteer, commune: Commune, code: str) -> bool:
    """Paris 75001 is answered as Paris 1er Arrondissement, part of Paris: that is right."""
    found = gazetteer.commune(code)
    return code == commune.code or (found is not None and found.parent == commune.code)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_COMMUNES = [c for c in get_gazetteer().communes() if c.kind == "COM" and c.postcodes]


@st.composite
def spelled_communes(draw: st.DrawFn) -> tuple[Commune, str]:
    commune = draw(st.sampled_from(_COMMUNES))
    name = commune.name
    if draw(st.booleans()):
        name = _strip_accents(name)
    if draw(st.booleans()):
        name = name.replace("-", " ")
    if draw(st.booleans()):
        name = name.replace("Saint-", "St-").replace("Sainte-", "Ste-")
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    name = "".join(c.upper() if flip else c.lower() for c, flip in zip(name, flips, strict=True))
    return commune, name


@settings(max_examples=300, deadline=None)
@given(spelled_communes())
def test_case_accent_hyphen_and_saint_variations_still_find_the_commune(
    spelled: tuple[Commune, str],
) -> None:
    commune, spelling = spelled
    geocoder = _shared_geocoder()
    homonyms = len(get_gazetteer().by_name_key(name_key(commune.name)))
    by_name = geocoder.geocode(spelling, limit=homonyms + 3)
    assert commune.code in {result.citycode for result in by_name}
    with_postcode = geocoder.geocode(f"{spelling} {commune.postcodes[0]}", limit=1)
    assert with_postcode and with_postcode[0].citycode == commune.code


_GEOCODER: list[LocalGeocoder] = []


def _shared_geocoder() -> LocalGeocoder:
    if not _GEOCODER:
        _GEOCODER.append(LocalGeocoder(get_gazetteer()))
    return _GEOCODER[0]
