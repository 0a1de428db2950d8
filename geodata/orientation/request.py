"""An orientation request as its users send it, checked field by field, every error at once.

Two doors lead here. The JSON API (`parse_query`) accepts exactly what its OpenAPI document
says: JSON types, no strings standing for numbers; `soins` may be omitted or empty (no
constraint on cares). The physician's form (`parse_form`) sends strings: they are turned into
those JSON values, then checked by the same rules, and a prescription must list 1 to 3 cares.

Messages are French and use the labels users see ("Bilan d'activité physique adaptée"), never
the codes; none repeats the address, which is health-related.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from geodata.contract.schema import load_schema
from geodata.errors import FieldError, InvalidFields, InvalidValue
from geodata.orientation.eligibility import ALL_CANCERS

MAX_AGE = 120
MAX_SOINS = 3  # a prescription lists 1, 2 or 3 of the cares
MAX_LIMIT = 20
DEFAULT_LIMIT = 5
MAX_ADDRESS_LENGTH = 300
# An end of treatment outside these bounds is a typing error; the bounds also keep the
# 12-month deadline inside the calendar (year 9999 would overflow it).
EARLIEST_END = date(1900, 1, 1)
MAX_YEARS_AHEAD = 5
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DIGITS = re.compile(r"\d+", re.ASCII)
_MISSING = object()  # a field absent from the body, unlike a field set to null

Check = Callable[[], Any]


@dataclass(frozen=True)
class OrientationQuery:
    """What a physician asks: where the patient lives, their cancer, age and cares."""

    adresse: str
    cancer: str  # a cancers code other than "tous"
    age: int  # 0..120
    soins: tuple[str, ...]  # 0 to 3 distinct soins codes; () asks for no particular care
    limite: int = DEFAULT_LIMIT  # 1..20
    fin_traitement: date | None = None


def _invalid(message: str, field: str) -> InvalidValue:
    return InvalidValue(message, field=field, value="")


def _labels(vocabulary: str, codes: list[str] | None = None) -> str:
    """Return "« Label », « Label »" for the codes of a vocabulary (all of them by default)."""
    words = load_schema().vocabulary(vocabulary)
    shown = [words[code] for code in (codes if codes is not None else list(words))]
    return ", ".join(f"« {word[:1].upper()}{word[1:]} »" for word in shown)


def _cancer_codes() -> list[str]:
    return [code for code in load_schema().vocabulary("cancers") if code != ALL_CANCERS]


def _address(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid("Indiquez l'adresse du patient (au moins la commune).", "adresse")
    if len(value) > MAX_ADDRESS_LENGTH:
        message = f"L'adresse est trop longue (au plus {MAX_ADDRESS_LENGTH} caractères)."
        raise _invalid(message, "adresse")
    return value.strip()


def _cancer(value: object) -> str:
    codes = _cancer_codes()
    if isinstance(value, str) and value in codes:
        return value
    message = f"Choisissez le type de cancer du patient parmi : {_labels('cancers', codes)}."
    raise _invalid(message, "cancer")


def _integer(value: object) -> int | None:
    """Return `value` if it is a JSON Schema integer (54 or 54.0, never true or "54")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _bounded(value: object, field: str, low: int, high: int, message: str) -> int:
    number = _integer(value)
    if number is None or not low <= number <= high:
        raise _invalid(message, field)
    return number


def _age(value: object) -> int:
    message = f"Indiquez l'âge du patient en années : un nombre entier de 0 à {MAX_AGE}."
    return _bounded(value, "age", 0, MAX_AGE, message)


def _limit(value: object) -> int:
    message = f"Le nombre de résultats (limite) doit être un nombre entier de 1 à {MAX_LIMIT}."
    return _bounded(value, "limite", 1, MAX_LIMIT, message)


def _soins(value: object) -> tuple[str, ...]:
    """Return the distinct cares of a JSON list of at most 3 codes; [] asks for none."""
    vocabulary = load_schema().vocabulary("soins")
    choices = _labels("soins")
    if not isinstance(value, list) or len(value) > MAX_SOINS:
        message = f"Indiquez au plus {MAX_SOINS} soins à prescrire, parmi : {choices}."
        raise _invalid(message, "soins")
    if not all(isinstance(item, str) and item in vocabulary for item in value):
        raise _invalid(f"Soin inconnu : les soins possibles sont {choices}.", "soins")
    return tuple(dict.fromkeys(value))


