"""Read list and boolean cells against the Table Schema's vocabularies and true/false values."""

from __future__ import annotations

import difflib
import re
from functools import cache

from geodata.contract.headers import fold
from geodata.contract.schema import Field, load_schema
from geodata.errors import InvalidValue


@cache
def _splitter() -> re.Pattern[str]:
    delimiters = load_schema().list_delimiters
    return re.compile("|".join(re.escape(d) for d in delimiters))


def split_list(raw: str) -> list[str]:
    """Split a list cell on the schema's delimiters, dropping empty items."""
    return [item.strip() for item in _splitter().split(raw) if item.strip()]


@cache
def _item_index(name: str) -> dict[str, str]:
    # Codes, French labels and the schema's item aliases all fold to their code.
    field = load_schema().field(name)
    index = {fold(label): code for code, label in field.vocabulary.items()}
    index.update({fold(alias): code for alias, code in field.item_aliases.items()})
    index.update({fold(code): code for code in field.vocabulary})
    return index


def _unknown_message(field: Field, unknown: list[str]) -> str:
    codes = list(field.vocabulary)
    shown = ", ".join(f"« {item} »" for item in unknown)
    verb = "ne fait" if len(unknown) == 1 else "ne font"
    message = f"{shown} {verb} pas partie des valeurs possibles : {', '.join(codes)}."
    for item in unknown:
        close = difflib.get_close_matches(fold(item), codes, n=1, cutoff=0.6)
        if close:
            message += f" « {close[0]} » au lieu de « {item} » ?"
    return message + " Séparez les valeurs par « | »."


def parse_codes(field: Field, raw: str) -> tuple[str, ...]:
    """Return the vocabulary codes of a list cell, deduplicated, in the order given.

    Raises:
        InvalidValue: some items are not in the vocabulary (all of them are named).
    """
    index = _item_index(field.name)
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(raw):
        code = index.get(fold(item))
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise InvalidValue(_unknown_message(field, unknown), field=field.name, value=raw)
    return tuple(codes)


def parse_boolean(field: Field, raw: str) -> bool:
    """Return the boolean of a cell from the schema's true and false values; empty: default.

    Raises:
        InvalidValue: the value is neither a true nor a false value.
    """
    if not raw:
        return bool(field.default) if field.default is not None else True
    key = fold(raw)
    if key in {fold(v) for v in field.true_values}:
        return True
    if key in {fold(v) for v in field.false_values}:
        return False
    yes, no = ", ".join(field.true_values), ", ".join(field.false_values)
    raise InvalidValue(
        f"Valeur non reconnue : écrivez « oui » ({yes}) ou « non » ({no}) ; vide vaut oui.",
        field=field.name,
        value=raw,
    )
