"""The per-process index of the published directory: same answers as the database, refreshed
by every publication."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, event
from sqlalchemy.orm import Session, sessionmaker

import geodata.orientation.nearest
import geodata.orientation.published
from geodata.contract.records import Location, SiteRecord
from geodata.geocoding.precision import Precision
from geodata.orientation.eligibility import Patient, Reason
from geodata.orientation.index import MAX_LIST_CODES, ListColumn, TooManyCodes
from geodata.orientation.published import holder_of, published_index, set_max_age
from geodata.orientation.search import Hit, Orientation, database_search, nearest_sites
from geodata.publishing.versions import publish
from geodata.storage.models import Site
from geodata.storage.networks import ensure_network
from tests.geodata.orientation.test_search import (
    CANCERS,
    HOME,
    PATIENT,
    SOINS,
    east,
    ids,
    put,
    random_site,
    reference,
)
from tests.helpers import site

NETWORKS = ["neon", "onco-aura", "onco-occitanie"]
SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def both(
    session: Session, patient: Patient, at: tuple[float, float], **options: object
) -> Orientation:
    """Return the index's answer, after checking that the database gives the very same."""
    found = nearest_sites(session, patient, *at, **options)  # type: ignore[arg-type]
    assert found == database_search(session, patient, *at, **options)  # type: ignore[arg-type]
    return found


