"""The audit log on both databases: entries, filters, and the transaction they belong to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.audit import Action, entries, record
from geodata.errors import NetworkNotFound
from geodata.storage.models import AuditEntry
from geodata.storage.networks import add_network


@pytest.fixture(autouse=True)
def networks(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        add_network(session, "neon", "NEON")
        add_network(session, "onco-aura", "ONCO AURA")


def test_entries_come_newest_first_with_their_details(session: Session) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    record(session, "ed@example.org", Action.SIGN_IN, "neon", {})
    record(
        session,
        "jeton:ann_AbCdEfGh",
        Action.PUBLICATION,
        "neon",
        {"version": 2, "fichier": "é.csv"},
    )
    latest, first = entries(session)
    assert (latest.actor, latest.network, latest.action) == (
        "jeton:ann_AbCdEfGh", "neon", "publication",
    )  # fmt: skip
    assert latest.details == {"version": 2, "fichier": "é.csv"}
    assert first.action == "connexion" and first.details == {}
    assert before < first.at <= latest.at and latest.at.tzinfo is not None


def test_entries_are_filtered_by_network_and_limited(session: Session) -> None:
    for number in range(3):
        record(session, "ed@example.org", Action.PUBLICATION, "neon", {"version": number})
    record(session, "admin@example.org", Action.PUBLICATION, "onco-aura", {"version": 1})
    record(session, "someone@example.org", Action.SIGN_IN_REFUSED, None, {})
    assert [e.network for e in entries(session, "onco-aura")] == ["onco-aura"]
    assert [e.details["version"] for e in entries(session, "neon", limit=2)] == [2, 1]
    assert len(entries(session)) == 5
    assert entries(session)[0].network is None


def test_an_unknown_action_or_network_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(session, "ed@example.org", "suppression_totale", "neon", {})  # type: ignore[arg-type]
    with pytest.raises(NetworkNotFound):
        record(session, "ed@example.org", Action.PUBLICATION, "inconnu", {})


def test_an_entry_belongs_to_the_transaction_of_its_change(
    sessions: sessionmaker[Session],
) -> None:
    with pytest.raises(RuntimeError), sessions() as session, session.begin():
        record(session, "ed@example.org", Action.PUBLICATION, "neon", {"version": 1})
        raise RuntimeError("the change failed")
    with sessions() as session, session.begin():
        assert entries(session) == []
        record(session, "ed@example.org", Action.PUBLICATION, "neon", {"version": 1})
    with sessions() as session:
        assert [e.action for e in entries(session)] == ["publication"]


def test_a_very_long_actor_is_cut_to_fit(session: Session) -> None:
    record(session, "x" * 1000, Action.SIGN_IN_REFUSED, None, {})
    assert entries(session)[0].actor == "x" * 254


def test_every_action_has_a_french_label_and_is_stored_as_its_value(session: Session) -> None:
    assert all(action.label for action in Action)
    record(session, "ed@example.org", Action.IMPORT_ABANDONED, "neon", {})
    stored = session.scalars(select(AuditEntry.action)).one()
    assert type(stored) is str and stored == "import_abandonne"
    assert entries(session)[0].label == "Fichier abandonné"


def test_an_action_no_longer_recorded_is_shown_as_stored(session: Session) -> None:
    session.add(AuditEntry(actor="ed@example.org", action="ancienne_action", details="{}"))
    session.flush()
    assert entries(session)[0].label == "ancienne_action"
