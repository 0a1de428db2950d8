"""Packaged department and region outlines, and point-in-department lookups."""

from __future__ import annotations

import json

import pytest

from geodata.reference.files import DATA_DIR, DEPARTMENT_OUTLINES_FILE, REGION_OUTLINES_FILE
from geodata.reference.gazetteer import get_gazetteer
from geodata.reference.outlines import department_at, departments_geojson


def test_outline_files_fit_their_size_budget() -> None:
    assert (DATA_DIR / DEPARTMENT_OUTLINES_FILE).stat().st_size <= 400_000
    assert (DATA_DIR / REGION_OUTLINES_FILE).stat().st_size <= 200_000


def test_every_department_and_region_has_an_outline() -> None:
    gazetteer = get_gazetteer()
    codes = {f["properties"]["code"] for f in departments_geojson()["features"]}
    assert codes == {d.code for d in gazetteer.departments()}
    regions = {
        f["properties"]["code"]: f["properties"]["nom"]
        for f in json.loads((DATA_DIR / REGION_OUTLINES_FILE).read_text(encoding="utf-8"))[
            "features"
        ]
    }
    assert len(regions) == 18 and regions["44"] == "Grand Est"


@pytest.mark.parametrize(
    ("lat", "lon", "department"),
    [
        (48.5734, 7.7521, "67"),  # Strasbourg
        (45.7640, 4.8357, "69"),  # Lyon
        (48.8566, 2.3522, "75"),  # Paris
        (41.9192, 8.7386, "2A"),  # Ajaccio
        (42.6973, 9.4509, "2B"),  # Bastia
        (-20.8789, 55.4481, "974"),  # Saint-Denis, La Réunion
        (16.2411, -61.5331, "971"),  # Pointe-à-Pitre
        (-12.7806, 45.2279, "976"),  # Mamoudzou
        (43.2951, 5.3610, "13"),  # Marseille, Vieux-Port (on the shore)
    ],
)
def test_a_point_is_in_its_department(lat: float, lon: float, department: str) -> None:
    assert department_at(lat, lon) == department


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(51.5074, -0.1278), (50.8503, 4.3517), (46.2044, 6.1432), (45.0, -5.0), (0.0, 0.0)],
)
def test_a_point_outside_france_has_no_department(lat: float, lon: float) -> None:
    assert department_at(lat, lon) is None


def test_town_halls_fall_in_their_own_department() -> None:
    communes = [c for c in get_gazetteer().communes() if c.kind == "COM"]
    wrong = [c.code for c in communes[::25] if department_at(c.lat, c.lon) != c.department]
    # Simplified borders may put a town hall right on a border in the neighbour.
    assert len(wrong) <= len(communes[::25]) // 100
