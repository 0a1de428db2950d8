"""The coverage core on both databases, against a brute-force reference."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import pytest
from sqlalchemy.orm import Session

from geodata.contract.records import Location, SiteRecord
from geodata.coverage.area import area_of, communes_in
from geodata.coverage.sites import Profile
from geodata.coverage.study import CoverageRequest, Study, check_profile, study_coverage
from geodata.errors import InvalidValue
from geodata.geo import haversine_km
from geodata.geocoding.precision import Precision
from geodata.orientation.eligibility import Patient, reasons
from geodata.publishing.versions import publish
from geodata.reference.gazetteer import Commune, Gazetteer, get_gazetteer
from geodata.storage.networks import ensure_network
from tests.helpers import site

ALSACE = ("67", "68")
PROFILE = Profile("sein", 54, ("dietetique",))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def at(commune: Commune, ident: str, **changes: object) -> SiteRecord:
    """Return a site placed at `commune`'s town hall."""
    location = Location(
        commune.lat, commune.lon, commune.code, commune.department, Precision.GIVEN, 1.0
    )
    return site(ident, location=location, **changes)


def town(gazetteer: Gazetteer, code: str) -> Commune:
    found = gazetteer.commune(code)
    assert found is not None
    return found


def put(session: Session, records: Sequence[SiteRecord], network: str = "neon") -> None:
    publish(session, ensure_network(session, network), records)
    session.flush()


def study(
    session: Session,
    gazetteer: Gazetteer,
    profile: Profile = PROFILE,
    candidates: tuple[str, ...] = (),
    km: float = 30.0,
) -> Study:
    request = CoverageRequest(
        profile, area_of(gazetteer, departments=ALSACE), km, candidates=candidates
    )
    return study_coverage(session, gazetteer, request)


def reference(
    gazetteer: Gazetteer, records: Sequence[SiteRecord], profile: Profile
) -> dict[str, tuple[str, float] | None]:
    """Return each Alsace commune's nearest eligible site by brute force: every pair."""
    answer: dict[str, tuple[str, float] | None] = {}
    for commune in communes_in(gazetteer, area_of(gazetteer, departments=ALSACE)):
        patient = Patient(
            profile.cancer,
            profile.age,
            profile.soins,
            commune.code,
            commune.department,
            frozenset({commune.code, commune.department}),
        )
        best: tuple[str, float] | None = None
        for record in records:
            assert record.location is not None
            if reasons(record, patient):
                continue
            km = haversine_km(commune.lat, commune.lon, record.location.lat, record.location.lon)
            if best is None or km < best[1]:
                best = (record.identifiant, km)
        answer[commune.code] = best
    return answer


def answers(result: Study) -> dict[str, tuple[str, float] | None]:
    found: dict[str, tuple[str, float] | None] = {}
    for index, commune in enumerate(result.nearest.communes):
        nearest = result.nearest.site_of(index)
        distance = float(result.nearest.distance_km[index])
        found[commune.code] = None if nearest is None else (nearest.identifiant, distance)
    return found


def random_sites(gazetteer: Gazetteer, count: int, seed: int) -> list[SiteRecord]:
    rng = random.Random(seed)
    communes = [
        c
        for c in gazetteer.communes()
        if c.kind == "COM" and c.department in ("67", "68", "57", "88", "90")
    ]
    records = []
    for n in range(count):
        commune = rng.choice(communes)
        records.append(
            at(
                commune,
                f"S{n:03d}",
                cancers=rng.choice([("tous",), ("sein",), ("digestif",), ("sein", "poumon")]),
                publics=rng.choice([("adultes",), ("aja",), ("adultes", "aja")]),
                soins=rng.choice(
                    [("dietetique",), ("psychologie",), ("dietetique", "psychologie")]
                ),
                zone=rng.choice([(), (), ("67",), ("68",), (commune.code,), ("67", "68")]),
                actif=rng.random() > 0.15,
            )
        )
    return records


