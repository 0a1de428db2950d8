"""The demo directories follow the contract and cover every kind of restriction they claim to."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from geodata.contract.schema import load_schema
from geodata.geo import haversine_km
from geodata.reference.gazetteer import get_gazetteer

DEMO = Path(__file__).resolve().parents[3] / "geodata" / "data" / "demo"
FILES = ("neon.csv", "onco-aura.csv")
# ARCEP numbering plan, article 2.5.12: ranges reserved for works of fiction.
FICTION_PHONE = re.compile(r"^0(1 99 00|2 61 91|3 53 01|4 65 71|5 36 49|6 39 98)( \d\d){2}$")


def read_rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = (DEMO / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    return list(reader.fieldnames or []), list(reader)


def all_rows() -> list[dict[str, str]]:
    return [row for name in FILES for row in read_rows(name)[1]]


def items(cell: str) -> set[str]:
    return {item for item in cell.split("|") if item}


@pytest.mark.parametrize("name", FILES)
def test_header_is_the_contract_columns_in_order(name: str) -> None:
    header, _ = read_rows(name)
    assert tuple(header) == load_schema().names


@pytest.mark.parametrize("name", FILES)
def test_every_row_has_every_column_and_a_unique_id(name: str) -> None:
    _, rows = read_rows(name)
    assert all(None not in row and None not in row.values() for row in rows)
    ids = [row["identifiant"] for row in rows]
    assert len(ids) == len(set(ids))


def test_files_have_the_announced_sizes() -> None:
    assert len(read_rows("neon.csv")[1]) == 12
    aura = read_rows("onco-aura.csv")[1]
    assert len(aura) == 22
    assert sum(items(row["publics"]) == {"aja"} for row in aura) == 4


def test_every_row_is_marked_fictitious_with_fictional_contacts() -> None:
    for row in all_rows():
        assert row["nom"].startswith("Équipe de démonstration — ")
        assert row["precisions"].startswith("Données fictives de démonstration")
        assert row["courriel"].endswith("@example.org")
        assert row["site_web"].startswith("https://example.org/")
        assert row["telephone"] == "" or FICTION_PHONE.match(row["telephone"]), row["telephone"]


def test_list_cells_use_only_vocabulary_codes() -> None:
    schema = load_schema()
    for row in all_rows():
        for column in ("cancers", "publics", "soins"):
            assert items(row[column]) <= set(schema.vocabulary(column)), row["identifiant"]
            assert items(row[column]), row["identifiant"]


def test_every_kind_of_restriction_is_present() -> None:
    rows = all_rows()
    cancers = [items(r["cancers"]) for r in rows]
    publics = [items(r["publics"]) for r in rows]
    zones = [items(r["zone"]) for r in rows]
    assert {"tous"} in cancers
    assert {"sein", "digestif"} in cancers
    assert {"sein"} in cancers
    assert {"enfants"} in publics
    assert {"aja"} in publics
    assert any(code.isdigit() and len(code) == 2 for zone in zones for code in zone)
    assert any(len(code) == 5 for zone in zones for code in zone)
    assert any(r["actif"] == "non" for r in rows)
    assert {len(items(r["soins"])) for r in rows} == {1, 2, 3}


def test_some_rows_give_coordinates_and_most_do_not() -> None:
    rows = all_rows()
    given = [r for r in rows if r["latitude"] and r["longitude"]]
    assert 0 < len(given) < len(rows) / 2
    assert all(not r["latitude"] and not r["longitude"] for r in rows if r not in given)
    for row in given:
        lat, lon = float(row["latitude"]), float(row["longitude"])
        assert 41 < lat < 51.5 and -5.5 < lon < 10, row["identifiant"]  # mainland France


def test_postcodes_have_five_digits_matching_the_zone_department() -> None:
    for row in all_rows():
        assert re.fullmatch(r"[0-9]{5}", row["code_postal"]), row["identifiant"]
        departments = {code for code in items(row["zone"]) if len(code) == 2}
        if departments:
            assert row["code_postal"][:2] in departments


@pytest.mark.parametrize(("name", "region"), [("neon.csv", "44"), ("onco-aura.csv", "84")])
def test_every_site_is_in_a_real_commune_of_its_region(name: str, region: str) -> None:
    gazetteer = get_gazetteer()
    for row in read_rows(name)[1]:
        commune = gazetteer.match_commune(row["commune"], row["code_postal"])
        assert commune is not None, row["identifiant"]
        assert row["code_postal"] in commune.postcodes, row["identifiant"]
        assert commune.region == region, row["identifiant"]


def test_zone_codes_are_real_departments_and_communes() -> None:
    gazetteer = get_gazetteer()
    codes = {code for row in all_rows() for code in items(row["zone"])}
    assert codes
    assert all(gazetteer.is_zone_code(code) for code in codes), codes


def test_given_coordinates_fall_inside_their_commune() -> None:
    gazetteer = get_gazetteer()
    for row in all_rows():
        if row["latitude"]:
            commune = gazetteer.match_commune(row["commune"], row["code_postal"])
            assert commune is not None
            distance = haversine_km(
                float(row["latitude"]), float(row["longitude"]), commune.lat, commune.lon
            )
            assert distance <= commune.radius_km, row["identifiant"]


@pytest.mark.parametrize("name", FILES)
def test_demo_file_validates_without_error_or_warning(name: str) -> None:
    validation = pytest.importorskip("geodata.contract.validation")
    result = validation.validate_file((DEMO / name).read_bytes(), get_gazetteer())
    assert result.problems == ()
    assert len(result.rows) == len(read_rows(name)[1])
