"""Batch geocoding of any CSV: the file comes back with BAN's result columns (see the README).

Like the BAN's `/search/csv/`, result columns that the input already has (`latitude`,
`longitude`, a previous run's `result_*`) are overwritten in place; the others are appended
in BAN's order. Rows are written as soon as they are geocoded, so a long file streams.
"""

from __future__ import annotations

import csv
import io
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import click

from geodata.config import Settings
from geodata.contract.headers import fold
from geodata.contract.tabular import decode_bytes, detect_delimiter
from geodata.contract.textfile import sep_directive
from geodata.errors import GeodataError, InvalidValue
from geodata.geocoding import Geocoder, GeocodeResult, make_geocoder

logger = logging.getLogger(__name__)

RESULT_COLUMNS = (
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_type",
    "result_citycode",
    "result_postcode",
    "result_city",
    "result_status",
)
# Header names (folded: lower case, no accents, "_" between words) of the columns that hold an
# address, as BAN's /search/csv users name them; other columns (a team's name, notes, an id)
# would only mislead the geocoder, which reads town names in any word it is given.
ADDRESS_HEADERS = frozenset({
    "adresse", "address", "adr", "addr", "adresse_postale", "adresse_1", "adresse_2",
    "adresse1", "adresse2", "rue", "voie", "numero", "num", "numero_de_voie", "complement",
    "complement_d_adresse", "complement_adresse", "lieu_dit", "lieudit", "batiment",
    "residence", "code_postal", "codepostal", "cp", "postcode", "zip", "code_postal_cedex",
    "commune", "ville", "city", "localite", "nom_commune", "libelle_commune", "cedex",
    "bureau_distributeur",
})  # fmt: skip
# After this many failures in a row the service is taken as down: the remaining rows are
# marked `error` at once instead of each waiting for its own timeout.
MAX_CONSECUTIVE_ERRORS = 5


@dataclass(frozen=True)
class BatchSummary:
    """How many data rows were read, and what became of them."""

    rows: int
    found: int
    not_found: int
    errors: int


@dataclass
class _Geocoding:
    """Per-file state: repeated queries are asked once, and a dead service is noticed."""

    geocoder: Geocoder
    cache: dict[str, GeocodeResult | None] = field(default_factory=dict)
    consecutive_errors: int = 0

    def lookup(self, query: str) -> GeocodeResult | None:
        """Return the best result for `query`, or None when nothing matches.

        Raises:
            GeodataError: the geocoder failed (or has failed too often to be asked again).
        """
        if query in self.cache:
            return self.cache[query]
        if self.consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
            raise GeodataError("Le service de géocodage a échoué trop de fois d'affilée.")
        try:
            results = self.geocoder.geocode(query, limit=1)
        except GeodataError:
            self.consecutive_errors += 1
            if self.consecutive_errors == MAX_CONSECUTIVE_ERRORS:
                logger.warning(
                    "Geocoder failed %d times in a row: giving up", self.consecutive_errors
                )
            raise
        self.consecutive_errors = 0
        self.cache[query] = results[0] if results else None
        return self.cache[query]


def _result_values(result: GeocodeResult | None, status: str) -> list[str]:
    if result is None:
        return [""] * (len(RESULT_COLUMNS) - 1) + [status]
    return [
        str(round(result.lat, 6)),
        str(round(result.lon, 6)),
        result.label,
        str(round(result.score, 4)),
        result.type,
        result.citycode,
        result.postcode,
        result.city,
        status,
    ]


def _address_indexes(header: list[str]) -> list[int]:
    """Return the positions of the columns named like parts of an address.

    Raises:
        InvalidValue: no column is (French message saying how to choose them).
    """
    found = [i for i, name in enumerate(header) if fold(name) in ADDRESS_HEADERS]
    if not found:
        raise InvalidValue(
            "Aucune colonne d'adresse reconnue (adresse, code postal, commune…). Indiquez les "
            "colonnes qui forment l'adresse avec --columns, ou toutes avec --all-columns. "
            f"Colonnes du fichier : {', '.join(f'« {name} »' for name in header)}.",
            field="columns",
            value="",
        )
    return found


def _query_indexes(
    header: list[str], columns: Sequence[str] | None, all_columns: bool = False
) -> list[int]:
    """Return the positions of the columns whose values make the query.

    Raises:
        InvalidValue: a requested column is not in the header, or no column is named like a
            part of an address (French message listing them).
    """
    if all_columns:
        return [i for i, name in enumerate(header) if name not in RESULT_COLUMNS]
    if not columns:
        return _address_indexes(header)
    unknown = [name for name in columns if name not in header]
    if unknown:
        available = ", ".join(f"« {name} »" for name in header)
        missing = ", ".join(f"« {name} »" for name in unknown)
        raise InvalidValue(
            f"Colonne(s) introuvable(s) dans le fichier : {missing}. "
            f"Colonnes disponibles : {available}.",
            field="columns",
            value=",".join(unknown),
        )
    return [header.index(name) for name in columns]


