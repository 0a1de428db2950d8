"""Read an uploaded directory CSV into a table of contract columns, with file-level problems."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from geodata.contract.headers import Header, match_header
from geodata.contract.textfile import decode_bytes, detect_delimiter, sep_directive
from geodata.errors import UnreadableFile
from geodata.problems import Problem

__all__ = ["MAX_BYTES", "MAX_ROWS", "Table", "decode_bytes", "detect_delimiter", "read_table"]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# UTF-8 read as Windows-1252 and saved again: "é" became "Ã©", "’" became "â€™".
_MOJIBAKE = re.compile(
    "[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a]|â€"
)


@dataclass(frozen=True)
class Table:
    """The contract columns of a CSV file, with each data row's spreadsheet line number."""

    columns: tuple[str, ...]  # contract names found, in file order
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line, {contract column: stripped value})
    encoding: str
    delimiter: str


Record = tuple[int, list[str] | None]  # (spreadsheet line, cells; None: unreadable record)


def _records(text: str, delimiter: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    while True:
        line += 1
        try:
            yield line, next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses fields over its limit (128 KiB) and goes on reading.
            yield line, None


def _file_problem(message: str, line: int = 0, value: str | None = None) -> Problem:
    return Problem(line, None, value, message)


def _huge_cell(line: int) -> Problem:
    return _file_problem(
        f"La ligne {line} contient une cellule démesurée (plus de 128 000 caractères) : "
        "vérifiez qu'un guillemet (\") n'a pas été oublié, ou raccourcissez la cellule.",
        line,
    )


def _mojibake(line: int, column: str | None, value: str) -> Problem:
    try:
        repaired = value.encode("cp1252").decode("utf-8")
        hint = f" Ici, « {repaired} » était sans doute voulu."
    except UnicodeError:
        hint = ""
    return Problem(
        line,
        column,
        value,
        "Caractères abîmés (« Ã© » au lieu de « é ») : le fichier a été converti deux fois "
        "d'encodage. Repartez du fichier d'origine et enregistrez-le au format « CSV UTF-8 »."
        + hint,
    )


def _unclosed_quote(value: str, delimiter: str, width: int) -> bool:
    if "\n" not in value:
        return False
    threshold = max(2, width // 2)
    return any(part.count(delimiter) >= threshold for part in value.split("\n")[1:])


def _cell_problems(line: int, values: dict[str, str], delimiter: str, width: int) -> list[Problem]:
    problems: list[Problem] = []
    for column, value in values.items():
        if _MOJIBAKE.search(value):
            problems.append(_mojibake(line, column, value))
        if _unclosed_quote(value, delimiter, width):
            problems.append(
                Problem(
                    line,
                    column,
                    value,
                    "Cette cellule avale les lignes suivantes : un guillemet (\") ouvert n'est "
                    "jamais fermé. Fermez-le, ou doublez les guillemets à l'intérieur du texte.",
                )
            )
    return problems


def _extra_cells(line: int, cells: list[str], width: int) -> Problem | None:
    extra = [cell for cell in cells[width:] if cell.strip()]
    if not extra:
        return None
    return Problem(
        line,
        None,
        extra[0],
        f"Cette ligne a des cellules remplies au-delà des {width} colonnes de l'en-tête "
        f"(« {extra[0]} ») : une cellule contient sans doute le séparateur sans être entre "
        "guillemets, ou une colonne n'a pas de nom dans l'en-tête.",
    )


@dataclass
class _Reading:
    """Rows and problems gathered while walking the records after the header."""

    header: Header
    width: int
    delimiter: str
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]
    suspect: bool  # the text has mojibake or quoted line breaks: check each cell

    def add(self, line: int, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return  # blank spreadsheet rows carry nothing
        values = {
            name: (cells[pos].strip() if pos < len(cells) else "")
            for name, pos in self.header.positions.items()
        }
        extra = _extra_cells(line, cells, self.width)
        if extra is not None:
            self.problems.append(extra)
        if self.suspect:
            self.problems.extend(_cell_problems(line, values, self.delimiter, self.width))
        self.rows.append((line, values))


def _read_header(records: Iterator[Record]) -> tuple[Record, list[Problem]]:
    """Return the first filled record (its line and cells), or None cells and the problem."""
    for line, cells in records:
        if cells is None:
            return (line, None), [_huge_cell(line)]
        # Excel exports sometimes start with empty rows: the header is the first filled one.
        if any(cell.strip() for cell in cells):
            return (line, cells), []
    return (0, None), [_file_problem("Le fichier est vide : il ne contient aucune ligne.")]


def _header_problems(line: int, cells: list[str]) -> tuple[Header | None, list[Problem]]:
    if len(cells) > MAX_COLUMNS:
        message = f"L'en-tête a {len(cells)} colonnes, au plus {MAX_COLUMNS} sont acceptées."
        return None, [_file_problem(message, line)]
    header = match_header(cells, line)
    mojibake = [_mojibake(line, None, cell) for cell in cells if _MOJIBAKE.search(cell)]
    problems = [*header.problems, *mojibake]
    return (None if header.missing else header), problems


def _read_rows(records: Iterator[Record], reading: _Reading) -> bool:
    for count, (line, cells) in enumerate(records, start=1):
        if count > MAX_ROWS:
            message = f"Le fichier a plus de {MAX_ROWS} lignes : découpez-le ou videz-le."
            reading.problems.append(_file_problem(message))
            return False
        if cells is None:
            reading.problems.append(_huge_cell(line))
        else:
            reading.add(line, cells)
    return True


def _parse(text: str, encoding: str) -> tuple[Table | None, list[Problem]]:
    delimiter = detect_delimiter(text)
    if sep_directive(text) is not None:
        text = text.partition("\n")[2]  # Excel hides its `sep=` line: the header shows as row 1
    records = _records(text, delimiter)
    (header_line, cells), problems = _read_header(records)
    if cells is None:
        return None, problems
    header, problems = _header_problems(header_line, cells)
    if header is None:
        return None, problems
    suspect = '"' in text or _MOJIBAKE.search(text) is not None
    reading = _Reading(header, len(cells), delimiter, [], problems, suspect)
    if not _read_rows(records, reading):
        return None, reading.problems
    if not reading.rows:
        message = "Le fichier ne contient que l'en-tête : ajoutez une ligne par lieu d'accueil."
        return None, [*reading.problems, _file_problem(message, header_line)]
    columns = tuple(sorted(header.positions, key=header.positions.__getitem__))
    return Table(columns, tuple(reading.rows), encoding, delimiter), reading.problems


def read_table(data: bytes) -> tuple[Table | None, list[Problem]]:
    """Read an uploaded CSV into its contract columns, reporting every file-level problem.

    Returns None instead of a table when the file cannot be used at all (binary, empty,
    header only, required columns missing, too big); the problems say why, in French.
    """
    if len(data) > MAX_BYTES:
        size = len(data) / 1024 / 1024
        message = f"Le fichier fait {size:.0f} Mo, au plus {MAX_BYTES // 1024 // 1024} Mo."
        return None, [_file_problem(message)]
    try:
        text, encoding = decode_bytes(data)
    except UnreadableFile as exc:
        return None, [_file_problem(exc.message, exc.line)]
    if not text.strip():
        return None, [_file_problem("Le fichier est vide : il ne contient aucune ligne.")]
    return _parse(text, encoding)
