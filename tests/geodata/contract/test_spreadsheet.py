"""Workbooks (.xlsx) read as the CSV the pipeline reads; zip bombs and other zips refused."""

from __future__ import annotations

import io
import random
import struct
import time
import tracemalloc
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy.orm import Session, sessionmaker

from geodata.contract import spreadsheet
from geodata.contract.spreadsheet import read_upload, render_cell, xlsx_to_csv
from geodata.errors import UnreadableFile
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.importing import ImportCheck, check_file
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.networks import ensure_network

HEADER = ["identifiant", "nom", "adresse", "code_postal", "commune", "latitude", "longitude",
          "cancers", "publics", "soins", "actif", "precisions"]  # fmt: skip
CSV = (
    ";".join(HEADER) + "\n"
    'GE-01;"Équipe « A; B »";1 rue;67000;Strasbourg;;;tous;adultes;dietetique;oui;\n'
    "AU-01;Équipe de Bourg;2 rue;01000;Bourg-en-Bresse;46.2052;5.2255;sein;adultes;"
    "psychologie;non;Ouverte le 02/09/2024\n"
    "GE-02;Équipe;3 rue;6700;Strasbourg;;;inconnu;adultes;dietetique;;\n"
)


def workbook(rows: list[list[Any]], formats: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def directory_workbook() -> bytes:
    """The sheet CSV above was saved from: typed cells, a postcode kept 5 digits by its format."""
    rows: list[list[Any]] = [
        HEADER,
        ["GE-01", "Équipe « A; B »", "1 rue", 67000, "Strasbourg", None, None, "tous",
         "adultes", "dietetique", True, None],
        ["AU-01", "Équipe de Bourg", "2 rue", 1000, "Bourg-en-Bresse", 46.2052, 5.2255,
         "sein", "adultes", "psychologie", False, "Ouverte le 02/09/2024"],
        ["GE-02", "Équipe", "3 rue", "6700", "Strasbourg", None, None, "inconnu", "adultes",
         "dietetique"],
    ]  # fmt: skip
    return workbook(rows, {"D3": "00000"})


def check(sessions: sessionmaker[Session], data: bytes) -> ImportCheck:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = ensure_network(session, "neon")
        return check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))


def test_a_workbook_gives_the_same_check_as_the_same_sheet_saved_as_csv(
    sessions: sessionmaker[Session],
) -> None:
    from_xlsx = check(sessions, read_upload(directory_workbook(), "annuaire.xlsx"))
    from_csv = check(sessions, CSV.encode("utf-8"))
    assert from_xlsx == from_csv
    assert [p.line for p in from_xlsx.errors] == [4, 4]  # the row as the spreadsheet shows it


def test_a_workbook_becomes_semicolon_csv_with_cells_as_the_spreadsheet_shows_them() -> None:
    text = xlsx_to_csv(directory_workbook()).decode("utf-8")
    assert text.splitlines()[1] == (
        'GE-01;"Équipe « A; B »";1 rue;67000;Strasbourg;;;tous;adultes;dietetique;oui'
    )
    assert ";01000;Bourg-en-Bresse;46.2052;5.2255;" in text


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (None, "General", ""),
        (1000, "00000", "01000"),
        (67000.0, "General", "67000"),
        (0.1 + 0.2, "General", "0.3"),
        (0.25, "0%", "25 %"),
        (True, "General", "oui"),
        (date(2024, 9, 2), "General", "02/09/2024"),
        (datetime(2024, 9, 2, 14, 30), "General", "02/09/2024 14:30"),
        (datetime(2024, 9, 2), "General", "02/09/2024"),
        ("=texte", "General", "=texte"),
    ],
)
def test_cells_are_rendered_as_a_spreadsheet_shows_them(
    value: Any, number_format: str, shown: str
) -> None:
    assert render_cell(value, number_format) == shown


