"""API tokens on both databases: shown once, stored hashed, bound to a network, revocable."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.accounts.audit import entries
from geodata.accounts.tokens import create_token, list_tokens, network_of_token, revoke_token
from geodata.errors import InvalidValue, NetworkNotFound
from geodata.storage.models import ApiToken
from geodata.storage.networks import add_network


@pytest.fixture(autouse=True)
def networks(session: Session) -> None:
    add_network(session, "neon", "NEON")
    add_network(session, "onco-aura", "ONCO AURA")


def test_a_token_is_a_random_secret_stored_only_as_its_sha256(session: Session) -> None:
    token = create_token(session, "neon")
    other = create_token(session, "neon")
    assert token.startswith("ann_") and len(token) == 4 + 43 and token != other
    stored = session.scalars(select(ApiToken).order_by(ApiToken.id)).first()
    assert stored is not None
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.prefix == token[:12]
    assert all(token not in str(value) for value in vars(stored).values())


def test_a_token_opens_its_own_network_and_notes_its_use(session: Session) -> None:
    token = create_token(session, "onco-aura")
    assert list_tokens(session, "onco-aura")[0].last_used_at is None
    assert network_of_token(session, token) == "onco-aura"
    assert list_tokens(session, "onco-aura")[0].last_used_at is not None
    assert list_tokens(session, "neon") == []


@pytest.mark.parametrize("wrong", ["", "ann_", "Bearer", "x" * 10_000, "ann_" + "A" * 43])
def test_an_unknown_token_opens_nothing(session: Session, wrong: str) -> None:
    create_token(session, "neon")
    assert network_of_token(session, wrong) is None


def test_a_revoked_token_opens_nothing_and_the_revocation_is_audited(session: Session) -> None:
    token = create_token(session, "neon")
    assert revoke_token(session, token[:10])
    assert network_of_token(session, token) is None
    assert not revoke_token(session, token)
    listed = list_tokens(session, "neon")[0]
    assert listed.prefix == token[:12] and listed.revoked_at is not None
    assert [e.action for e in entries(session, "neon")] == ["jeton_revoque", "jeton_cree"]
    assert entries(session, "neon")[0].details == {"prefixe": token[:12]}


def test_revoking_needs_an_unambiguous_prefix_of_eight_characters_or_more(
    session: Session,
) -> None:
    tokens = [create_token(session, "neon") for _ in range(2)]
    for row, end in zip(session.scalars(select(ApiToken).order_by(ApiToken.id)), "AB", strict=True):
        row.prefix = "ann_same" + end * 4  # as if two tokens began alike
    with pytest.raises(InvalidValue, match="au moins 8"):
        revoke_token(session, "ann_")
    with pytest.raises(InvalidValue, match="plusieurs"):
        revoke_token(session, "ann_same")
    assert not revoke_token(session, "ann_%%%%")  # a LIKE wildcard is taken literally
    assert not revoke_token(session, tokens[0] + "x")
    assert revoke_token(session, "ann_sameBB")
    assert network_of_token(session, tokens[1]) is None
    assert network_of_token(session, tokens[0]) == "neon"


def test_a_token_for_an_unknown_network_is_refused(session: Session) -> None:
    with pytest.raises(NetworkNotFound):
        create_token(session, "inconnu")
