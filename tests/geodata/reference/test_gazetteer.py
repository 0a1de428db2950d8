"""The packaged gazetteer: lookups by code, postcode and name, as CSV validation uses them."""

from __future__ import annotations

import pytest

from geodata.reference.gazetteer import Gazetteer, get_gazetteer
from geodata.text import name_key, without_article


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def test_the_gazetteer_holds_every_current_commune_and_arrondissement(gazetteer: Gazetteer) -> None:
    kinds = {kind: 0 for kind in ("COM", "COMD", "COMA", "ARM")}
    for commune in gazetteer.communes():
        kinds[commune.kind] += 1
    assert kinds["COM"] > 34_000 and kinds["ARM"] == 45
    assert kinds["COMD"] > 2000 and kinds["COMA"] > 400
    assert len(gazetteer.departments()) == 101


def test_names_carry_their_article(gazetteer: Gazetteer) -> None:
    assert gazetteer.commune("43157").name == "Le Puy-en-Velay"  # type: ignore[union-attr]
    assert gazetteer.commune("01001").name == "L'Abergement-Clémenciat"  # type: ignore[union-attr]


def test_a_code_shared_with_a_delegated_commune_gives_the_current_one(
    gazetteer: Gazetteer,
) -> None:
    annecy = gazetteer.commune("74010")
    assert annecy is not None and annecy.kind == "COM" and annecy.parent is None


def test_current_of_a_delegated_commune_is_its_parent(gazetteer: Gazetteer) -> None:
    old = gazetteer.match_commune("Annecy-le-Vieux")
    assert old is not None and old.kind == "COMD"
    assert gazetteer.current(old).code == "74010"
    lyon3 = gazetteer.commune("69383")
    assert lyon3 is not None and gazetteer.current(lyon3) is lyon3 and lyon3.parent == "69123"


def test_cities_with_arrondissements_get_their_postcodes(gazetteer: Gazetteer) -> None:
    paris = gazetteer.commune("75056")
    assert paris is not None and "75015" in paris.postcodes and "75116" in paris.postcodes


def test_every_entry_is_located_in_france(gazetteer: Gazetteer) -> None:
    for commune in gazetteer.communes():
        assert -22 < commune.lat < 52 and -62 < commune.lon < 56, commune.code
        assert 0 < commune.radius_km < 100, commune.code  # Maripasoula (973): 76 km
        assert gazetteer.department(commune.department) is not None, commune.code
        assert gazetteer.region(commune.region) is not None, commune.code


def test_a_postcode_lists_arrondissements_before_their_city(gazetteer: Gazetteer) -> None:
    codes = [c.code for c in gazetteer.communes_by_postcode("75015")]
    assert codes == ["75115", "75056"]
    assert [c.code for c in gazetteer.communes_by_postcode("1000")][:1] == ["01053"]


@pytest.mark.parametrize(
    ("postcode", "department"),
    [
        ("67000", "67"),
        ("67091", "67"),
        ("20000", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
        ("97600", "976"),
        ("75015", "75"),
        ("98000", None),
        ("ABCDE", None),
    ],
)
def test_department_of_a_postcode_also_for_cedex_codes(
    gazetteer: Gazetteer, postcode: str, department: str | None
) -> None:
    assert gazetteer.department_of_postcode(postcode) == department


@pytest.mark.parametrize(
    ("name", "postcode", "expected"),
    [
        ("Strasbourg", "67000", "67482"),
        ("STRASBOURG", "67100", "67482"),
        ("strasbourg cedex", "67091", "67482"),
        ("St Etienne", "42000", "42218"),
        ("Sainte Foy les Lyon", "69110", "69202"),
        ("Villeneuve-lez-Avignon", "30400", "30351"),
        ("Havre", "76600", "76351"),
        ("Le Havre", None, "76351"),
        ("Valence", "82400", "82186"),
        ("Valence", "26000", "26362"),
        ("Annecy-le-Vieux", "74940", "74011"),
        ("Lyon 3e Arrondissement", "69003", "69383"),
        ("LYON 3EME", "69003", "69383"),
        ("Lyon", "69003", "69123"),
        ("Bourg en Bresse", "1000", "01053"),
    ],
)
def test_match_commune_accepts_the_town_as_a_network_writes_it(
    gazetteer: Gazetteer, name: str, postcode: str | None, expected: str
) -> None:
    found = gazetteer.match_commune(name, postcode)
    assert found is not None and found.code == expected


@pytest.mark.parametrize(
    ("name", "postcode"),
    [("Strasbrug", "67000"), ("Strasbourg", "69003"), ("Valence", "75001"), ("", None)],
)
def test_match_commune_refuses_typos_and_wrong_postcodes(
    gazetteer: Gazetteer, name: str, postcode: str | None
) -> None:
    assert gazetteer.match_commune(name, postcode) is None


def test_suggestions_propose_the_near_misses_best_first(gazetteer: Gazetteer) -> None:
    assert [c.code for c in gazetteer.suggest_communes("Strasbrug", "67000")][:1] == ["67482"]
    assert [c.code for c in gazetteer.suggest_communes("Montpelier")][:1] == ["34172"]
    assert gazetteer.suggest_communes("qsdfghjkl") == []
    assert len(gazetteer.suggest_communes("Saint Deni", limit=2)) == 2


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("67", True),
        ("2A", True),
        ("974", True),
        ("67482", True),
        ("69383", True),
        ("74011", False),  # a delegated commune is not a zone
        ("99999", False),
        ("20", False),
    ],
)
def test_zone_codes_are_departments_communes_or_arrondissements(
    gazetteer: Gazetteer, code: str, expected: bool
) -> None:
    assert gazetteer.is_zone_code(code) is expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("St Étienne", "saint etienne"),
        ("STE-FOY-LÈS-LYON", "sainte foy les lyon"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Lyon 3ème Arrondissement", "lyon 3"),
        ("Paris 1er", "paris 1"),
        ("Œuilly", "oeuilly"),
    ],
)
def test_name_keys_make_spelling_variants_equal(text: str, key: str) -> None:
    assert name_key(text) == key


def test_without_article_keeps_names_that_are_only_an_article() -> None:
    assert without_article("le havre") == "havre"
    assert without_article("les") == "les"