def _prescribed_soins(value: object) -> tuple[str, ...]:
    """Return the cares of a prescription: like `_soins`, but 1 to 3 of them."""
    if isinstance(value, list) and not value:
        message = f"Indiquez de 1 à {MAX_SOINS} soins à prescrire, parmi : {_labels('soins')}."
        raise _invalid(message, "soins")
    return _soins(value)


def _end_date(value: object, today: date) -> date | None:
    if value is None:
        return None
    day = _iso_date(value)
    if day is None:
        raise _invalid(
            "Date de fin de traitement invalide : utilisez le format AAAA-MM-JJ (ex. 2026-03-31).",
            "fin_traitement",
        )
    latest = _years_after(today, MAX_YEARS_AHEAD)
    if not EARLIEST_END <= day <= latest:
        raise _invalid(
            "La date de fin de traitement doit être comprise entre le "
            f"{EARLIEST_END:%d/%m/%Y} et le {latest:%d/%m/%Y}.",
            "fin_traitement",
        )
    return day


def _iso_date(value: object) -> date | None:
    """Return `value` as a date if it is exactly AAAA-MM-JJ (a JSON Schema date), else None."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _years_after(day: date, years: int) -> date:
    # 29 February has no match in most years: the 28th is the closest day before.
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _checked(checks: Mapping[str, Check]) -> OrientationQuery:
    """Run every check; return the query, or raise InvalidFields naming every bad field."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, check in checks.items():
        try:
            values[name] = check()
        except InvalidValue as error:
            errors.append(FieldError(error.field, error.message))
    if errors:
        raise InvalidFields(errors)
    return OrientationQuery(**values)


def _json_checks(data: Mapping[str, Any], today: date) -> dict[str, Check]:
    def optional(name: str, check: Callable[[Any], Any], default: Any) -> Check:
        value = data.get(name, _MISSING)
        return (lambda: default) if value is _MISSING else (lambda: check(value))

    return {
        "adresse": lambda: _address(data.get("adresse")),
        "cancer": lambda: _cancer(data.get("cancer")),
        "age": lambda: _age(data.get("age")),
        "soins": optional("soins", _soins, ()),
        "limite": optional("limite", _limit, DEFAULT_LIMIT),
        "fin_traitement": optional("fin_traitement", lambda v: _end_date(v, today), None),
    }


def parse_query(data: Mapping[str, Any], today: date | None = None) -> OrientationQuery:
    """Return the query of a JSON body, checked exactly as the OpenAPI document says.

    `today` (by default the system date) bounds the end of treatment: from 1900 to 5 years on.

    Raises:
        InvalidFields: one or more fields are missing or invalid; `errors` names each with a
            French message saying what is accepted (none repeats the address).
    """
    return _checked(_json_checks(data, today or date.today()))


def _form_number(raw: str) -> object:
    """Return a typed number as an int; anything else stays a string, which the checks refuse."""
    text = raw.strip()
    return int(text) if DIGITS.fullmatch(text) and len(text) <= 4 else text


def _form_list(value: object) -> list[object]:
    """Return a form field's values: a lone string is one value."""
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list | tuple) else []


def form_to_json(form: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON values a form's strings stand for: "54" is 54, an empty field is absent."""
    data: dict[str, Any] = {
        "adresse": form.get("adresse", ""),
        "cancer": form.get("cancer", ""),
        "age": _form_number(str(form.get("age", ""))),
        "soins": _form_list(form.get("soins", [])),
    }
    for name, convert in (("limite", _form_number), ("fin_traitement", str.strip)):
        raw = str(form.get(name, "")).strip()
        if raw:
            data[name] = convert(raw)
    return data


def parse_form(form: Mapping[str, Any], today: date | None = None) -> OrientationQuery:
    """Return the query of the physician's form (strings, `soins` a list of codes).

    The same checks as `parse_query`, except that a prescription lists 1 to 3 cares.

    Raises:
        InvalidFields: as `parse_query`.
    """
    data = form_to_json(form)
    checks = _json_checks(data, today or date.today())
    checks["soins"] = lambda: _prescribed_soins(data["soins"])
    return _checked(checks)
