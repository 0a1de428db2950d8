from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.orm import Session

from geodata.contract.records import Location, SiteRecord
from geodata.geo import haversine_km
from geodata.geocoding.precision import Precision
from geodata.orientation.eligibility import Patient, Reason, reasons
from geodata.orientation.search import Hit, Orientation, database_search, nearest_sites
from geodata.orientation.spatial import bounding_boxes
from geodata.publishing.versions import publish
from geodata.storage.models import Site
from geodata.storage.networks import ensure_network
from tests.helpers import site

# The patient lives in Strasbourg (67482); sites are placed at given distances east of it.
HOME = (48.5839, 7.7455)
PATIENT = Patient("sein", 54, ("dietetique",), "67482", "67", frozenset({"67482", "67"}))


def east(km: float, ident: str, **changes: object) -> SiteRecord:
    """Return a site `km` kilometres east of the patient (along the parallel, close enough)."""
    lon = HOME[1] + km / (111.195 * 0.6624)
    location = Location(HOME[0], lon, "67482", "67", Precision.GIVEN, 1.0)
    return site(ident, location=location, **changes)


def put(session: Session, records: Sequence[SiteRecord], network: str = "neon") -> None:
    publish(session, ensure_network(session, network), records)
    session.flush()


def ids(hits: Sequence[Hit]) -> list[str]:
    return [hit.record.identifiant for hit in hits]


Search = Callable[..., Orientation]


@pytest.fixture(params=["index", "database"])
def search(request: pytest.FixtureRequest, session: Session) -> Search:
    """Return the search from the process's index (`nearest_sites`) or the database alone."""
    function = nearest_sites if request.param == "index" else database_search

    def run(
        patient: Patient = PATIENT, at: tuple[float, float] = HOME, **options: Any
    ) -> Orientation:
        return function(session, patient, *at, **options)

    return run


def test_eligible_sites_are_ranked_nearest_first_with_their_distance(
    session: Session, search: Search
) -> None:
    put(session, [east(30, "C"), east(10, "A"), east(20, "B")])
    found = search()
    assert ids(found.results) == ["A", "B", "C"]
    assert found.results[0].distance_km == pytest.approx(10, abs=0.1)
    assert found.results[0].network == "neon"
    assert found.left_out == ()


def test_results_stop_at_the_limit(session: Session, search: Search) -> None:
    put(session, [east(km, f"S{km}") for km in range(1, 9)])
    assert ids(search(limit=3).results) == ["S1", "S2", "S3"]


def test_closer_team_for_children_only_is_reported_with_reason(
    session: Session, search: Search
) -> None:
    put(session, [east(5, "KIDS", publics=("enfants",)), east(12, "ADULTS"), east(3, "FAR")])
    put(session, [east(50, "BEYOND", publics=("enfants",))], network="other")
    found = search(limit=2)
    assert ids(found.results) == ["FAR", "ADULTS"]
    assert ids(found.left_out) == ["KIDS"]
    assert [r.message for r in found.left_out[0].reasons] == ["Réservé aux enfants (0-17 ans)"]


def test_inactive_sites_are_left_out(session: Session, search: Search) -> None:
    put(session, [east(1, "CLOSED", actif=False), east(2, "OPEN")])
    found = search()
    assert ids(found.results) == ["OPEN"]
    assert [r.code for r in found.left_out[0].reasons] == ["inactif"]


def test_networks_filter_keeps_only_the_named_networks(session: Session, search: Search) -> None:
    put(session, [east(1, "N1")], network="neon")
    put(session, [east(2, "A1")], network="onco-aura")
    assert ids(search(networks=["onco-aura"]).results) == ["A1"]
    assert ids(search(networks=["neon", "onco-aura"]).results) == ["N1", "A1"]


@pytest.mark.parametrize("zone", [("67",), ("68", "67482"), ("69123",)])
def test_zone_naming_the_department_commune_or_parent_city_includes_the_patient(
    session: Session, search: Search, zone: tuple[str, ...]
) -> None:
    lyon_3e = replace(PATIENT, zone_codes=frozenset({"69383", "69123", "69", "67", "67482"}))
    put(session, [east(1, "ZONED", zone=zone)])
    assert ids(search(lyon_3e).results) == ["ZONED"]


def test_site_serving_another_territory_is_left_out_with_its_zone(
    session: Session, search: Search
) -> None:
    put(session, [east(1, "ZONED", zone=("68", "90")), east(2, "OPEN")])
    found = search()
    assert ids(found.results) == ["OPEN"]
    assert (
        found.left_out[0].reasons[0].message
        == "Ne dessert pas ce territoire (Haut-Rhin (68), Territoire de Belfort (90))"
    )


def test_no_site_at_all_gives_an_empty_answer(session: Session, search: Search) -> None:
    assert search() == Orientation((), ())


def test_no_eligible_site_reports_the_nearest_sites_left_out(
    session: Session, search: Search
) -> None:
    put(session, [east(km, f"K{km}", publics=("enfants",)) for km in range(1, 9)])
    found = search(limit=3)
    assert found.results == ()
    assert ids(found.left_out) == ["K1", "K2", "K3"]


def test_fewer_eligible_sites_than_the_limit_are_all_returned(
    session: Session, search: Search
) -> None:
    put(session, [east(900, "FAR"), east(400, "MID", cancers=("poumon",)), east(1, "NEAR")])
    found = search(limit=5)
    assert ids(found.results) == ["NEAR", "FAR"]
    assert ids(found.left_out) == ["MID"]