def _output_header(header: list[str]) -> tuple[list[str], list[int]]:
    """Return the output header and, for each result column, its position in it."""
    out = list(header)
    positions = []
    for name in RESULT_COLUMNS:
        if name not in out:
            out.append(name)
        positions.append(out.index(name))
    return out, positions


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    """Yield the non-blank records of a CSV text, the header first."""
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if any(cell.strip() for cell in cells):
            yield cells


def _split_text(data: bytes) -> tuple[str, str, str]:
    """Decode `data`; return (Excel `sep=` line or "", CSV text, BOM to write or "")."""
    text, encoding = decode_bytes(data)
    # Spreadsheet users (BOM or Windows-1252 input) need a BOM to see UTF-8 accents right.
    bom = "\ufeff" if encoding in ("utf-8-sig", "cp1252", "utf-16") else ""
    if sep_directive(text) is None:
        return "", text, bom
    first, _, rest = text.partition("\n")
    return first.rstrip("\r") + "\n", rest, bom


@dataclass
class _Counts:
    found: int = 0
    not_found: int = 0
    errors: int = 0

    def summary(self) -> BatchSummary:
        rows = self.found + self.not_found + self.errors
        return BatchSummary(rows, self.found, self.not_found, self.errors)


def _geocode_row(cells: list[str], indexes: list[int], state: _Geocoding) -> list[str]:
    query = " ".join(cells[i].strip() for i in indexes if i < len(cells) and cells[i].strip())
    if not query:
        return _result_values(None, "not-found")
    try:
        result = state.lookup(query)
    except GeodataError:
        return _result_values(None, "error")
    return _result_values(result, "ok" if result is not None else "not-found")


def geocode_csv(
    data: bytes,
    out: TextIO,
    geocoder: Geocoder,
    columns: Sequence[str] | None = None,
    *,
    all_columns: bool = False,
) -> BatchSummary:
    """Write the CSV `data` to `out` with BAN's result columns, geocoding each data row.

    The query of a row is the values of `columns` joined with spaces: by default the columns
    named like parts of an address, with `all_columns` every column but the results. The first
    result is kept. The input's delimiter is kept; output is text (UTF-8 when encoded),
    starting with a BOM when the input looked like a spreadsheet export.

    Raises:
        UnreadableFile: `data` is not a text CSV.
        InvalidValue: a name in `columns` is not a column of the file, or (by default) no
            column is named like a part of an address.
    """
    sep_line, text, bom = _split_text(data)
    delimiter = detect_delimiter(sep_line + text)
    records = _records(text, delimiter)
    header = [name.strip() for name in next(records, [])]
    if not header:
        return BatchSummary(0, 0, 0, 0)
    indexes = _query_indexes(header, columns, all_columns)
    out_header, positions = _output_header(header)
    out.write(bom + sep_line)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(out_header)
    state, counts = _Geocoding(geocoder), _Counts()
    for cells in records:
        row = (cells + [""] * len(out_header))[: len(out_header)]
        values = _geocode_row(cells, indexes, state)
        for position, value in zip(positions, values, strict=True):
            row[position] = value
        writer.writerow(row)
        status = values[-1]
        counts.found += status == "ok"
        counts.not_found += status == "not-found"
        counts.errors += status == "error"
    return counts.summary()


def _parse_columns(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    return names or None


def _report(summary: BatchSummary) -> None:
    click.echo(
        f"{summary.rows} ligne(s) : {summary.found} trouvée(s), "
        f"{summary.not_found} non trouvée(s), {summary.errors} en erreur.",
        err=True,
    )


@click.command("geocode")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--columns",
    metavar="A,B,C",
    help="Colonnes dont les valeurs forment l'adresse (par défaut : celles dont le nom est "
    "une partie d'adresse : adresse, code postal, commune…).",
)
@click.option(
    "--all-columns",
    is_flag=True,
    help="Former l'adresse avec toutes les colonnes (noms et notes compris).",
)
@click.pass_context
def geocode_command(ctx: click.Context, file: Path, columns: str | None, all_columns: bool) -> None:
    """Géocode un fichier CSV et l'écrit sur la sortie standard avec les colonnes de la BAN."""
    # Under `python -m etl` the group has read the settings already; alone (tests), read them.
    settings = getattr(ctx.obj, "settings", None) or Settings.from_env()
    try:
        geocoder = make_geocoder(settings)
        query_columns = _parse_columns(columns)
        summary = _write_geocoded(file.read_bytes(), geocoder, query_columns, all_columns)
    except InvalidValue as exc:
        click.echo(f"Erreur : {exc.message}", err=True)
        sys.exit(2)
    except GeodataError as exc:
        click.echo(f"Erreur : {exc.message}", err=True)
        sys.exit(1)
    _report(summary)


def _write_geocoded(
    data: bytes, geocoder: Geocoder, columns: list[str] | None, all_columns: bool
) -> BatchSummary:
    """Run `geocode_csv` to standard output, encoded in UTF-8 whatever the locale."""
    sys.stdout.flush()  # anything already written as text must come first
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        return geocode_csv(data, stdout, geocoder, columns, all_columns=all_columns)
    finally:
        stdout.flush()
        stdout.detach()  # leave the process's standard output open