def test_every_communes_nearest_site_is_the_brute_force_one(
    session: Session, gazetteer: Gazetteer
) -> None:
    records = random_sites(gazetteer, 60, seed=7)
    put(session, records)
    found = answers(study(session, gazetteer))
    expected = reference(gazetteer, records, PROFILE)
    assert found.keys() == expected.keys() and len(found) > 800
    for code, want in expected.items():
        got = found[code]
        assert (got is None) == (want is None), code
        if got is not None and want is not None:
            assert got[0] == want[0], code
            assert abs(got[1] - want[1]) < 0.01, code


@pytest.mark.parametrize(
    ("changes", "profile"),
    [
        ({"zone": ("68",)}, PROFILE),  # a team of the Haut-Rhin only
        ({"actif": False}, PROFILE),
        ({"publics": ("aja",)}, PROFILE),  # 15-25 years, the patient is 54
        ({"soins": ("psychologie",)}, PROFILE),
        ({"cancers": ("digestif",)}, PROFILE),
    ],
)
def test_a_rule_that_excludes_the_close_site_sends_strasbourg_further(
    session: Session, gazetteer: Gazetteer, changes: dict[str, object], profile: Profile
) -> None:
    strasbourg, colmar = town(gazetteer, "67482"), town(gazetteer, "68066")
    put(session, [at(strasbourg, "CLOSE", **changes), at(colmar, "FAR")])
    found = answers(study(session, gazetteer, profile))
    assert found["67482"] is not None and found["67482"][0] == "FAR"
    assert found["67482"][1] == pytest.approx(
        haversine_km(strasbourg.lat, strasbourg.lon, colmar.lat, colmar.lon), abs=0.01
    )


def test_a_commune_no_site_serves_has_no_distance_and_counts_as_without(
    session: Session, gazetteer: Gazetteer
) -> None:
    put(session, [at(town(gazetteer, "68066"), "COLMAR", zone=("68",))])
    result = study(session, gazetteer)
    assert answers(result)["67482"] is None
    bas_rhin = next(f for f in result.summary.departments if f.code == "67")
    assert bas_rhin.without == bas_rhin.population and bas_rhin.within == 0


def test_population_within_and_beyond_add_up_by_department(
    session: Session, gazetteer: Gazetteer
) -> None:
    put(session, random_sites(gazetteer, 20, seed=3))
    summary = study(session, gazetteer).summary
    for figures in (*summary.departments, summary.total):
        assert figures.within + figures.beyond + figures.without == figures.population
    assert sum(f.population for f in summary.departments) == summary.total.population
    communes = communes_in(gazetteer, area_of(gazetteer, departments=ALSACE))
    assert summary.total.population == sum(c.population for c in communes)


def test_a_candidate_site_changes_exactly_the_communes_it_is_nearest_to(
    session: Session, gazetteer: Gazetteer
) -> None:
    records = random_sites(gazetteer, 15, seed=11)
    put(session, records)
    result = study(session, gazetteer, candidates=("68000 Colmar",))
    colmar = town(gazetteer, "68066")
    before = reference(gazetteer, records, PROFILE)
    expected = set()
    for index, commune in enumerate(result.nearest.communes):
        km = haversine_km(commune.lat, commune.lon, colmar.lat, colmar.lon)
        previous = before[commune.code]
        if previous is None or km < previous[1]:
            expected.add(index)
    assert set(result.changed) == expected and expected
    assert result.before is not None
    assert result.summary.total.within >= result.before.total.within


def test_a_candidate_that_places_nothing_is_refused_in_french(
    session: Session, gazetteer: Gazetteer
) -> None:
    with pytest.raises(InvalidValue, match="introuvable"):
        study(session, gazetteer, candidates=("Zzyzxville",))


def test_an_unknown_cancer_or_department_is_refused_with_the_accepted_codes(
    gazetteer: Gazetteer,
) -> None:
    with pytest.raises(InvalidValue, match="sein"):
        check_profile("seins", 54, ())
    with pytest.raises(InvalidValue, match="Département inconnu"):
        area_of(gazetteer, departments=["99"])


def test_without_sites_every_distance_is_unknown(session: Session, gazetteer: Gazetteer) -> None:
    result = study(session, gazetteer)
    assert all(math.isnan(d) for d in result.nearest.distance_km)
    assert result.summary.total.without == result.summary.total.population
