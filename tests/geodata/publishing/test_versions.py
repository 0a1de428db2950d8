from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from geodata.contract.records import SiteRecord
from geodata.errors import PublicationNotFound
from geodata.publishing.versions import (
    current_version,
    list_publications,
    publication_records,
    publish,
    published_records,
    restore,
)
from geodata.storage.models import Network, Site
from geodata.storage.networks import add_network, get_network
from tests.helpers import site


@pytest.fixture(autouse=True)
def neon(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        add_network(session, "neon", "NEON")


def _network(session: Session) -> Network:
    return get_network(session, "neon")


def _publish(sessions: sessionmaker[Session], records: list[SiteRecord]) -> int | None:
    with sessions() as session, session.begin():
        publication = publish(session, _network(session), records, author="test")
        return publication.number if publication else None


def current(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return [r.identifiant for r in published_records(session, _network(session))]


def test_first_publication_is_version_one_and_stores_every_site(
    sessions: sessionmaker[Session],
) -> None:
    assert _publish(sessions, [site("A"), site("B")]) == 1
    assert current(sessions) == ["A", "B"]


def test_published_records_read_back_equal_to_what_was_published(
    sessions: sessionmaker[Session],
) -> None:
    records = [site("A", zone=("67", "68"), telephone="03 88 00 00 00", latitude=48.58)]
    _publish(sessions, records)
    with sessions() as session:
        [back] = published_records(session, _network(session))
    assert back.contract_values() == records[0].contract_values()
    assert back.location is not None and records[0].location is not None
    assert back.location.lat == pytest.approx(records[0].location.lat)


def test_publishing_the_same_directory_again_creates_no_version(
    sessions: sessionmaker[Session],
) -> None:
    _publish(sessions, [site("A")])
    assert _publish(sessions, [site("A")]) is None
    with sessions() as session:
        assert current_version(session, _network(session)) == 1


def test_versions_are_listed_newest_first_with_their_counts(
    sessions: sessionmaker[Session],
) -> None:
    _publish(sessions, [site("A"), site("B")])
    _publish(sessions, [site("B", nom="Nouveau nom"), site("C")])
    with sessions() as session:
        versions = list_publications(session, _network(session))
    assert [(v.number, v.added, v.changed, v.removed, v.total) for v in versions] == [
        (2, 1, 1, 1, 2),
        (1, 2, 0, 0, 2),
    ]


def test_restoring_a_version_publishes_it_again_as_a_new_version(
    sessions: sessionmaker[Session],
) -> None:
    _publish(sessions, [site("A"), site("B")])
    _publish(sessions, [site("C")])
    with sessions() as session, session.begin():
        publication = restore(session, _network(session), 1)
        assert publication is not None and publication.number == 3
    assert current(sessions) == ["A", "B"]
    with sessions() as session:
        assert [r.identifiant for r in publication_records(session, _network(session), 2)] == ["C"]


def test_restoring_an_unknown_version_says_so(sessions: sessionmaker[Session]) -> None:
    _publish(sessions, [site("A")])
    with sessions() as session, pytest.raises(PublicationNotFound) as info:
        restore(session, _network(session), 7)
    assert "version n° 7" in info.value.message


def test_a_database_failure_during_publish_leaves_the_previous_version_published(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    _publish(sessions, [site("A"), site("B")])

    def fail_on_publication(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO PUBLICATIONS"):
            raise RuntimeError("simulated database failure")

    event.listen(engine, "before_cursor_execute", fail_on_publication)
    try:
        with pytest.raises(RuntimeError, match="simulated"):
            _publish(sessions, [site("C")])
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_publication)
    assert current(sessions) == ["A", "B"]
    with sessions() as session:
        assert current_version(session, _network(session)) == 1
        assert session.scalar(select(func.count()).select_from(Site)) == 2
