"""Read the first sheet of an .xlsx workbook as the CSV the import pipeline reads.

Networks keep their directory in spreadsheets. The workbook becomes the very CSV (UTF-8, ";")
the same sheet saved as CSV would give, so both uploads get the same verdict. A workbook is a
zip archive: its declared sizes are checked before anything is decompressed, which is enough
because `zipfile` never inflates a member past its declared size.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from geodata.errors import UnreadableFile
from geodata.tabular import MAX_ROWS

log = logging.getLogger(__name__)

ZIP_SIGNATURE = b"PK\x03\x04"
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together, as declared
MAX_RATIO = 200  # a member larger than RATIO_FLOOR may not be compressed more than this
RATIO_FLOOR = 1024 * 1024
MAX_COLUMNS = 200
_REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")
_ZEROS = re.compile(r"0+")
SAVE_AS = (
    "Enregistrez le classeur au format .xlsx (Excel) ou en « CSV UTF-8 » depuis votre tableur, "
    "puis déposez-le de nouveau."
)


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE)


def _refuse(message: str) -> UnreadableFile:
    return UnreadableFile(f"{message} {SAVE_AS}")


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Raise unless the archive is a workbook of a reasonable size once decompressed."""
    members = archive.infolist()
    names = {member.filename for member in members}
    if not all(name in names for name in _REQUIRED):
        raise _refuse("Ce fichier est une archive zip, mais pas un classeur Excel (.xlsx).")
    total = sum(member.file_size for member in members)
    bomb = any(
        m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or bomb:
        log.warning("refused a workbook: %d members, %d bytes declared", len(members), total)
        raise _refuse(
            "Ce classeur est anormalement volumineux une fois décompressé (plus de "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} Mo, ou compressé à l'excès) : il a été refusé."
        )


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
