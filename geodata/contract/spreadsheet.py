"""Read the first sheet of an .xlsx workbook as the CSV the import pipeline reads.

Networks keep their directory in spreadsheets. The workbook becomes the very CSV (UTF-8, ";")
the same sheet saved as CSV would give, so both uploads get the same verdict. A workbook is a
zip archive: its declared sizes are checked, in total and part by part, before openpyxl opens
it (only the small [Content_Types].xml is read first, to tell worksheets from other parts),
which is enough because `zipfile` never inflates a member past its declared size. Then the
first sheet's cells are counted in its raw XML, at the speed of a byte search, so that a sheet
too large to read in a few seconds is refused in a fraction of one, before openpyxl (about 10 µs
a cell) starts on it.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import IO, Any
from xml.etree import ElementTree

from openpyxl import load_workbook  # type: ignore[import-untyped]

from geodata.contract.tabular import MAX_ROWS
from geodata.errors import UnreadableFile

log = logging.getLogger(__name__)

ZIP_SIGNATURE = b"PK\x03\x04"
MAX_MEMBERS = 2000
MB = 1024 * 1024
# A real directory sheet (a few thousand rows) is a few MB once decompressed; these caps leave
# a wide margin while bounding the time and memory openpyxl may spend on a 5 MB upload.
MAX_UNCOMPRESSED = 100 * MB  # all members together, as declared: 20 times the default upload limit
MAX_SHEET = 50 * MB  # a worksheet is streamed row by row, so it may be larger than other parts
MAX_PART = 20 * MB  # any other part (shared strings, styles...) is loaded whole into memory
MAX_MANIFEST = MB  # [Content_Types].xml, parsed here to tell worksheets from other parts
MAX_RATIO = 100  # a member larger than RATIO_FLOOR may not be compressed more than this
RATIO_FLOOR = MB
MAX_COLUMNS = 200
# openpyxl reads about 100,000 cells a second: these caps keep any accepted workbook within a
# few seconds. Filled cells: 20,000 rows of the contract's 17 columns fit. All cells and rows:
# sheets formatted far below or beside their data carry many empty ones, cheaper but not free.
MAX_FILLED_CELLS = 400_000
MAX_CELLS = 1_000_000
_CHUNK = MB
_TAIL = 256  # longer than any cell or value tag, namespace prefix included
# A row or cell element (`<row `, `<c>`, `<c/>`..., with or without a namespace prefix): even
# empty ones cost openpyxl time. And a cell's value (`<v>`: numbers, shared strings, formulas'
# results) or inline string (`<is>`).
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]")
_FILLED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)[\s>]")
_MANIFEST = "[Content_Types].xml"
_REQUIRED = (_MANIFEST, "xl/workbook.xml")
_TYPE_PREFIX = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WORKSHEET = _TYPE_PREFIX + "worksheet+xml"
_PART_NAMES = {
    _TYPE_PREFIX + "sharedStrings+xml": "la liste des textes partagés",
    _TYPE_PREFIX + "styles+xml": "la liste des styles",
    _WORKSHEET: "la feuille",
}
_ZEROS = re.compile(r"0+")
SAVE_AS = (
    "Enregistrez le classeur au format .xlsx (Excel) ou en « CSV UTF-8 » depuis votre tableur, "
    "puis déposez-le de nouveau."
)
TOO_BIG = "Ce classeur est anormalement volumineux une fois décompressé"


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE)


def _refuse(message: str) -> UnreadableFile:
    return UnreadableFile(f"{message} {SAVE_AS}")


def _too_big(cause: str) -> UnreadableFile:
    return _refuse(f"{TOO_BIG} : {cause} ; il a été refusé.")


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Raise unless the declared sizes, taken together and one by one, are plausible."""
    total = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED:
        log.warning("refused a workbook: %d members, %d bytes declared", len(members), total)
    if len(members) > MAX_MEMBERS:
        raise _too_big(f"il contient plus de {MAX_MEMBERS} parties")
    if total > MAX_UNCOMPRESSED:
        raise _too_big(f"il ferait {total // MB} Mo, au-delà de {MAX_UNCOMPRESSED // MB} Mo")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            log.warning(
                "refused a workbook: %s compressed more than %d times", m.filename, MAX_RATIO
            )
            raise _too_big(f"la partie « {m.filename} » est compressée plus de {MAX_RATIO} fois")


