"""Publishing never loses a directory by mistake, on both databases: a file removing more than
half of the sites needs a confirmation, and pending imports are pruned and bounded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import CheckTooLarge, MassRemoval
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing import pending as pending_imports
from geodata.publishing.importing import ImportCheck, check_file, publish_check
from geodata.publishing.pending import PendingInfo, publish_pending, save_check
from geodata.publishing.versions import current_version, published_records
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.models import PendingImport, utcnow
from geodata.storage.networks import add_network, get_network

HEADER = "identifiant;nom;adresse;code_postal;commune;latitude;longitude;cancers;publics;soins"


def csv(*idents: str) -> bytes:
    rows = [f"{i};Équipe {i};1 rue;67000;Strasbourg;;;tous;adultes;dietetique" for i in idents]
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def networks(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        add_network(session, "neon", "NEON")
        add_network(session, "onco-aura", "ONCO AURA")


def checked(session: Session, data: bytes, slug: str = "neon") -> ImportCheck:
    gazetteer = get_gazetteer()
    network = get_network(session, slug)
    return check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))


def publish(sessions: sessionmaker[Session], data: bytes, *, confirmed: bool = False) -> int:
    with sessions() as session, session.begin():
        network = get_network(session, "neon")
        check = checked(session, data)
        publication = publish_check(session, network, check, confirmed=confirmed)
        return publication.number if publication else 0


def published(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return [r.identifiant for r in published_records(session, get_network(session, "neon"))]


def save(
    sessions: sessionmaker[Session], data: bytes, slug: str = "neon", keep_days: int = 7
) -> PendingInfo:
    with sessions() as session, session.begin():
        network = get_network(session, slug)
        check = checked(session, data, slug)
        return save_check(
            session, network, check, author="ed@example.org", source="a.csv", keep_days=keep_days
        )


def age(sessions: sessionmaker[Session], pending_id: str, days: float) -> None:
    """Make a pending import look as if it was checked `days` days ago."""
    with sessions() as session, session.begin():
        when = utcnow() - timedelta(days=days)
        session.execute(
            update(PendingImport).where(PendingImport.id == pending_id).values(created_at=when)
        )


def stored_ids(sessions: sessionmaker[Session]) -> set[str]:
    with sessions() as session:
        return set(session.scalars(select(PendingImport.id)))


def test_a_publish_removing_more_than_half_of_the_sites_is_refused_with_its_counts(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A", "B", "C"))
    with pytest.raises(MassRemoval) as refused:
        publish(sessions, csv("A", "D"))
    assert (refused.value.removed, refused.value.total) == (2, 3)
    assert "Ce fichier retire 2 des 3 structures publiées" in refused.value.message
    assert published(sessions) == ["A", "B", "C"]
    with sessions() as session:
        assert current_version(session, get_network(session, "neon")) == 1


def test_a_confirmed_publish_removing_more_than_half_of_the_sites_is_published(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A", "B", "C"))
    assert publish(sessions, csv("A"), confirmed=True) == 2
    assert published(sessions) == ["A"]


def test_removing_exactly_half_of_the_sites_needs_no_confirmation(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A", "B", "C", "D"))
    assert publish(sessions, csv("A", "B", "E", "F", "G")) == 2


def test_a_first_publication_needs_no_confirmation(sessions: sessionmaker[Session]) -> None:
    assert publish(sessions, csv("A")) == 1


def test_a_pending_import_removing_most_sites_needs_the_confirmation_to_be_published(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A", "B", "C"))
    pending = save(sessions, csv("A"))
    with pytest.raises(MassRemoval), sessions() as session, session.begin():
        publish_pending(session, "neon", pending.id, author="ed@example.org")
    with sessions() as session, session.begin():
        publication = publish_pending(
            session, "neon", pending.id, author="ed@example.org", confirmed=True
        )
        assert publication is not None and publication.number == 2
    assert published(sessions) == ["A"]


def test_saving_a_check_prunes_the_imports_older_than_the_setting_of_every_network(
    sessions: sessionmaker[Session],
) -> None:
    old = save(sessions, csv("A"))
    old_elsewhere = save(sessions, csv("B"), slug="onco-aura")
    recent = save(sessions, csv("C"))
    age(sessions, old.id, 8)
    age(sessions, old_elsewhere.id, 30)
    age(sessions, recent.id, 6)
    new = save(sessions, csv("D"), keep_days=7)
    assert stored_ids(sessions) == {recent.id, new.id}


def test_pruning_is_part_of_the_transaction_that_saves_the_check(
    sessions: sessionmaker[Session],
) -> None:
    old = save(sessions, csv("A"))
    age(sessions, old.id, 8)
    with sessions() as session:
        network = get_network(session, "neon")
        check = checked(session, csv("B"))
        save_check(session, network, check, author="ed@example.org", source="b.csv")
        session.rollback()
    assert stored_ids(sessions) == {old.id}


def test_a_check_too_large_to_keep_is_refused_and_nothing_is_stored(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pending_imports, "MAX_CHECK_BYTES", 1000)
    with pytest.raises(CheckTooLarge) as refused:
        save(sessions, csv(*(f"S{n}" for n in range(20))))
    assert refused.value.limit == 1000
    assert "trop volumineuse" in refused.value.message
    assert stored_ids(sessions) == set()
