"""Workbook uploads: the time to accept a large directory sheet and to refuse an oversized one."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from geodata.contract.spreadsheet import xlsx_to_csv
from geodata.errors import UnreadableFile

ACCEPTED_ROWS = 20_000
COLUMNS = 17
# 1,800 rows of 1,000 formatted empty cells: 1.8 million cells, a sheet just under the 50 MB
# cap on a worksheet's size, so that it is the cell count that refuses it.
WIDE_ROWS = 1_800
WIDE_COLUMNS = 1_000


def _save(fill: Callable[[object], None]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    fill(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def directory_sheet() -> bytes:
    """A sheet of 20,000 filled rows of the contract's 17 columns."""

    def fill(sheet: object) -> None:
        for row in range(ACCEPTED_ROWS):
            sheet.append([f"valeur {row}-{col}" for col in range(COLUMNS)])  # type: ignore[attr-defined]

    return _save(fill)


def wide_sheet() -> bytes:
    """Formatted but empty cells: small once zipped, slow to walk cell by cell."""

    def fill(sheet: object) -> None:
        cell = WriteOnlyCell(sheet, value=None)
        cell.number_format = "0.00"
        for _ in range(WIDE_ROWS):
            sheet.append([cell] * WIDE_COLUMNS)  # type: ignore[attr-defined]

    return _save(fill)


def _timed(data: bytes, rounds: int) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(rounds):
        start = time.perf_counter()
        try:
            xlsx_to_csv(data)
            outcome = "accepted"
        except UnreadableFile:
            outcome = "refused"
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome


def main(rounds: int = 3) -> None:
    for label, data in (
        (f"{ACCEPTED_ROWS:,} rows x {COLUMNS} columns", directory_sheet()),
        (f"{WIDE_ROWS * WIDE_COLUMNS:,} empty formatted cells", wide_sheet()),
    ):
        seconds, outcome = _timed(data, rounds)
        size = len(data) / 1e6
        shown = f"{outcome} in {seconds:.2f} s (median of {rounds})"
        print(f"workbook of {label} ({size:.1f} MB): {shown}")


if __name__ == "__main__":
    main()
