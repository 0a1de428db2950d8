"""The problems of a checked file, for the spreadsheet they are fixed in.

Each problem's line is named by its team (identifiant and name as the file wrote them), and the
problems can be written as a CSV in the uploaded file's own encoding and delimiter, so that it
opens in the same spreadsheet, with the same settings, as the file it describes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from geodata.contract.tabular import read_table
from geodata.contract.textfile import decode_bytes, detect_delimiter, sep_directive
from geodata.contract.validation import ValidRow
from geodata.errors import UnreadableFile
from geodata.problems import Problem, shorten
from geodata.publishing.export import neutralise

HEADER = ("Ligne", "Identifiant", "Nom", "Colonne", "Valeur", "Gravité", "Problème")
# How each encoding `decode_bytes` names is written back (UTF-16 and UTF-8 with BOM keep it).
_CODECS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "utf-16": "utf-16", "cp1252": "cp1252"}


@dataclass(frozen=True)
class Team:
    """The team of a line of the file, as the file wrote it (possibly empty or invalid)."""

    identifiant: str
    nom: str


@dataclass(frozen=True)
class FileFormat:
    """How a CSV file was written: its encoding (as `decode_bytes` names it), its delimiter, and
    whether it starts with Excel's `sep=` line (which tells Excel the delimiter).

    The default is what French Excel opens directly: UTF-8 with a BOM, and ";".
    """

    encoding: str = "utf-8-sig"
    delimiter: str = ";"
    sep_line: bool = False

    def encode(self, text: str) -> bytes:
        """Return `text` in this encoding; a character Windows-1252 lacks becomes "?"."""
        return text.encode(_CODECS.get(self.encoding, "utf-8-sig"), errors="replace")


def file_format(data: bytes) -> FileFormat:
    """Return the encoding and delimiter of CSV bytes (the default when they are unreadable)."""
    try:
        text, encoding = decode_bytes(data)
    except UnreadableFile:
        return FileFormat()
    return FileFormat(encoding, detect_delimiter(text), sep_directive(text) is not None)


def _team(raw: Mapping[str, str]) -> Team:
    return Team(shorten(raw.get("identifiant", "")), shorten(raw.get("nom", "")))


def problem_teams(
    data: bytes, problems: Iterable[Problem], rows: Sequence[ValidRow]
) -> dict[int, Team]:
    """Return the team of each line that has a problem.

    Valid rows give theirs at once; the file is read again only for lines in error, whose
    identifiant and name are shown as written (they may be the very cells in error).
    """
    lines = {p.line for p in problems if p.line > 0}
    teams = {r.line: Team(r.record.identifiant, r.record.nom) for r in rows if r.line in lines}
    if lines <= teams.keys():
        return teams
    table, _ = read_table(data)
    for line, raw in table.rows if table is not None else ():
        if line in lines and line not in teams:
            teams[line] = _team(raw)
    return teams


def _cells(
    problem: Problem, team: Team | None, column_title: Callable[[str | None], str]
) -> list[str]:
    ident, name = (team.identifiant, team.nom) if team else ("", "")
    line = str(problem.line) if problem.line else "fichier"
    values = (ident, name, column_title(problem.column), problem.value or "")
    return [line, *(neutralise(v) for v in values), problem.severity.label, problem.message]


def problems_csv(
    problems: Sequence[Problem],
    teams: Mapping[int, Team],
    fmt: FileFormat,
    column_title: Callable[[str | None], str],
) -> bytes:
    """Return the problems as a CSV (a header, then one row per problem, by line) written in
    `fmt`, every cell safe from spreadsheet formulas; `column_title` names a column."""
    buffer = io.StringIO()
    if fmt.sep_line:
        buffer.write(f"sep={fmt.delimiter}\r\n")
    writer = csv.writer(buffer, delimiter=fmt.delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for problem in sorted(problems, key=lambda p: (p.line, not p.is_error)):
        writer.writerow(_cells(problem, teams.get(problem.line), column_title))
    return fmt.encode(buffer.getvalue())
