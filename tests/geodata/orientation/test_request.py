"""Orientation requests: JSON checked as the OpenAPI document says, forms, every error at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from geodata.errors import FieldError, InvalidFields, InvalidValue
from geodata.orientation.request import OrientationQuery, form_to_json, parse_form, parse_query

VALID: dict[str, Any] = {
    "adresse": "67300 Schiltigheim",
    "cancer": "sein",
    "age": 54,
    "soins": ["psychologie"],
}
FORM: dict[str, Any] = {
    "adresse": "67300 Schiltigheim",
    "cancer": "sein",
    "age": "54",
    "soins": ["psychologie"],
    "fin_traitement": "",
}
TODAY = date(2026, 1, 15)


def query(**changes: Any) -> OrientationQuery:
    return parse_query(VALID | changes, today=TODAY)


def refused(data: dict[str, Any], form: bool = False) -> list[FieldError]:
    with pytest.raises(InvalidFields) as raised:
        (parse_form if form else parse_query)(data, TODAY)
    return raised.value.errors


def test_json_values_give_the_query_with_default_limit() -> None:
    assert query() == OrientationQuery("67300 Schiltigheim", "sein", 54, ("psychologie",), 5, None)


def test_cares_omitted_or_empty_ask_for_no_particular_care() -> None:
    omitted = {name: value for name, value in VALID.items() if name != "soins"}
    assert parse_query(omitted, TODAY).soins == ()
    assert query(soins=[]).soins == ()


def test_a_whole_number_written_with_a_decimal_point_is_an_integer_as_json_schema_says() -> None:
    found = query(age=71.0, limite=3.0)
    assert (found.age, found.limite) == (71, 3)
    assert isinstance(found.age, int)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age": "54"}, "age"),
        ({"limite": "5"}, "limite"),
        ({"soins": "dietetique"}, "soins"),
        ({"soins": None}, "soins"),
        ({"limite": None}, "limite"),
        ({"fin_traitement": ""}, "fin_traitement"),
        ({"fin_traitement": "2025-W01-1"}, "fin_traitement"),
        ({"age": True}, "age"),
        ({"age": 54.5}, "age"),
        ({"age": float("nan")}, "age"),
    ],
)
def test_json_values_of_another_type_than_documented_are_refused(
    changes: dict[str, Any], field: str
) -> None:
    assert [error.field for error in refused(VALID | changes)] == [field]


def test_repeated_cares_are_kept_once_in_order() -> None:
    assert query(soins=["dietetique", "psychologie", "dietetique"]).soins == (
        "dietetique",
        "psychologie",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"adresse": ""}, "adresse"),
        ({"adresse": "   "}, "adresse"),
        ({"adresse": 67000}, "adresse"),
        ({"adresse": "x" * 301}, "adresse"),
        ({"cancer": "tous"}, "cancer"),
        ({"cancer": "inconnu"}, "cancer"),
        ({"cancer": ["sein"]}, "cancer"),
        ({"age": -1}, "age"),
        ({"age": 121}, "age"),
        ({"age": "54 ans"}, "age"),
        ({"age": None}, "age"),
        ({"age": "٥٤"}, "age"),
        ({"soins": ["dietetique"] * 4}, "soins"),
        ({"soins": ["massage"]}, "soins"),
        ({"soins": [1]}, "soins"),
        ({"soins": {"dietetique": 1}}, "soins"),
        ({"limite": 0}, "limite"),
        ({"limite": 21}, "limite"),
        ({"fin_traitement": "31/03/2025"}, "fin_traitement"),
        ({"fin_traitement": "2025-02-30"}, "fin_traitement"),
        ({"fin_traitement": 20250331}, "fin_traitement"),
        ({"fin_traitement": "9999-12-31"}, "fin_traitement"),
        ({"fin_traitement": "0001-01-01"}, "fin_traitement"),
        ({"fin_traitement": "1899-12-31"}, "fin_traitement"),
    ],
)
def test_invalid_field_is_named_with_a_french_message(changes: dict[str, Any], field: str) -> None:
    errors = refused(VALID | changes)
    assert [error.field for error in errors] == [field]
    assert errors[0].message[0].isupper()


def test_every_bad_field_is_reported_at_once_in_the_request_order() -> None:
    data = {"adresse": " ", "cancer": "rate", "age": "54", "soins": "dietetique", "limite": 0}
    errors = refused(data | {"fin_traitement": "demain"})
    fields = ["adresse", "cancer", "age", "soins", "limite", "fin_traitement"]
    assert [error.field for error in errors] == fields


def test_invalid_fields_are_an_invalid_value_naming_the_first_field() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_query({"cancer": "sein", "age": 54}, TODAY)
    assert isinstance(raised.value, InvalidFields)
    assert raised.value.field == "adresse"
    assert raised.value.message == raised.value.errors[0].message


def test_messages_name_cares_and_cancers_by_their_labels_never_their_codes() -> None:
    soins, cancer = refused(VALID | {"soins": ["massage"], "cancer": "tous"})[::-1]
    assert "« Bilan d'activité physique adaptée »" in soins.message
    assert "activite_physique" not in soins.message
    assert "« Gynécologique »" in cancer.message and "« ORL »" in cancer.message
    assert "gynecologique" not in cancer.message and "tous" not in cancer.message


def test_end_of_treatment_is_accepted_from_1900_to_five_years_ahead() -> None:
    assert query(fin_traitement="1900-01-01").fin_traitement == date(1900, 1, 1)
    assert query(fin_traitement="2031-01-15").fin_traitement == date(2031, 1, 15)
    assert query(fin_traitement=None).fin_traitement is None
    (error,) = refused(VALID | {"fin_traitement": "2031-01-16"})
    assert error.field == "fin_traitement"
    assert "entre le 01/01/1900 et le 15/01/2031" in error.message


def test_missing_age_is_refused() -> None:
    data = {k: v for k, v in VALID.items() if k != "age"}
    (error,) = refused(data)
    assert error.field == "age" and "âge" in error.message


def test_invalid_address_message_does_not_repeat_it() -> None:
    (error,) = refused(VALID | {"adresse": "12 rue Secrète " * 30})
    assert "Secrète" not in error.message


def test_form_strings_become_the_json_values_they_stand_for() -> None:
    form = FORM | {"limite": " 3 ", "fin_traitement": "2025-06-30"}
    assert form_to_json(form) == VALID | {"limite": 3, "fin_traitement": "2025-06-30"}
    found = parse_form(form, TODAY)
    assert (found.age, found.limite, found.soins) == (54, 3, ("psychologie",))
    assert found.fin_traitement == date(2025, 6, 30)
    assert parse_form(FORM | {"soins": "dietetique"}, TODAY).soins == ("dietetique",)


def test_empty_form_fields_take_their_defaults() -> None:
    found = parse_form(FORM | {"limite": "", "fin_traitement": " "}, TODAY)
    assert (found.limite, found.fin_traitement) == (5, None)


@pytest.mark.parametrize("age", ["cinquante", "-3", "54.5", "٥٤", "", "99999"])
def test_a_form_age_that_is_not_a_whole_number_of_years_is_refused(age: str) -> None:
    assert [error.field for error in refused(FORM | {"age": age}, form=True)] == ["age"]


def test_a_prescription_on_the_form_lists_one_to_three_cares() -> None:
    (error,) = refused(FORM | {"soins": []}, form=True)
    assert error.field == "soins"
    assert error.message.startswith("Indiquez de 1 à 3 soins")
    assert "« Bilan et consultations diététiques »" in error.message


def test_every_bad_field_of_the_form_is_reported_at_once() -> None:
    form = {"adresse": "", "cancer": "", "age": "", "soins": [], "fin_traitement": "hier"}
    fields = [error.field for error in refused(form, form=True)]
    assert fields == ["adresse", "cancer", "age", "soins", "fin_traitement"]
