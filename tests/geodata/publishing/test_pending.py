"""Pending imports on both databases: kept, published, discarded, stale, and raced."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.audit import entries
from geodata.errors import ConflictError, ImportClosed, ImportRejected, NotFound, StaleCheck
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing import importing
from geodata.publishing import pending as pending_imports
from geodata.publishing import versions as publishing
from geodata.publishing.importing import check_file
from geodata.publishing.pending import (
    PendingInfo,
    PendingStatus,
    discard_pending,
    get_pending,
    publish_pending,
    restore_version,
    save_check,
)
from geodata.publishing.versions import current_version, publish, published_records
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.models import PendingImport, Publication, Site
from geodata.storage.networks import add_network, get_network
from tests.helpers import site

HEADER = "identifiant;nom;adresse;code_postal;commune;latitude;longitude;cancers;publics;soins"
STRAS = "GE-01;Équipe de Strasbourg;1 rue;67000;Strasbourg;;;tous;adultes;dietetique"
METZ = "GE-02;Équipe de Metz;2 rue;57000;Metz;49.1196;6.1764;sein|digestif;adultes;psychologie"
NANCY = "GE-03;Équipe de Nancy;3 rue;54000;Nancy;;;tous;aja;dietetique"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def networks(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        add_network(session, "neon", "NEON")
        add_network(session, "onco-aura", "ONCO AURA")


def upload(sessions: sessionmaker[Session], data: bytes, slug: str = "neon") -> PendingInfo:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = get_network(session, slug)
        check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
        return save_check(session, network, check, author="ed@example.org", source="a.csv")


def publish_it(sessions: sessionmaker[Session], pending_id: str, slug: str = "neon") -> int | None:
    with sessions() as session, session.begin():
        publication = publish_pending(session, slug, pending_id, author="ed@example.org")
        return publication.number if publication else None


def published(sessions: sessionmaker[Session], slug: str = "neon") -> list[str]:
    with sessions() as session:
        return [r.identifiant for r in published_records(session, get_network(session, slug))]


def discard_it(sessions: sessionmaker[Session], pending_id: str) -> None:
    with sessions() as session, session.begin():
        discard_pending(session, "neon", pending_id, author="ed@example.org")


def status_of(sessions: sessionmaker[Session], pending_id: str) -> PendingStatus:
    with sessions() as session:
        return get_pending(session, "neon", pending_id).status


def actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return [entry.action for entry in entries(session, "neon")]


def test_a_saved_check_reads_back_equal_with_its_diff_field_by_field(
    sessions: sessionmaker[Session],
) -> None:
    publish_it(sessions, upload(sessions, csv(STRAS, METZ)).id)
    changed = METZ.replace("sein|digestif", "sein").replace("49.1196", "49.12")
    saved = upload(sessions, csv(STRAS, changed, NANCY))
    with sessions() as session:
        read = get_pending(session, "neon", saved.id)
    assert read == saved
    assert read.check.diff is not None
    assert read.check.diff.added == ("GE-03",)
    fields = {c.field: (c.old, c.new) for c in read.check.diff.changed[0].changes}
    assert fields["cancers"] == (("sein", "digestif"), ("sein",))
    assert fields["latitude"] == (49.1196, 49.12)
    assert read.base_version == 1 and read.valid and read.status == PendingStatus.PENDING


def test_publishing_a_pending_import_publishes_exactly_what_was_checked(
    sessions: sessionmaker[Session],
) -> None:
    pending = upload(sessions, csv(STRAS, METZ))
    assert published(sessions) == []
    assert publish_it(sessions, pending.id) == 1
    with sessions() as session:
        network = get_network(session, "neon")
        assert published_records(session, network) == sorted(
            pending.check.records, key=lambda r: r.identifiant
        )
        assert get_pending(session, "neon", pending.id).status == PendingStatus.PUBLISHED
        publication = session.scalars(select(Publication)).one()
        assert (publication.author, publication.source) == ("ed@example.org", "a.csv")
        entry = entries(session, "neon")[0]
    assert (entry.action, entry.actor, entry.details["version"]) == (
        "publication", "ed@example.org", 1,
    )  # fmt: skip
    assert actions(sessions) == ["publication", "import_verifie"]


def test_publishing_a_published_import_again_is_a_conflict(
    sessions: sessionmaker[Session],
) -> None:
    pending = upload(sessions, csv(STRAS))
    publish_it(sessions, pending.id)
    with pytest.raises(ImportClosed, match="déjà été publié") as info:
        publish_it(sessions, pending.id)
    assert isinstance(info.value, ConflictError)
    assert info.value.data == {"import_id": pending.id, "status": "publie"}
    assert actions(sessions) == ["publication", "import_verifie"]


def test_a_discarded_import_is_never_published_and_the_discard_is_audited(
    sessions: sessionmaker[Session],
) -> None:
    pending = upload(sessions, csv(STRAS))
    discard_it(sessions, pending.id)
    assert status_of(sessions, pending.id) == PendingStatus.DISCARDED
    with pytest.raises(ImportClosed, match="déjà été abandonné"):
        publish_it(sessions, pending.id)
    assert published(sessions) == []
    assert actions(sessions) == ["import_abandonne", "import_verifie"]


@pytest.mark.parametrize("close", [publish_it, discard_it])
def test_discarding_a_closed_import_is_a_conflict_that_keeps_its_status(
    sessions: sessionmaker[Session], close: Callable[[sessionmaker[Session], str], object]
) -> None:
    pending = upload(sessions, csv(STRAS))
    close(sessions, pending.id)
    before = status_of(sessions, pending.id)
    with pytest.raises(ImportClosed) as info:
        discard_it(sessions, pending.id)
    assert info.value.status == before
    assert status_of(sessions, pending.id) == before


def test_the_stored_statuses_keep_their_values_and_have_french_labels() -> None:
    assert [(s.value, s.label) for s in PendingStatus] == [
        ("en_attente", "en attente"), ("publie", "publié"), ("abandonne", "abandonné"),
    ]  # fmt: skip


def test_an_import_with_errors_is_kept_but_refused_at_publication(
    sessions: sessionmaker[Session],
) -> None:
    pending = upload(sessions, csv(STRAS.replace("tous", "inconnu")))
    assert not pending.valid
    assert pending.check.errors[0].column == "cancers"
    with pytest.raises(ImportRejected):
        publish_it(sessions, pending.id)
    assert published(sessions) == []


def test_an_import_checked_before_another_publication_is_stale(
    sessions: sessionmaker[Session],
) -> None:
    first, second = upload(sessions, csv(STRAS)), upload(sessions, csv(METZ))
    publish_it(sessions, first.id)
    with pytest.raises(StaleCheck) as info:
        publish_it(sessions, second.id)
    assert "vérifiez-le de nouveau" in info.value.message
    assert published(sessions) == ["GE-01"]
    with sessions() as session:
        assert get_pending(session, "neon", second.id).status == PendingStatus.PENDING


def test_an_import_is_found_only_under_its_own_network(sessions: sessionmaker[Session]) -> None:
    pending = upload(sessions, csv(STRAS))
    with sessions() as session, pytest.raises(NotFound):
        get_pending(session, "onco-aura", pending.id)
    with pytest.raises(NotFound):
        publish_it(sessions, pending.id, slug="onco-aura")
    with sessions() as session, pytest.raises(NotFound):
        get_pending(session, "neon", "0" * 32)


def test_two_concurrent_publishes_of_one_network_one_wins_the_other_is_stale(
    sessions: sessionmaker[Session],
) -> None:
    pendings = [upload(sessions, csv(STRAS, METZ)), upload(sessions, csv(NANCY))]
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def run(pending: PendingInfo) -> None:
        barrier.wait()
        try:
            outcomes[pending.id] = publish_it(sessions, pending.id)
        except Exception as exc:  # collected, then asserted below
            outcomes[pending.id] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in pendings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    results = [outcomes[p.id] for p in pendings]
    winner = pendings[results.index(1)]
    assert sorted(type(r).__name__ for r in results) == ["StaleCheck", "int"]
    with sessions() as session:
        network = get_network(session, "neon")
        assert current_version(session, network) == 1
        records = published_records(session, network)
        expected = sorted(r.identifiant for r in winner.check.records)
        assert [r.identifiant for r in records] == expected
        assert session.scalar(select(func.count()).select_from(Site)) == len(records)


def test_a_version_number_taken_by_another_transaction_turns_into_a_stale_check(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_it(sessions, upload(sessions, csv(STRAS)).id)
    # As if a concurrent transaction had published version 1 after this one read the version.
    monkeypatch.setattr(publishing, "current_version", lambda _session, _network: 0)
    with pytest.raises(StaleCheck), sessions() as session, session.begin():
        publish(session, get_network(session, "neon"), [site("GE-09")])
    monkeypatch.undo()
    assert published(sessions) == ["GE-01"]


def test_restoring_a_version_gives_it_back_and_is_audited(sessions: sessionmaker[Session]) -> None:
    publish_it(sessions, upload(sessions, csv(STRAS, METZ)).id)
    # Removes one site of two: no confirmation needed (more than half would need one).
    publish_it(sessions, upload(sessions, csv(METZ, NANCY)).id)
    with sessions() as session, session.begin():
        publication = restore_version(session, "neon", 1, author="admin@example.org")
        assert publication is not None and publication.number == 3
    assert published(sessions) == ["GE-01", "GE-02"]
    with sessions() as session:
        entry = entries(session, "neon", limit=1)[0]
    assert (entry.action, entry.actor) == ("restauration", "admin@example.org")
    assert entry.details == {"version_restauree": 1, "version": 3}


def test_discarding_with_a_stale_copy_of_an_import_published_meanwhile_is_a_conflict(
    sessions: sessionmaker[Session],
) -> None:
    pending = upload(sessions, csv(STRAS))
    with sessions() as stale:
        # This session keeps the row as it read it, waiting, while another one publishes it.
        remembered = stale.get(PendingImport, pending.id)
        assert remembered is not None and remembered.status == PendingStatus.PENDING
        publish_it(sessions, pending.id)
        with pytest.raises(ImportClosed, match="déjà été publié"):
            discard_pending(stale, "neon", pending.id, author="ed@example.org")
        stale.commit()
    assert status_of(sessions, pending.id) == PendingStatus.PUBLISHED
    assert actions(sessions) == ["publication", "import_verifie"]


def test_a_discard_racing_a_publish_waits_for_it_then_finds_the_import_published(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = upload(sessions, csv(STRAS))
    outcome: list[object] = []

    def discard() -> None:
        try:
            discard_it(sessions, pending.id)
            outcome.append("discarded")
        except Exception as exc:  # collected, then asserted below
            outcome.append(exc)

    racer = threading.Thread(target=discard)

    def publish_while_the_discard_runs(*args: Any, **kwargs: Any) -> Publication | None:
        publication = importing.publish_check(*args, **kwargs)
        racer.start()
        # Long enough for the discard to run to its end unless the network's lock holds it.
        racer.join(timeout=1)
        return publication

    monkeypatch.setattr(pending_imports, "publish_check", publish_while_the_discard_runs)
    assert publish_it(sessions, pending.id) == 1
    racer.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ImportClosed), outcome
    assert status_of(sessions, pending.id) == PendingStatus.PUBLISHED
    assert actions(sessions) == ["publication", "import_verifie"]
