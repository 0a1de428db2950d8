"""The audit log on both databases: entries, filters, and the transaction they belong to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.audit import entries, record
from geodata.errors import NetworkNotFound
from geodata.storage.networks import add_network


@pytest.fixture(autouse=True)
def networks(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        add_network(session, "neon", "NEON")
        add_network(session, "onco-aura", "ONCO AURA")


def test_entries_come_newest_first_with_their_details(session: Session) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    record(session, "ed@example.org", "connexion", "neon", {})
    record(session, "jeton:ann_AbCdEfGh", "publication", "neon", {"version": 2, "fichier": "é.csv"})
    latest, first = entries(session)
    assert (latest.actor, latest.network, latest.action) == (
        "jeton:ann_AbCdEfGh", "neon", "publication",
    )  # fmt: skip
    assert latest.details == {"version": 2, "fichier": "é.csv"}
    assert first.action == "connexion" and first.details == {}
    assert before < first.at <= latest.at and latest.at.tzinfo is not None


def test_entries_are_filtered_by_network_and_limited(session: Session) -> None:
    for number in range(3):
        record(session, "ed@example.org", "publication", "neon", {"version": number})
    record(session, "admin@example.org", "publication", "onco-aura", {"version": 1})
    record(session, "someone@example.org", "connexion_refusee", None, {})
    assert [e.network for e in entries(session, "onco-aura")] == ["onco-aura"]
    assert [e.details["version"] for e in entries(session, "neon", limit=2)] == [2, 1]
    assert len(entries(session)) == 5
    assert entries(session)[0].network is None


def test_an_unknown_action_or_network_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(session, "ed@example.org", "suppression_totale", "neon", {})
    with pytest.raises(NetworkNotFound):
        record(session, "ed@example.org", "publication", "inconnu", {})


def test_an_entry_belongs_to_the_transaction_of_its_change(
    sessions: sessionmaker[Session],
) -> None:
    with pytest.raises(RuntimeError), sessions() as session, session.begin():
        record(session, "ed@example.org", "publication", "neon", {"version": 1})
        raise RuntimeError("the change failed")
    with sessions() as session, session.begin():
        assert entries(session) == []
        record(session, "ed@example.org", "publication", "neon", {"version": 1})
    with sessions() as session:
        assert [e.action for e in entries(session)] == ["publication"]


def test_a_very_long_actor_is_cut_to_fit(session: Session) -> None:
    record(session, "x" * 1000, "connexion_refusee", None, {})
    assert entries(session)[0].actor == "x" * 254
