"""The offline base map's build, run for real on tiny sources, and the committed files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import shapely

from geodata.reference.build_basemap import build_basemap, label_point, write_json
from geodata.reference.build_communes import build_commune_outlines
from geodata.reference.files import (
    BASEMAP_DIR,
    BASEMAP_LABELS_FILE,
    BASEMAP_LAND_FILE,
    BASEMAP_TOWNS_FILE,
    read_commune_outlines,
)
from geodata.reference.gazetteer import get_gazetteer
from geodata.reference.topojson import decode_arcs, read_topology
from tests.geodata.reference.test_build import built, source  # noqa: F401 (fixtures)

# France and "Germany" share the arc 0 (x = 8); Switzerland touches Germany along y = 48.
ATLAS = {
    "type": "Topology",
    "arcs": [
        [[8, 48], [8, 49]],
        [[8, 49], [7, 49], [7, 48], [8, 48]],
        [[8, 48], [9, 48], [9, 49], [8, 49]],
        [[8, 47], [9, 47], [9, 48], [8, 48], [8, 47]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "250", "properties": {"name": "France"},
                 "arcs": [[1, 0]]},
                {"type": "Polygon", "id": "276", "properties": {"name": "Germany"},
                 "arcs": [[2, -1]]},
                {"type": "MultiPolygon", "id": "756", "properties": {"name": "Switzerland"},
                 "arcs": [[[3]]]},
            ],
        }
    },
}  # fmt: skip


@pytest.fixture
def atlas(tmp_path: Path) -> Path:
    path = tmp_path / "countries.json"
    path.write_text(json.dumps(ATLAS), encoding="utf-8")
    return path


@pytest.fixture
def basemap(
    atlas: Path,
    source: Path,  # noqa: F811
    built: tuple[Path, dict[str, int]],  # noqa: F811
    tmp_path: Path,
) -> tuple[Path, dict[str, int]]:
    out = tmp_path / "basemap"
    counts = build_basemap(atlas, built[0], out)
    return out, counts | build_commune_outlines(source, out)


def read(path: Path) -> Any:
    if path.suffix == ".gz":
        return json.loads(gzip.decompress(path.read_bytes()))
    return json.loads(path.read_text(encoding="utf-8"))


def test_quantized_arcs_are_decoded_from_their_deltas() -> None:
    transform = {"scale": [0.5, 0.25], "translate": [-10, 40]}
    assert decode_arcs([[[0, 0], [2, 4], [-1, 0]]], transform) == [
        [(-10.0, 40.0), (-9.0, 41.0), (-9.5, 41.0)]
    ]


def test_a_topology_gives_polygons_that_share_their_arcs(atlas: Path) -> None:
    france, germany, switzerland = read_topology(atlas, "countries")
    assert (france.id, germany.properties["name"]) == ("250", "Germany")
    assert france.geometry.area == pytest.approx(1.0) and germany.geometry.area == pytest.approx(
        1.0
    )
    assert france.geometry.intersection(germany.geometry).length == pytest.approx(1.0)
    assert switzerland.geometry.bounds == (8.0, 47.0, 9.0, 48.0)


def test_the_build_counts_what_it_writes(basemap: tuple[Path, dict[str, int]]) -> None:
    assert basemap[1] == {
        "countries": 3,
        "departments": 2,
        "large towns": 2,  # Strasbourg and Ajaccio
        "towns": 0,
        "villages": 2,
        "commune outline files": 2,
        "commune outlines": 3,  # La Rétablie has no polygon
    }


def test_land_abroad_keeps_a_strip_of_france_along_its_borders_only(
    basemap: tuple[Path, dict[str, int]],
) -> None:
    land, borders = read(basemap[0] / BASEMAP_LAND_FILE)["features"]
    shape = shapely.geometry.shape(land["geometry"])
    west, south, east, north = shape.bounds
    assert 7.9 < west < 8.0 and (south, east, north) == (47.0, 9.0, 49.0)
    assert land["properties"] == {"kind": "land"} and borders["properties"] == {"kind": "border"}
    line = shapely.geometry.shape(borders["geometry"])  # Germany-Switzerland, not France's
    assert line.length == pytest.approx(1.0, abs=1e-3)
    assert shapely.LineString([(8, 48), (9, 48)]).buffer(1e-3).contains(line)


def test_labels_name_the_neighbours_in_french_and_box_each_department(
    basemap: tuple[Path, dict[str, int]],
) -> None:
    labels = read(basemap[0] / BASEMAP_LABELS_FILE)
    assert [row[0] for row in labels["countries"]] == ["Allemagne", "Suisse"]
    again = [(lat, lon) for name, lat, lon in labels["borders"] if name == "Allemagne"]
    assert len(again) == 4  # one per half-degree square of Germany near France
    assert all(48 < lat < 49 and 8 < lon < 9 for lat, lon in again)
    assert [row[0] for row in labels["seas"]] == ["Manche", "Mer du Nord", "Océan Atlantique",
                                                  "Mer Méditerranée"]  # fmt: skip
    departments = {row[0]: row for row in labels["departments"]}
    assert set(departments) == {"2A", "67"}
    _, name, lat, lon, west, south, east, north = departments["67"]
    assert name == "Bas-Rhin" and west <= lon <= east and south <= lat <= north
    assert labels["towns"] == [["Strasbourg", 48.55, 7.75, 280966], ["Ajaccio", 41.95, 8.75, 70000]]
    assert read(basemap[0] / BASEMAP_TOWNS_FILE) == []


def test_smaller_towns_and_commune_outlines_are_written_per_department(
    basemap: tuple[Path, dict[str, int]],
) -> None:
    out = basemap[0]
    assert read(out / "towns" / "2A.json.gz") == []  # written even when empty
    villages = read(out / "towns" / "67.json.gz")
    assert [row[0] for row in villages] == ["Le Puy", "La Rétablie"]  # most populous first
    outlines = read_commune_outlines("67", out)
    assert [f["properties"] for f in outlines["features"]] == [
        {"code": "67001", "nom": "Le Puy"},
        {"code": "67482", "nom": "Strasbourg"},
    ]
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in outlines["features"])


def test_the_build_gives_the_same_bytes_twice(
    atlas: Path,
    source: Path,  # noqa: F811
    basemap: tuple[Path, dict[str, int]],
    built: tuple[Path, dict[str, int]],  # noqa: F811
    tmp_path: Path,
) -> None:
    again = tmp_path / "again"
    build_basemap(atlas, built[0], again)
    build_commune_outlines(source, again)
    files = sorted(p.relative_to(basemap[0]) for p in basemap[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((basemap[0] / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_gzipped_files_carry_no_time_nor_name(tmp_path: Path) -> None:
    size = write_json(tmp_path / "a.json.gz", [1, "é"])
    data = (tmp_path / "a.json.gz").read_bytes()
    assert len(data) == size and data[4:8] == b"\0\0\0\0" and not data[3] & 0x08  # FNAME
    assert gzip.decompress(data) == '[1,"é"]\n'.encode()


def test_a_label_point_is_inside_the_largest_part() -> None:
    shape = shapely.MultiPolygon([shapely.box(0, 0, 4, 1), shapely.box(10, 10, 10.1, 10.1)])
    lat, lon = label_point(shape)
    assert shapely.box(0, 0, 4, 1).contains(shapely.Point(lon, lat))


def test_the_committed_base_map_has_every_department_within_its_size_budget() -> None:
    codes = {d.code for d in get_gazetteer().departments()}
    labels = read(BASEMAP_DIR / BASEMAP_LABELS_FILE)
    assert {row[0] for row in labels["departments"]} == codes
    assert {p.name for p in (BASEMAP_DIR / "towns").iterdir()} == {f"{c}.json.gz" for c in codes}
    communes = {p.name for p in (BASEMAP_DIR / "communes").iterdir()}
    assert communes == {f"{c}.geojson.gz" for c in codes}
    # Loaded with every page: small. Loaded by department: a few tens of kilobytes each.
    assert (BASEMAP_DIR / BASEMAP_LAND_FILE).stat().st_size + (
        BASEMAP_DIR / BASEMAP_LABELS_FILE
    ).stat().st_size < 100_000
    sizes = [p.stat().st_size for p in BASEMAP_DIR.rglob("*.gz")]
    assert max(sizes) < 80_000 and sum(sizes) < 4_000_000


def test_the_committed_commune_outlines_name_the_current_communes_by_insee_code() -> None:
    outlines = read_commune_outlines("67")
    codes = {f["properties"]["code"] for f in outlines["features"]}
    current = {
        c.code for c in get_gazetteer().communes() if c.kind == "COM" and c.department == "67"
    }
    assert codes == current
