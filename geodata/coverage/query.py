"""A coverage request read from a query string (the admin page, the API): every bad field at
once, in French."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from geodata.coverage.area import Area, area_of
from geodata.coverage.sites import Profile
from geodata.coverage.study import (
    DEFAULT_KM,
    CoverageRequest,
    check_age,
    check_cancer,
    check_km,
    check_soins,
)
from geodata.errors import FieldError, InvalidFields, InvalidValue
from geodata.reference.gazetteer import Gazetteer

T = TypeVar("T")
Values = Mapping[str, Sequence[str]]


def read_coverage_query(values: Values, gazetteer: Gazetteer) -> CoverageRequest:
    """Return the request that `values` (each name with its list of strings) describe.

    Names: cancer, age, soins (repeated or comma-separated), reseau (repeated), region,
    departement (repeated), km, candidat (repeated).

    Raises:
        InvalidFields: every bad field, with a French message saying what is accepted.
    """
    errors: list[FieldError] = []
    cancer = _checked(errors, lambda: check_cancer(_one(values, "cancer")))
    age = _checked(errors, lambda: check_age(_age(_one(values, "age"))))
    soins = _checked(errors, lambda: check_soins(_list(values, "soins")))
    region, departments = _one(values, "region"), _list(values, "departement")
    area = _checked(errors, lambda: area_of(gazetteer, region, departments))
    km = _checked(errors, lambda: check_km(_number(values, "km", DEFAULT_KM)))
    if cancer is None or age is None or soins is None or area is None or km is None:
        raise InvalidFields(errors)
    networks = tuple(_list(values, "reseau"))
    candidates = tuple(_list(values, "candidat", ";"))
    return CoverageRequest(Profile(cancer, age, soins), area, km, networks, candidates)


def _checked(errors: list[FieldError], check: Callable[[], T]) -> T | None:
    try:
        return check()
    except InvalidValue as error:
        errors.append(FieldError(error.field, error.message))
        return None


def _age(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        message = "Indiquez l'âge en années (un nombre entier)."
        raise InvalidValue(message, field="age", value=raw[:10])
    return int(raw)


def _one(values: Values, name: str) -> str:
    found = values.get(name, ())
    return found[0].strip() if found else ""


def _list(values: Values, name: str, separator: str = ",") -> list[str]:
    """Return the non-empty items of a repeated or separated parameter."""
    return [
        item.strip()
        for value in values.get(name, ())
        for item in value.split(separator)
        if item.strip()
    ]


def _number(values: Values, name: str, default: float) -> float:
    raw = _one(values, name).replace(",", ".")
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise InvalidValue(
            "La distance doit être un nombre de kilomètres.", field=name, value=raw[:10]
        ) from None


def area_values(area: Area) -> dict[str, list[str]]:
    """Return the query values that select `area` (for links that keep it)."""
    if area.region:
        return {"region": [area.region]}
    return {"departement": list(area.departments)}