def test_a_csv_passes_through_unchanged() -> None:
    data = CSV.encode("cp1252")
    assert read_upload(data, "annuaire.xlsx") is data


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _refused_quickly(data: bytes) -> UnreadableFile:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnreadableFile) as info:
            read_upload(data, "annuaire.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 10 * 1024 * 1024
    return info.value


def test_a_highly_compressed_zip_bomb_is_refused_before_it_is_inflated() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(bytes(1024 * 1024))  # 64 MB of zeros, about 64 KB compressed
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    assert "anormalement volumineux" in _refused_quickly(data).message


def _declare_size(data: bytes, name: bytes, size: int) -> bytes:
    """Return the archive with the uncompressed size of `name` in the central directory forged."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == name:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at = data.index(b"PK\x01\x02", at + 4)


def test_a_member_declaring_a_huge_size_is_refused_without_reading_it() -> None:
    data = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": b"<sst/>",
        }
    )
    forged = _declare_size(data, b"xl/sharedStrings.xml", 0xFFFFFFFF)
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 0xFFFFFFFF
    assert "anormalement volumineux" in _refused_quickly(forged).message


def test_a_zip_that_is_not_a_workbook_is_refused_in_french() -> None:
    data = _zip({"lisez-moi.txt": b"bonjour", "photo.jpg": bytes(range(256))})
    assert "pas un classeur Excel" in _refused_quickly(data).message


def test_a_damaged_workbook_is_refused_in_french() -> None:
    data = _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"\x00\x01"})
    with pytest.raises(UnreadableFile, match="abîmé ou illisible"):
        xlsx_to_csv(data)


def test_a_sheet_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    with pytest.raises(UnreadableFile, match="plus de 3 lignes"):
        xlsx_to_csv(workbook([HEADER] + [["x"]] * 4))
    assert xlsx_to_csv(workbook([HEADER] + [["x"]] * 3)).count(b"\n") == 4


def test_empty_rows_count_as_lines_between_data_rows_but_not_below_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    rows: list[list[Any]] = [["a", "b"], [None, None], ["x", 1]]
    rows += [[None, " "] for _ in range(10)]
    assert xlsx_to_csv(workbook(rows)) == b"a;b\n\nx;1\n"


SST_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def _with_shared_strings(size: int, part: str = "xl/sharedStrings.xml") -> bytes:
    """Return a real workbook plus a shared strings part of about `size` bytes, with just
    enough variety to compress under the ratio cap (how the review's 2 MB bomb was built)."""
    pick = random.Random(1).choices("abcd", k=size // 64)
    body = "".join(f"<si><t>{'x' * 40}{c}</t></si>" for c in pick)
    strings = f'<sst xmlns="{SST_NS}">{body}</sst>'.encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(directory_workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{part}" ContentType="{SHARED_STRINGS_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            if info.filename != part:
                archive.writestr(info.filename, data)
        archive.writestr(part, strings)
    return out.getvalue()


def _ratio(data: bytes, name: str) -> float:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    return info.file_size / info.compress_size


def test_huge_shared_strings_in_a_small_workbook_are_refused_before_openpyxl_loads_them() -> None:
    data = _with_shared_strings(25 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    assert 20 < _ratio(data, "xl/sharedStrings.xml") < spreadsheet.MAX_RATIO
    message = _refused_quickly(data).message
    assert "textes partagés « xl/sharedStrings.xml » dépasse 20 Mo" in message


def test_shared_strings_named_like_a_worksheet_still_get_the_smaller_cap() -> None:
    data = _with_shared_strings(25 * 1024 * 1024, part="xl/worksheets/sheet2.xml")
    assert "textes partagés « xl/worksheets/sheet2.xml »" in _refused_quickly(data).message


def test_a_member_compressed_more_than_the_ratio_cap_is_refused() -> None:
    noise = random.Random(2).randbytes(12 * 1024)
    data = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/styles.xml": bytes(2 * 1024 * 1024) + noise,
        }
    )
    assert spreadsheet.MAX_RATIO < _ratio(data, "xl/styles.xml") < 200  # the former cap
    assert "compressée plus de 100 fois" in _refused_quickly(data).message


def test_a_worksheet_may_be_larger_than_other_parts_but_not_than_its_own_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = workbook([HEADER] + [[f"AB-{i}", f"Équipe {i}", "1 rue", 67000] for i in range(3000)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    monkeypatch.setattr(spreadsheet, "MAX_PART", sheet - 1)
    assert xlsx_to_csv(data).count(b"\n") == 3001
    monkeypatch.setattr(spreadsheet, "MAX_SHEET", sheet - 1)
    with pytest.raises(UnreadableFile, match=r"la feuille « xl/worksheets/sheet1\.xml » dépasse"):
        xlsx_to_csv(data)


def never_opened(*_args: Any, **_kwargs: Any) -> None:
    raise AssertionError("openpyxl opened a workbook that should have been refused before")


def test_a_sheet_over_the_filled_cell_cap_is_refused_before_openpyxl_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_FILLED_CELLS", 20)
    fits = workbook([HEADER[:4]] * 5)  # 20 filled cells
    assert xlsx_to_csv(fits).count(b"\n") == 5
    monkeypatch.setattr(spreadsheet, "load_workbook", never_opened)
    with pytest.raises(UnreadableFile, match=r"trop grande pour être lue.*CSV"):
        xlsx_to_csv(workbook([HEADER[:4]] * 5 + [["x"]]))


def test_empty_formatted_rows_and_cells_count_against_the_cell_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 30)
    book = Workbook()
    sheet = book.active
    sheet.append(["a", "b"])
    for row in range(2, 40):  # styled but empty, far below the data
        sheet.cell(row=row, column=3).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    monkeypatch.setattr(spreadsheet, "load_workbook", never_opened)
    with pytest.raises(UnreadableFile, match="cellules et lignes en tout"):
        xlsx_to_csv(out.getvalue())


@pytest.mark.parametrize("chunk", [1, 2, 5, 7, 64, 1 << 20])
def test_cells_are_counted_once_whatever_the_chunks_cut_in_the_tags(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/>'
        b'<x:c r="C1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></row><row r="2"/>'
        b"</sheetData></worksheet>"
    )
    monkeypatch.setattr(spreadsheet, "_CHUNK", chunk)
    assert spreadsheet._count_cells(io.BytesIO(xml)) == (5, 2)