def test_patient_far_from_every_site_still_finds_the_nearest(
    session: Session, search: Search
) -> None:
    put(session, [east(km, f"M{km}") for km in (10, 20, 30)])
    reunion = search(at=(-21.1151, 55.5364), limit=2)
    assert ids(reunion.results) == ["M30", "M20"]  # the east is a little closer to Réunion
    nearest = reunion.results[0].record.location
    assert nearest is not None
    expected = haversine_km(-21.1151, 55.5364, nearest.lat, nearest.lon)
    assert reunion.results[0].distance_km == pytest.approx(expected, abs=1e-6)


def test_sites_across_the_antimeridian_are_found(session: Session, search: Search) -> None:
    wallis = Location(-13.28, -176.17, "98613", "986", Precision.GIVEN, 1.0)
    fiji = Location(-13.5, 179.9, "98613", "986", Precision.GIVEN, 1.0)
    put(session, [site("WALLIS", location=wallis), site("WEST", location=fiji)])
    found = search(replace(PATIENT, zone_codes=frozenset()), at=(-13.3, 179.5))
    assert ids(found.results) == ["WEST", "WALLIS"]


def test_bounding_boxes_split_at_the_antimeridian_and_cover_the_poles() -> None:
    assert len(bounding_boxes(-13.3, 179.5, 100) or []) == 2
    [(west, south, east, north)] = bounding_boxes(80.0, 0.0, 2000) or []
    assert (west, east, north) == (-180.0, 180.0, 90.0)
    assert south == pytest.approx(62.0, abs=0.1)
    assert bounding_boxes(0.0, 0.0, 30_000) is None


# --- agreement with a brute-force reference -------------------------------------------------

CANCERS = ["tous", "sein", "digestif", "poumon"]
PUBLICS = [("adultes",), ("enfants",), ("aja",), ("aja", "adultes"), ("enfants", "aja")]
SOINS = ["activite_physique", "dietetique", "psychologie"]
ZONES = [(), (), ("67",), ("68",), ("67482",), ("67", "68")]


def random_site(rng: random.Random, index: int) -> SiteRecord:
    # Coordinates on a coarse grid so that ties in distance happen.
    lat = round(rng.uniform(47.0, 50.0), 1)
    lon = round(rng.uniform(5.0, 10.0), 1)
    return site(
        f"R{index:04d}",
        cancers=tuple(rng.sample(CANCERS, rng.randint(1, 2))),
        publics=rng.choice(PUBLICS),
        soins=tuple(rng.sample(SOINS, rng.randint(1, 3))),
        zone=rng.choice(ZONES),
        actif=rng.random() > 0.1,
        location=Location(lat, lon, "67482", "67", Precision.GIVEN, 1.0),
    )


Expected = tuple[float, SiteRecord, tuple[Reason, ...]]


def reference(
    records: Sequence[SiteRecord], patient: Patient, limit: int
) -> tuple[list[Expected], list[Expected]]:
    """Return the expected results and left-out sites as (distance, record, reasons)."""
    ranked = sorted(
        ((distance(r), r, reasons(r, patient)) for r in records), key=lambda item: item[0]
    )
    eligible = [item for item in ranked if not item[2]][:limit]
    if not eligible:
        return [], ranked[:limit]
    farthest = eligible[-1][0]
    return eligible, [item for item in ranked if item[2] and item[0] < farthest]


def distance(record: SiteRecord) -> float:
    assert record.location is not None
    return haversine_km(*HOME, record.location.lat, record.location.lon)


def assert_matches(found: Sequence[Hit], expected: Sequence[Expected], boundary: float) -> None:
    """Same distances to 1 m, same reasons; which of several tied sites may differ."""
    assert [h.distance_km for h in found] == pytest.approx([e[0] for e in expected], abs=1e-3)
    for hit, (km, _record, why) in zip(found, expected, strict=True):
        tied = {e[1].identifiant for e in expected if abs(e[0] - km) < 1e-3}
        assert hit.record.identifiant in tied or abs(km - boundary) < 1e-3
        assert hit.reasons == why


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    count=st.integers(0, 300),
    cancer=st.sampled_from(["sein", "digestif", "poumon", "autre"]),
    age=st.sampled_from([4, 16, 22, 54]),
    soins=st.lists(st.sampled_from(SOINS), min_size=0, max_size=3, unique=True),
    limit=st.integers(1, 8),
)
def test_search_agrees_with_a_brute_force_reference(
    session: Session,
    search: Search,
    seed: int,
    count: int,
    cancer: str,
    age: int,
    soins: list[str],
    limit: int,
) -> None:
    rng = random.Random(seed)
    records = [random_site(rng, i) for i in range(count)]
    session.execute(delete(Site))
    put(session, records)
    patient = replace(PATIENT, cancer=cancer, age=age, soins=tuple(soins))
    found = search(patient, limit=limit)
    results, left_out = reference(records, patient, limit)
    boundary = (results or left_out)[-1][0] if results or left_out else 0.0
    # The answer's hits carry no reasons for results, the records' own for left-out sites.
    assert_matches(found.results, [(km, r, ()) for km, r, _why in results], boundary)
    assert_matches(found.left_out, left_out, boundary)
