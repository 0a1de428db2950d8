"""Validating directory rows against the contract, with the real gazetteer and outlines."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.contract.records import Location
from geodata.contract.schema import load_schema
from geodata.contract.validation import Validation, validate_file
from geodata.errors import InvalidValue
from geodata.geocoding.precision import Precision
from geodata.normalize import clean_text, normalise_email, normalise_phone, normalise_url
from geodata.problems import Severity
from geodata.reference.gazetteer import Gazetteer, get_gazetteer

DATA = Path(__file__).parents[2] / "data"
HEADER = (
    "identifiant;nom;adresse;code_postal;commune;latitude;longitude;telephone;courriel;"
    "site_web;cancers;publics;soins;zone;actif;precisions"
)
BASE = {
    "identifiant": "GE-COLM-01",
    "nom": "Espace santé Colmar",
    "adresse": "5 place de la Cathédrale",
    "code_postal": "68000",
    "commune": "Colmar",
    "cancers": "tous",
    "publics": "adultes",
    "soins": "dietetique",
}


def manifest() -> list[tuple[str, str]]:
    lines = (DATA / "broken" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return [(name, fragment) for name, fragment in (line.split("\t") for line in lines[1:])]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def validate(gazetteer: Gazetteer, *rows: dict[str, str]) -> Validation:
    lines = [HEADER]
    for changes in rows:
        cells = {**BASE, **changes}
        lines.append(";".join(cells.get(name, "") for name in HEADER.split(";")))
    return validate_file("\r\n".join(lines).encode("utf-8"), gazetteer)


def one_error(validation: Validation) -> str:
    assert len(validation.errors) == 1, validation.problems
    return validation.errors[0].message


@pytest.mark.parametrize(("name", "fragment"), manifest())
def test_every_broken_file_is_rejected_with_its_message(
    gazetteer: Gazetteer, name: str, fragment: str
) -> None:
    validation = validate_file((DATA / "broken" / name).read_bytes(), gazetteer)
    assert not validation.ok
    assert any(fragment in problem.message for problem in validation.errors), validation.errors


@pytest.mark.parametrize("path", sorted((DATA / "good").glob("*.csv")), ids=lambda p: p.name)
def test_every_good_file_is_valid_without_warning(gazetteer: Gazetteer, path: Path) -> None:
    validation = validate_file(path.read_bytes(), gazetteer)
    assert validation.problems == ()
    assert validation.rows and all(row.commune.name for row in validation.rows)


def test_good_file_rows_are_fully_normalised(gazetteer: Gazetteer) -> None:
    validation = validate_file((DATA / "good" / "comma_utf8_bom.csv").read_bytes(), gazetteer)
    strasbourg, colmar = (row.record for row in validation.rows)
    assert strasbourg.site_web == "https://www.exemple.fr"
    assert strasbourg.soins == ("activite_physique", "dietetique", "psychologie")
    assert strasbourg.location == Location(48.5839, 7.7455, "67482", "67", Precision.GIVEN, 1.0)
    assert colmar.nom == 'Espace santé "Colmar"'
    assert colmar.cancers == ("sein", "digestif")
    assert colmar.precisions == "Lundi : 9h-12h\nMardi : 14h-18h"
    assert colmar.telephone == "03 89 00 00 00"
    assert (colmar.latitude, colmar.location) == (None, None)


def test_every_problem_of_a_file_is_reported_in_line_order(gazetteer: Gazetteer) -> None:
    validation = validate(
        gazetteer,
        {"soins": "massage"},
        {"identifiant": "GE-2", "commune": "Strasbrug", "code_postal": "67000"},
        {"identifiant": "GE-3", "telephone": "12", "courriel": "x@"},
    )
    assert [(p.line, p.column) for p in validation.errors] == [
        (2, "soins"),
        (3, "commune"),
        (4, "telephone"),
        (4, "courriel"),
    ]
    assert validation.rows == ()


def test_duplicate_ids_are_compared_without_case(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {}, {"identifiant": "ge-colm-01"})
    assert one_error(validation).startswith("Identifiant déjà utilisé ligne 2")
    assert [row.line for row in validation.rows] == [2]


def test_ids_that_differ_only_by_an_invisible_character_are_duplicates(
    gazetteer: Gazetteer,
) -> None:
    validation = validate(gazetteer, {}, {"identifiant": "GE-COLM-01\u200b"})
    assert one_error(validation).startswith("Identifiant déjà utilisé ligne 2")
    assert [row.line for row in validation.rows] == [2]


def test_duplicate_id_is_reported_even_when_its_row_has_other_errors(
    gazetteer: Gazetteer,
) -> None:
    validation = validate(gazetteer, {}, {"identifiant": " ge-colm-01 ", "soins": "massage"})
    assert {p.column for p in validation.errors} == {"identifiant", "soins"}


def test_web_address_too_long_once_its_scheme_is_added_is_refused(gazetteer: Gazetteer) -> None:
    url = "www.exemple.fr/" + "a" * 480
    assert len(url) == 495
    validation = validate(gazetteer, {"site_web": url})
    assert one_error(validation).startswith("Texte trop long (503 caractères, au plus 500)")
    assert validation.errors[0].column == "site_web"


def test_every_normalised_value_of_a_good_file_fits_its_length_limit(
    gazetteer: Gazetteer,
) -> None:
    limits = {f.name: f.max_length for f in load_schema().fields if f.max_length is not None}
    validation = validate(gazetteer, {"site_web": "www.exemple.fr/" + "a" * 477})
    record = validation.rows[0].record
    for name, limit in limits.items():
        assert len(getattr(record, name) or "") <= limit, name


def test_four_digit_postcode_gets_its_zero_back_with_a_warning(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"code_postal": "1000", "commune": "Bourg-en-Bresse"})
    assert validation.ok and validation.warnings[0].column == "code_postal"
    assert validation.rows[0].record.code_postal == "01000"
    assert validation.rows[0].commune.code == "01053"


@pytest.mark.parametrize("written", ["1000", "1000.0", "01 000", " 01000 "])
def test_gazetteer_reads_postcodes_like_the_validation_does(
    gazetteer: Gazetteer, written: str
) -> None:
    communes = gazetteer.communes_by_postcode(written)
    assert "Bourg-en-Bresse" in [c.name for c in communes]
    assert communes == gazetteer.communes_by_postcode("01000")
    assert gazetteer.department_of_postcode(written) == "01"


def test_cedex_postcode_and_cedex_town_find_the_commune(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"code_postal": "68027", "commune": "COLMAR CEDEX"})
    assert validation.ok, validation.problems
    assert validation.rows[0].record.commune == "Colmar"


def test_postcode_of_another_commune_says_which_communes_it_belongs_to(
    gazetteer: Gazetteer,
) -> None:
    message = one_error(validate(gazetteer, {"commune": "Strasbourg"}))
    assert "n'a pas le code postal 68000 (il correspond à « Colmar »)" in message


def test_tous_mixed_with_cancers_keeps_tous_with_a_warning(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"cancers": "Sein | TOUS"})
    assert validation.ok and validation.warnings[0].column == "cancers"
    assert validation.rows[0].record.cancers == ("tous",)


def test_list_items_accept_labels_aliases_accents_and_several_separators(
    gazetteer: Gazetteer,
) -> None:
    validation = validate(
        gazetteer, {"soins": "Activité physique, Psychologie/psy", "publics": "AJA|Adulte"}
    )
    record = validation.rows[0].record
    assert record.soins == ("activite_physique", "psychologie")
    assert record.publics == ("aja", "adultes")


def test_unknown_item_suggests_the_close_code_and_lists_the_allowed_ones(
    gazetteer: Gazetteer,
) -> None:
    message = one_error(validate(gazetteer, {"cancers": "digestiv"}))
    assert "« digestif » au lieu de « digestiv » ?" in message
    assert "tous, sein, digestif" in message


def test_zone_codes_are_checked_and_dropped_zeros_restored(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"zone": "68|2a|1|67482"})
    assert validation.rows[0].record.zone == ("68", "2A", "01", "67482")
    assert [p.severity for p in validation.problems] == [Severity.WARNING]


def test_actif_reads_the_schema_boolean_values(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"actif": "NON"}, {"identifiant": "GE-2", "actif": ""})
    assert [row.record.actif for row in validation.rows] == [False, True]


def test_coordinates_near_the_commune_become_its_location(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"latitude": "48,0794", "longitude": "7,3585"})
    record = validation.rows[0].record
    assert (record.latitude, record.longitude) == (48.0794, 7.3585)
    assert record.location == Location(48.0794, 7.3585, "68066", "68", Precision.GIVEN, 1.0)


def test_coordinates_out_of_range_are_an_error(gazetteer: Gazetteer) -> None:
    message = one_error(validate(gazetteer, {"latitude": "148.0", "longitude": "7.35"}))
    assert "entre -90 et 90" in message


def test_markup_is_kept_as_text_for_the_web_layer_to_escape(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"precisions": "<script>alert(1)</script> & <b>x</b>"})
    assert validation.rows[0].record.precisions == "<script>alert(1)</script> & <b>x</b>"


def test_escaped_formula_prefix_round_trips_from_an_export(gazetteer: Gazetteer) -> None:
    validation = validate(gazetteer, {"precisions": "'- sur rendez-vous", "nom": "'@Colmar"})
    record = validation.rows[0].record
    assert (record.precisions, record.nom) == ("- sur rendez-vous", "@Colmar")


def test_formula_looking_cell_is_kept_as_text_with_a_warning(gazetteer: Gazetteer) -> None:
    hostile = '=HYPERLINK("http://exemple.invalid","clic")'
    validation = validate(
        gazetteer, {"nom": hostile}, {"identifiant": "GE-2", "nom": "'" + hostile}
    )
    assert [row.record.nom for row in validation.rows] == [hostile, hostile]
    assert [(p.line, p.severity) for p in validation.problems] == [
        (2, Severity.WARNING),
        (3, Severity.WARNING),
    ]


def test_control_characters_are_removed_and_named() -> None:
    text, warning = clean_text("nom", "Espace\x07 santé\u202e\tColmar")
    assert text == "Espace santé Colmar"
    assert warning is not None and "U+0007, U+202E" in warning


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03.88.12.34.56", "03 88 12 34 56"),
        ("+33 (0)3 88 12 34 56", "03 88 12 34 56"),
        ("0033 388123456", "03 88 12 34 56"),
        ("+262 262 12 34 56", "02 62 12 34 56"),
        ("+590 690-12-34-56", "06 90 12 34 56"),
        ("+687 12 34 56", "+687 12 34 56"),
        ("+41 22 123 45 67", "+41221234567"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == (expected, None)


def test_phone_without_its_leading_zero_is_restored_with_a_warning() -> None:
    value, warning = normalise_phone("388123456")
    assert value == "03 88 12 34 56" and warning is not None


@pytest.mark.parametrize("raw", ["03 88 12 34", "03 88 12 34 56 ou 06 12 34 56 78", "+33 3 88"])
def test_invalid_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_phone(raw)


# 255 characters, each part within its own limit: longer than any address SMTP carries.
LONG_EMAIL = "contacts@" + ".".join(["d" * 60] * 4) + ".fr"


def test_email_domain_is_lower_cased_and_mailto_dropped() -> None:
    assert normalise_email("mailto:Contact.APA@Hopital-Colmar.FR") == (
        "Contact.APA@hopital-colmar.fr",
        None,
    )


@pytest.mark.parametrize(
    "raw", ["contact", "a@b", "a b@c.fr", "a@b.fr;c@d.fr", "a@-b.fr", LONG_EMAIL]
)
def test_implausible_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www.Exemple.fr/Page", "https://www.exemple.fr/Page"),
        ("HTTP://exemple.fr", "http://exemple.fr"),
        ("exemple.fr:8443/a?b=1", "https://exemple.fr:8443/a?b=1"),
    ],
)
def test_web_addresses_get_a_scheme(raw: str, expected: str) -> None:
    assert normalise_url(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://exemple.fr",
        "https://ars.fr@exemple.invalid",
        "https://exemple",
        "https://exemple.fr/a b",
    ],
)
def test_unsafe_or_broken_web_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_url(raw)