@pytest.fixture(params=["whole", "grid"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read the index whole (small directories) or cell by cell around the patient (large), from
    a cap small enough to grow a few times."""
    if request.param == "grid":
        monkeypatch.setattr(geodata.orientation.nearest, "WHOLE_BELOW", 0)
        monkeypatch.setattr(geodata.orientation.nearest, "SITES_PER_FIRST_CAP", 0.5)
    return str(request.param)


patients = st.builds(
    lambda cancer, age, soins, zone: replace(
        PATIENT, cancer=cancer, age=age, soins=tuple(soins), zone_codes=frozenset(zone)
    ),
    cancer=st.sampled_from(["sein", "digestif", "poumon", "autre"]),
    age=st.sampled_from([4, 16, 22, 54, 120]),
    soins=st.lists(st.sampled_from(SOINS), max_size=3, unique=True),
    zone=st.sampled_from([(), ("67", "67482"), ("68",), ("67", "68", "67482")]),
)
places = st.sampled_from([HOME, (48.1, 7.3), (-21.1151, 55.5364), (-13.3, 179.5), (89.9, 0.0)])


@SLOW
@given(
    seed=st.integers(0, 10**6),
    sizes=st.lists(st.integers(0, 120), min_size=3, max_size=3),
    patient=patients,
    at=places,
    limit=st.integers(1, 8),
    networks=st.lists(st.sampled_from([*NETWORKS, "unknown"]), max_size=2, unique=True),
)
def test_the_index_answers_exactly_as_the_database_search(
    session: Session,
    reading: str,
    seed: int,
    sizes: list[int],
    patient: Patient,
    at: tuple[float, float],
    limit: int,
    networks: list[str],
) -> None:
    rng = random.Random(seed)
    for network, size in zip(NETWORKS, sizes, strict=True):
        put(session, [random_site(rng, i) for i in range(size)], network=network)
    both(session, patient, at, limit=limit, networks=networks)


@SLOW
@given(seed=st.integers(0, 10**6), rounds=st.integers(2, 4), limit=st.integers(1, 6))
def test_every_publication_refreshes_the_answers_which_match_the_reference(
    session: Session, reading: str, seed: int, rounds: int, limit: int
) -> None:
    session.execute(delete(Site))  # what earlier examples published
    rng = random.Random(seed)
    directory: dict[str, list[SiteRecord]] = {network: [] for network in NETWORKS}
    for _ in range(rounds):
        network = rng.choice(NETWORKS)
        directory[network] = [spread_site(rng, i) for i in range(rng.randint(0, 80))]
        put(session, directory[network], network=network)
        patient = replace(PATIENT, soins=tuple(rng.sample(SOINS, rng.randint(0, 2))))
        found = both(session, patient, HOME, limit=limit)
        every = [record for records in directory.values() for record in records]
        results, left_out = reference(every, patient, limit)
        assert summary(found.results) == [(round(km, 6), r.nom, ()) for km, r, _ in results]
        assert summary(found.left_out) == [(round(km, 6), r.nom, why) for km, r, why in left_out]


def spread_site(rng: random.Random, index: int) -> SiteRecord:
    """Return a random site placed anywhere (no two at the same distance), named uniquely."""
    lat, lon = rng.uniform(47.0, 50.0), rng.uniform(5.0, 10.0)
    location = Location(lat, lon, "67482", "67", Precision.GIVEN, 1.0)
    return replace(random_site(rng, index), nom=f"site {rng.random()}", location=location)


def summary(hits: Sequence[Hit]) -> list[tuple[float, str, tuple[Reason, ...]]]:
    return [(round(hit.distance_km, 6), hit.record.nom, hit.reasons) for hit in hits]


def test_many_patients_searching_one_index_get_the_database_answers(
    session: Session, reading: str
) -> None:
    rng = random.Random(11)
    put(session, [spread_site(rng, i) for i in range(150)])
    put(session, [spread_site(rng, i) for i in range(60)], network="onco-aura")
    for _ in range(60):
        patient = replace(
            PATIENT,
            cancer=rng.choice(["sein", "digestif", "poumon", "autre"]),
            age=rng.choice([4, 16, 22, 54]),
            soins=tuple(rng.sample(SOINS, rng.randint(0, 3))),
            zone_codes=frozenset(rng.sample(["67", "68", "67482", "69"], rng.randint(0, 2))),
        )
        at = (rng.uniform(46.5, 50.5), rng.uniform(4.5, 10.5))
        both(session, patient, at, limit=rng.randint(1, 8))


def test_sites_across_the_antimeridian_or_near_a_pole_are_found_as_in_the_database(
    session: Session, reading: str
) -> None:
    rng = random.Random(5)
    spots = [(-13.5, 179.9), (-13.28, -176.17), (-16.5, 179.2), (89.5, 20.0), (88.9, -150.0)]
    records = []
    for n, (lat, lon) in enumerate(spots * 6):
        location = Location(lat + rng.uniform(-0.4, 0.4), lon, "98613", "986", Precision.GIVEN, 1.0)
        records.append(replace(random_site(rng, n), location=location))
    put(session, records)
    for at in [(-13.3, 179.95), (-13.3, -179.95), (89.99, 0.0), (-89.0, 10.0)]:
        for limit in (1, 3, 8):
            both(session, replace(PATIENT, zone_codes=frozenset()), at, limit=limit)


def test_a_network_publishing_refreshes_the_index(session: Session) -> None:
    put(session, [east(10, "A")])
    assert ids(nearest_sites(session, PATIENT, *HOME).results) == ["A"]
    before = published_index(session)
    put(session, [east(5, "B")], network="onco-aura")
    after = published_index(session)
    assert before is not None and after is not None and after is not before
    assert after.stamp != before.stamp and len(after.index) == 2
    assert ids(nearest_sites(session, PATIENT, *HOME).results) == ["B", "A"]


def test_the_index_is_kept_while_nothing_is_published(session: Session) -> None:
    put(session, [east(10, "A")])
    assert published_index(session) is published_index(session)


def test_a_republished_site_shows_its_new_details_not_the_kept_record(session: Session) -> None:
    put(session, [east(10, "A", nom="Avant")])
    assert nearest_sites(session, PATIENT, *HOME).results[0].record.nom == "Avant"
    put(session, [east(10, "A", nom="Après")])
    assert nearest_sites(session, PATIENT, *HOME).results[0].record.nom == "Après"


def test_an_index_keeps_the_directory_as_it_was_when_built(session: Session) -> None:
    put(session, [east(10, "A", nom="Avant")])
    old = published_index(session)
    assert old is not None
    put(session, [east(10, "A", nom="Après")])
    assert old.record(int(old.index.ids[0])).nom == "Avant"
    assert nearest_sites(session, PATIENT, *HOME).results[0].record.nom == "Après"


@pytest.mark.parametrize("cached", [True, False])
def test_the_index_gives_back_each_published_record_whole(
    session: Session, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    if not cached:
        monkeypatch.setattr(geodata.orientation.published, "MAX_CACHED_RECORDS", 0)
    location = Location(48.58, 7.75, "67482", "67", Precision.HOUSENUMBER, 0.87)
    full = site(
        "FULL", structure_porteuse="CHU", latitude=48.58, longitude=7.75, telephone="0388000000",
        courriel="a@b.fr", site_web="https://b.fr", zone=("67", "68066"), actif=False,
        precisions="Sur rendez-vous", location=location, cancers=("sein", "digestif"),
        publics=("adultes", "enfants"), soins=("psychologie", "dietetique"),
    )  # fmt: skip
    records = {record.identifiant: record for record in (full, east(2, "PLAIN"))}
    put(session, list(records.values()))
    published = published_index(session)
    assert published is not None
    for site_id in published.index.ids.tolist():
        record = published.record(site_id)
        assert record == records[record.identifiant]
        assert published.record(site_id) == record
    assert len(published.cache) == (2 if cached else 0)


def test_left_out_teams_come_from_the_index_with_their_reasons(session: Session) -> None:
    put(session, [east(3, "KIDS", publics=("enfants",)), east(5, "SHUT", actif=False)])
    put(session, [east(8, "OPEN")], network="onco-aura")
    found = both(session, PATIENT, HOME)
    assert ids(found.results) == ["OPEN"]
    assert [(hit.network, [r.code for r in hit.reasons]) for hit in found.left_out] == [
        ("neon", ["age"]),
        ("neon", ["inactif"]),
    ]


def test_a_care_no_site_offers_leaves_every_site_out(session: Session) -> None:
    put(
        session,
        [east(3, "DIET", soins=("dietetique",)), east(5, "MOVE", soins=("activite_physique",))],
    )
    found = both(session, replace(PATIENT, soins=("psychologie",)), HOME, limit=2)
    assert found.results == () and ids(found.left_out) == ["DIET", "MOVE"]
    assert {r.code for hit in found.left_out for r in hit.reasons} == {"soins"}


def test_while_another_thread_builds_the_index_the_database_answers(session: Session) -> None:
    put(session, [east(10, "A")])
    with holder_of(session.get_bind().engine).building:
        assert published_index(session) is None
        assert ids(nearest_sites(session, PATIENT, *HOME).results) == ["A"]
    assert published_index(session) is not None


def test_a_list_column_of_more_codes_than_bits_is_refused() -> None:
    ListColumn.of(["|".join(f"c{n}" for n in range(MAX_LIST_CODES))])
    with pytest.raises(TooManyCodes):
        ListColumn.of(["|".join(f"c{n}" for n in range(MAX_LIST_CODES + 1))])


def test_a_directory_the_index_cannot_hold_is_searched_in_the_database(session: Session) -> None:
    many = [east(n + 1, f"S{n}", cancers=(f"code{n}", *CANCERS[:1])) for n in range(70)]
    publish(session, ensure_network(session, "neon"), many)
    session.flush()
    assert published_index(session) is None
    assert ids(nearest_sites(session, PATIENT, *HOME, limit=2).results) == ["S0", "S1"]


def test_threads_sharing_the_index_get_the_same_answers(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        rng = random.Random(7)
        put(session, [random_site(rng, i) for i in range(300)])
    answers: list[Orientation] = []

    def work() -> None:
        with sessions() as session:
            answers.extend(nearest_sites(session, PATIENT, *HOME, limit=5) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 80 and all(answer == answers[0] for answer in answers)


def test_the_index_names_the_network_with_most_sites_in_departments(session: Session) -> None:
    lyon = Location(45.76, 4.84, "69123", "69", Precision.GIVEN, 1.0)
    put(session, [east(1, "N1"), east(2, "N2")])
    put(session, [east(3, "A1"), *(site(f"L{n}", location=lyon) for n in range(3))], "onco-aura")
    published = published_index(session)
    assert published is not None
    assert published.busiest_network(["67"]) == "neon"
    assert published.busiest_network(["67", "69"]) == "onco-aura"
    assert published.busiest_network(["75", "2A"]) is None


# --- how long an index is trusted without reading the stamp (`set_max_age`) -------------------


def statements_during(engine: Engine, action: Callable[[], object]) -> list[str]:
    """Return the SQL statements `engine` ran while `action` ran."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def commit_sites(sessions: sessionmaker[Session], records: Sequence[SiteRecord]) -> None:
    with sessions() as writer, writer.begin():
        publish(writer, ensure_network(writer, "neon"), records)


def found(sessions: sessionmaker[Session]) -> list[str]:
    """Return the ids of the sites a new session's search finds (as a new request would)."""
    with sessions() as reader:
        return ids(nearest_sites(reader, PATIENT, *HOME).results)


def test_a_trusted_index_answers_without_a_statement(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    commit_sites(sessions, [east(10, "A")])
    set_max_age(engine, 60)
    with sessions() as reader:
        assert ids(nearest_sites(reader, PATIENT, *HOME).results) == ["A"]
        assert statements_during(engine, lambda: nearest_sites(reader, PATIENT, *HOME)) == []


def test_a_publication_committed_in_this_process_is_seen_at_once(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    commit_sites(sessions, [east(10, "A")])
    set_max_age(engine, 60)
    assert found(sessions) == ["A"]
    commit_sites(sessions, [east(10, "A"), east(5, "B")])
    assert found(sessions) == ["B", "A"]


def test_a_write_outside_this_process_sessions_is_seen_once_the_index_is_too_old(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    commit_sites(sessions, [east(10, "A"), east(5, "B")])
    set_max_age(engine, 0.3)
    assert found(sessions) == ["B", "A"]
    # Another process: the same statement, from a plain connection this process does not watch
    # (B has the highest site id, which the stamp holds).
    with engine.begin() as connection:
        connection.execute(delete(Site).where(Site.identifiant == "B"))
    assert found(sessions) == ["B", "A"]
    time.sleep(0.35)
    assert found(sessions) == ["A"]


def test_a_rolled_back_publication_changes_nothing_and_the_index_stays_trusted(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    commit_sites(sessions, [east(10, "A")])
    set_max_age(engine, 60)
    with sessions() as reader:
        nearest_sites(reader, PATIENT, *HOME)
    with sessions() as writer:
        publish(writer, ensure_network(writer, "neon"), [east(5, "B")])
        writer.flush()
        writer.rollback()
    with sessions() as reader:
        assert statements_during(engine, lambda: nearest_sites(reader, PATIENT, *HOME)) == []
        assert ids(nearest_sites(reader, PATIENT, *HOME).results) == ["A"]
