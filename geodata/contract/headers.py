"""Match the header cells of an uploaded CSV to the contract's column names, tolerantly.

"Code postal", "CODE_POSTAL", "code-postal", "CP" all name `code_postal`: names are compared
without case, accents, spaces or punctuation, against each field's name, title and
`x-aliases` in the Table Schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from geodata.contract.schema import load_schema
from geodata.problems import Problem, Severity
from geodata.text import strip_accents

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Return `text` lower-cased, without accents, punctuation runs turned into "_"."""
    return _NOT_ALNUM.sub("_", strip_accents(text).lower()).strip("_")


def header_key(text: str) -> str:
    """Return the comparison key of a header cell: folded, without separators."""
    return fold(text).replace("_", "")


@cache
def header_index() -> dict[str, str]:
    """Return every accepted header key -> contract column name."""
    index: dict[str, str] = {}
    for field in load_schema().fields:
        for spelling in (field.name, field.title, *field.aliases):
            index.setdefault(header_key(spelling), field.name)
    return index


@dataclass(frozen=True)
class Header:
    """Where each contract column is in the file, and the problems of the header line."""

    positions: dict[str, int]  # contract name -> cell index
    missing: tuple[str, ...]  # required columns not found: the file cannot be used
    problems: tuple[Problem, ...]


def _expected() -> str:
    return " ; ".join(load_schema().names)


def _unknown(line: int, cell: str) -> Problem:
    return Problem(
        line,
        None,
        cell,
        f"Colonne « {cell} » inconnue : elle est ignorée. Si elle correspond à une colonne "
        f"attendue, renommez-la. Colonnes attendues : {_expected()}.",
        Severity.WARNING,
    )


def _duplicate(line: int, cell: str, name: str, first: str) -> Problem:
    return Problem(
        line,
        name,
        cell,
        f"Les colonnes « {first} » et « {cell} » désignent toutes deux « {name} » : gardez-en "
        "une seule (seule la première est lue).",
    )


def _missing(line: int, name: str, found: list[str]) -> Problem:
    shown = " ; ".join(f"« {cell} »" for cell in found) or "aucune"
    return Problem(
        line,
        name,
        None,
        f"Colonne obligatoire « {name} » absente. Ajoutez-la à l'en-tête (ligne {line}). "
        f"Colonnes trouvées : {shown}.",
    )


def _no_header(line: int, found: list[str]) -> Problem:
    return Problem(
        line,
        None,
        " ; ".join(found),
        f"Aucune colonne reconnue sur la première ligne remplie (ligne {line}) : elle doit "
        "contenir les noms des "
        f"colonnes ({_expected()}), et les cellules être séparées par « ; » ou « , ».",
    )


def match_header(cells: list[str], line: int = 1) -> Header:
    """Locate the contract columns in a header line; report unknown, duplicate, missing ones.

    `line` is where the header is (blank lines above it are skipped), for the problems.
    """
    index = header_index()
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for position, raw in enumerate(cells):
        cell = raw.strip()
        name = index.get(header_key(cell))
        if not cell:
            continue  # spreadsheets often leave empty trailing columns
        if name is None:
            problems.append(_unknown(line, cell))
        elif name in positions:
            problems.append(_duplicate(line, cell, name, cells[positions[name]].strip()))
        else:
            positions[name] = position
    found = [cell.strip() for cell in cells if cell.strip()]
    if not positions:
        return Header({}, load_schema().required, (_no_header(line, found),))
    missing = tuple(name for name in load_schema().required if name not in positions)
    problems.extend(_missing(line, name, found) for name in missing)
    return Header(positions, missing, tuple(problems))
