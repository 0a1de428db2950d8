"""Validate every row of a directory table against the contract (the README's column table).

Every problem is collected, never raised: a network fixes its whole file in one go. Columns,
required-ness, patterns, lengths, vocabularies and booleans come from the Table Schema.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from geodata.contract.placing import check_commune, check_coordinates, parse_zone
from geodata.contract.records import SiteRecord
from geodata.contract.rowcheck import RowCheck
from geodata.contract.schema import Field, load_schema
from geodata.contract.tabular import Table, read_table
from geodata.contract.vocabulary import parse_boolean, parse_codes
from geodata.errors import InvalidValue
from geodata.normalize import (
    clean_text,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_url,
)
from geodata.problems import Problem, Severity
from geodata.reference.gazetteer import Commune, Gazetteer

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 1000  # beyond, a file is broken as a whole: more lines would not help
_FORMATS = {"x-telephone": normalise_phone, "email": normalise_email, "uri": normalise_url}
_MULTILINE = frozenset({"precisions"})


@dataclass(frozen=True)
class ValidRow:
    """A row without error: its record and the commune matched for (commune, code_postal)."""

    line: int
    record: SiteRecord
    commune: Commune


@dataclass(frozen=True)
class Validation:
    """The verdict on a file: its error-free rows and every problem, file-level first."""

    rows: tuple[ValidRow, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors


def _pattern_message(field: Field) -> str:
    if field.name == "identifiant":
        return (
            "Identifiant invalide : lettres sans accent, chiffres, tiret, point ou soulignement, "
            "sans espace (ex. GE-STRAS-01)."
        )
    if field.name == "code_postal":
        return "Code postal invalide : il faut 5 chiffres (ex. 67000)."
    return f"Valeur invalide pour « {field.title} »."


def _too_long(row: RowCheck, field: Field, text: str) -> bool:
    if field.max_length is None or len(text) <= field.max_length:
        return False
    row.error(
        field.name,
        f"Texte trop long ({len(text)} caractères, au plus {field.max_length}) : raccourcissez-le.",
    )
    return True


def _check_text(row: RowCheck, field: Field, raw: str) -> str | None:
    text = row.keep(field.name, clean_text(field.name, raw, multiline=field.name in _MULTILINE))
    if field.required and not text:
        row.error(field.name, f"« {field.title} » est obligatoire : remplissez cette cellule.")
        return None
    return text


def _check_string(row: RowCheck, field: Field, text: str) -> None:
    if text and field.name == "code_postal":
        text = row.keep(field.name, normalise_postcode(text))
    formatter = _FORMATS.get(field.format or "")
    if text and formatter is not None:
        text = row.keep(field.name, formatter(text))
    # Checked on the stored value: normalising can lengthen it ("https://" added to a site).
    if _too_long(row, field, text):
        return
    if text and field.pattern is not None and not re.fullmatch(field.pattern, text):
        row.error(field.name, _pattern_message(field))


def _check_list(row: RowCheck, field: Field, text: str, gazetteer: Gazetteer) -> None:
    if field.name == "zone":
        row.values[field.name] = parse_zone(row, text, gazetteer)
        return
    codes = parse_codes(field, text)
    if field.required and not codes:
        row.error(field.name, f"« {field.title} » est obligatoire : remplissez cette cellule.")
    if "tous" in codes and len(codes) > 1:
        row.warn(field.name, "« tous » inclut déjà les autres cancers : seul « tous » est gardé.")
        codes = ("tous",)
    row.values[field.name] = codes


def _check_field(row: RowCheck, field: Field, gazetteer: Gazetteer) -> None:
    try:
        text = _check_text(row, field, row.raw.get(field.name, ""))
        if text is None:
            return
        if field.is_list:
            _check_list(row, field, text, gazetteer)
        elif field.type == "boolean":
            row.values[field.name] = parse_boolean(field, text)
        elif field.type == "string":
            _check_string(row, field, text)
    except InvalidValue as exc:
        row.error(field.name, exc.message)


_RECORD_FIELDS = frozenset(SiteRecord.__dataclass_fields__)


def _record(row: RowCheck, commune: Commune) -> SiteRecord:
    values = {k: v for k, v in row.values.items() if k in _RECORD_FIELDS and v not in ("", None)}
    values["commune"] = commune.name  # the official spelling, whatever the file wrote
    return SiteRecord(**values)


def validate_row(
    line: int, raw: dict[str, str], gazetteer: Gazetteer
) -> tuple[ValidRow | None, list[Problem]]:
    """Check and normalise one row: its `ValidRow` (None on error) and its problems."""
    row = RowCheck(line, raw)
    for field in load_schema().fields:
        if field.type != "number":
            _check_field(row, field, gazetteer)
    commune = check_commune(row, gazetteer)
    row.values["location"] = check_coordinates(row, commune)
    if row.failed or commune is None:
        return None, row.problems
    return ValidRow(line, _record(row, commune), commune), row.problems


def _duplicate(line: int, raw: dict[str, str], first: int) -> Problem:
    return Problem(
        line,
        "identifiant",
        raw.get("identifiant", ""),
        f"Identifiant déjà utilisé ligne {first} : chaque lieu doit avoir son propre identifiant.",
    )


def _identifiant_key(checked: ValidRow | None, raw: dict[str, str]) -> str:
    """Return the identifiant as it would be stored, compared without case.

    Compared after cleaning, as stored (invisible characters dropped), so that two rows
    cannot collide in the database; without case, because ids end up in URLs and on
    case-blind file systems. A row in error is cleaned alone, to report its duplicate too.
    """
    if checked is not None:
        return checked.record.identifiant.casefold()
    return clean_text("identifiant", raw.get("identifiant", ""))[0].casefold()


def _capped(problems: list[Problem]) -> tuple[Problem, ...]:
    ordered = sorted(problems, key=lambda p: p.line)
    if len(ordered) <= MAX_PROBLEMS:
        return tuple(ordered)
    hidden = len(ordered) - MAX_PROBLEMS
    note = Problem(
        0,
        None,
        None,
        f"… et {hidden} autres problèmes non affichés : corrigez d'abord ceux-ci, puis "
        "renvoyez le fichier.",
    )
    return (*ordered[:MAX_PROBLEMS], note)


def validate_table(table: Table, gazetteer: Gazetteer) -> Validation:
    """Validate every row of `table`; rows with an error are left out of `rows`."""
    first: dict[str, int] = {}
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    for line, raw in table.rows:
        checked, found = validate_row(line, raw, gazetteer)
        problems.extend(found)
        key = _identifiant_key(checked, raw)
        if key and key in first:
            problems.append(_duplicate(line, raw, first[key]))
        elif checked is not None:
            valid.append(checked)
        if key:
            first.setdefault(key, line)
    logger.info(
        "Validated %d rows: %d valid, %d problems", len(table.rows), len(valid), len(problems)
    )
    return Validation(tuple(valid), _capped(problems))


def validate_file(data: bytes, gazetteer: Gazetteer) -> Validation:
    """Read and validate an uploaded directory file; file-level problems come first."""
    table, problems = read_table(data)
    if table is None:
        return Validation((), _capped(problems))
    validation = validate_table(table, gazetteer)
    return Validation(validation.rows, _capped([*problems, *validation.problems]))