def _content_types(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Return the content types [Content_Types].xml declares for each part, by member name."""
    if archive.getinfo(_MANIFEST).file_size > MAX_MANIFEST:
        raise _too_big(f"la partie « {_MANIFEST} » dépasse {MAX_MANIFEST // MB} Mo")
    try:
        root = ElementTree.fromstring(archive.read(_MANIFEST))
    except ElementTree.ParseError as exc:
        raise _refuse("Ce classeur Excel (.xlsx) est abîmé ou illisible.") from exc
    types: dict[str, set[str]] = {}
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "Override":
            name = element.get("PartName", "").lstrip("/")
            types.setdefault(name, set()).add(element.get("ContentType", ""))
    return types


def _check_parts(archive: zipfile.ZipFile, types: dict[str, set[str]]) -> None:
    """Raise when a part is larger than what openpyxl may read of it.

    Only a part declared as a worksheet, and as nothing else, gets the larger cap: openpyxl finds
    the shared strings by their declared type, whatever the part's name.
    """
    for member in archive.infolist():
        declared = types.get(member.filename, set())
        sheet = declared == {_WORKSHEET} and member.filename.startswith("xl/worksheets/")
        limit = MAX_SHEET if sheet else MAX_PART
        if member.file_size > limit:
            log.warning(
                "refused a workbook: %s declares %d bytes", member.filename, member.file_size
            )
            what = next((_PART_NAMES[t] for t in sorted(declared) if t in _PART_NAMES), "la partie")
            raise _too_big(f"{what} « {member.filename} » dépasse {limit // MB} Mo")


def _count(pattern: re.Pattern[bytes], window: bytes, tail: bytes) -> int:
    # Tags wholly inside the tail were counted with the previous chunk.
    return len(pattern.findall(window)) - len(pattern.findall(tail))


def _count_cells(stream: IO[bytes]) -> tuple[int, int]:
    """Return how many cells, and how many filled cells, the sheet XML in `stream` holds,
    stopping as soon as either is over its cap."""
    cells = filled = 0
    tail = b""
    while (chunk := stream.read(_CHUNK)) and cells <= MAX_CELLS and filled <= MAX_FILLED_CELLS:
        window = tail + chunk
        cells += _count(_CELL, window, tail)
        filled += _count(_FILLED, window, tail)
        tail = window[-_TAIL:]
    return cells, filled


def _thousands(number: int) -> str:
    return f"{number:_}".replace("_", "\u202f")  # French: a narrow no-break space


def _check_cells(archive: zipfile.ZipFile, types: dict[str, set[str]]) -> None:
    """Raise when a worksheet holds more cells than openpyxl can read in a few seconds."""
    sheets = [name for name, declared in types.items() if _WORKSHEET in declared]
    for name in sheets:
        if name not in archive.NameToInfo:
            continue  # openpyxl says what is wrong with a workbook missing a declared sheet
        with archive.open(name) as stream:
            cells, filled = _count_cells(stream)
        if cells > MAX_CELLS or filled > MAX_FILLED_CELLS:
            log.warning("refused a workbook: %s over %d cells, %d filled", name, cells, filled)
            raise _refuse(
                "Une feuille de ce classeur est trop grande pour être lue (plus de "
                f"{_thousands(MAX_FILLED_CELLS)} cellules remplies ou de "
                f"{_thousands(MAX_CELLS)} cellules et lignes en tout). Supprimez les lignes et "
                "colonnes inutiles, ou enregistrez la feuille en CSV."
            )


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Raise unless the archive is a workbook of a reasonable size once decompressed."""
    members = archive.infolist()
    names = {member.filename for member in members}
    if not all(name in names for name in _REQUIRED):
        raise _refuse("Ce fichier est une archive zip, mais pas un classeur Excel (.xlsx).")
    _check_sizes(members)
    types = _content_types(archive)
    _check_parts(archive, types)
    _check_cells(archive, types)


def _number(value: float | int, number_format: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        if number_format.endswith("%"):
            return f"{value * 100:.15g} %"
        return f"{value:.15g}"
    digits = str(int(value))
    # "00000" is how spreadsheets keep a postcode's leading zero: 1000 shows as 01000.
    if _ZEROS.fullmatch(number_format) and len(digits) < len(number_format):
        return digits.zfill(len(number_format))
    return digits


def render_cell(value: Any, number_format: str = "General") -> str:
    """Return the text a spreadsheet shows for a cell value (French dates, "oui"/"non")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return _number(value, number_format)
    if isinstance(value, datetime):
        shown = "%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M"
        return value.strftime(shown)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _values(row: Iterable[Any]) -> list[str]:
    values = [render_cell(c.value, getattr(c, "number_format", "General")) for c in row]
    while values and not values[-1].strip():
        values.pop()
    if len(values) > MAX_COLUMNS:
        raise _refuse(f"La feuille a plus de {MAX_COLUMNS} colonnes remplies.")
    return values


def _rows(cells: Iterable[Iterable[Any]]) -> list[list[str]]:
    """Return the rows up to the last non-empty one: sheets are often formatted far below
    their data, and those empty rows must count neither as lines nor against the limit."""
    rows: list[list[str]] = []
    empty = 0
    for row in cells:
        values = _values(row)
        if not values:
            empty += 1
            continue
        rows += [[] for _ in range(empty)] + [values]
        empty = 0
        if len(rows) > MAX_ROWS + 1:  # the header is not a data row
            raise _refuse(f"La feuille a plus de {MAX_ROWS} lignes : découpez-la ou videz-la.")
    return rows


def _sheet_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        log.info("unreadable workbook: %s", type(exc).__name__)
        raise _refuse("Ce classeur Excel (.xlsx) est abîmé ou illisible.") from exc
    try:
        if not workbook.worksheets:
            raise _refuse("Ce classeur ne contient aucune feuille.")
        return _rows(workbook.worksheets[0].iter_rows())
    finally:
        workbook.close()


def xlsx_to_csv(data: bytes) -> bytes:
    """Return the first sheet of an .xlsx workbook as UTF-8 CSV separated by ";".

    Raises:
        UnreadableFile: not a zip, a zip that is not a workbook, a zip bomb, a damaged
            workbook, or a sheet of more than MAX_ROWS rows (French message).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
    except zipfile.BadZipFile as exc:
        raise _refuse(
            "Ce fichier commence comme une archive zip mais il est abîmé : ce n'est pas un "
            "fichier CSV, ni un classeur Excel (.xlsx) lisible."
        ) from exc
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows(_sheet_rows(data))
    return out.getvalue().encode("utf-8")


def read_upload(data: bytes, filename: str = "") -> bytes:
    """Return the CSV bytes of an upload: the sheet of a workbook (recognised by its bytes,
    whatever its name), else `data` unchanged for the CSV reader to judge.

    Raises:
        UnreadableFile: a zip that is not a readable, reasonably sized workbook.
    """
    if not is_zip(data):
        return data
    if filename.lower().endswith(".ods"):
        raise _refuse("Les classeurs LibreOffice (.ods) ne sont pas lus.")
    return xlsx_to_csv(data)
