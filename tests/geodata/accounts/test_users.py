"""Accounts on both databases: creation rules, sign-in, rights, password change."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.accounts.audit import entries
from geodata.accounts.users import Account, add_user, authenticate, change_password, get_account
from geodata.errors import InvalidValue, NetworkNotFound
from geodata.normalize import normalise_email
from geodata.storage.models import User
from geodata.storage.networks import add_network

PASSWORD = "correct cheval agrafe pile"


@pytest.fixture(autouse=True)
def networks(session: Session) -> None:
    add_network(session, "neon", "NEON")
    add_network(session, "onco-aura", "ONCO AURA")


def test_an_editor_is_created_with_a_lower_case_email_and_a_slow_hash(session: Session) -> None:
    account = add_user(session, "  Ed.Itor@Example.ORG ", PASSWORD, "neon")
    assert account == Account(account.id, "ed.itor@example.org", "neon", False)
    stored = session.scalars(select(User)).one()
    assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash
    entry = entries(session, "neon")[0]
    assert (entry.action, entry.actor) == ("utilisateur_cree", "ligne de commande")


def test_sign_in_accepts_the_password_only_whatever_the_email_case(session: Session) -> None:
    account = add_user(session, "ed@example.org", PASSWORD, "neon")
    assert authenticate(session, "ED@example.org ", PASSWORD) == account
    assert authenticate(session, "ed@example.org", PASSWORD.upper()) is None
    assert authenticate(session, "nobody@example.org", PASSWORD) is None
    assert authenticate(session, "not an email", PASSWORD) is None
    assert authenticate(session, "ed@example.org", "x" * 100_000) is None


def test_an_account_stored_under_an_older_looser_address_rule_still_signs_in(
    session: Session,
) -> None:
    account = add_user(session, "edith@example.org", PASSWORD, "neon")
    # As the earlier rule let it be stored: a non-ASCII local part the present rule refuses.
    session.scalars(select(User)).one().email = "édith@example.org"
    session.flush()
    signed_in = authenticate(session, "Édith@example.org", PASSWORD)
    assert signed_in is not None and signed_in.id == account.id


@pytest.mark.parametrize(
    ("email", "password", "network", "admin", "message"),
    [
        ("ed.example.org", PASSWORD, "neon", False, "Adresse électronique invalide"),
        ("ed@example", PASSWORD, "neon", False, "Adresse électronique invalide"),
        ("ed@example.org", "onze carac.", "neon", False, "au moins 12 caractères"),
        ("ed@example.org", PASSWORD, None, False, "doit être rattaché à un réseau"),
    ],
)
def test_malformed_accounts_are_refused_in_french(
    session: Session, email: str, password: str, network: str | None, admin: bool, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        add_user(session, email, password, network, admin=admin)
    assert session.scalars(select(User)).all() == []


@pytest.mark.parametrize("raw", ["mailto:Ed.Itor@Example.ORG", " Ed.Itor@example.org"])
def test_an_account_address_is_the_contact_rule_folded_to_lower_case(
    session: Session, raw: str
) -> None:
    contact, _ = normalise_email(raw)
    assert contact.startswith("Ed.Itor@")  # a directory contact keeps its case
    assert (
        add_user(session, raw, PASSWORD, "neon").email == contact.lower() == "ed.itor@example.org"
    )


@pytest.mark.parametrize("raw", ["ed..itor@example.org", "ed@-example.org", "édith@example.org"])
def test_an_address_refused_as_a_contact_is_refused_for_an_account(
    session: Session, raw: str
) -> None:
    with pytest.raises(InvalidValue):
        normalise_email(raw)
    with pytest.raises(InvalidValue, match="Adresse électronique invalide"):
        add_user(session, raw, PASSWORD, "neon")


def test_an_existing_account_or_an_unknown_network_is_refused(session: Session) -> None:
    add_user(session, "ed@example.org", PASSWORD, "neon")
    with pytest.raises(InvalidValue, match="existe déjà"):
        add_user(session, "ED@example.org", PASSWORD, "onco-aura")
    with pytest.raises(NetworkNotFound):
        add_user(session, "other@example.org", PASSWORD, "inconnu")


def test_an_editor_edits_only_their_network_and_an_administrator_any(session: Session) -> None:
    editor = add_user(session, "ed@example.org", PASSWORD, "neon")
    admin = add_user(session, "root@example.org", PASSWORD, None, admin=True)
    assert editor.can_edit("neon") and not editor.can_edit("onco-aura")
    assert admin.network is None and admin.can_edit("neon") and admin.can_edit("onco-aura")
    assert get_account(session, admin.id) == admin
    assert get_account(session, admin.id + editor.id + 100) is None


def test_a_password_change_needs_the_current_one_and_is_audited(session: Session) -> None:
    account = add_user(session, "ed@example.org", PASSWORD, "neon")
    new = "une autre phrase de passe"
    with pytest.raises(InvalidValue, match="actuel est incorrect"):
        change_password(session, account.id, "mauvais mot de passe", new)
    with pytest.raises(InvalidValue, match="au moins 12"):
        change_password(session, account.id, PASSWORD, "court")
    with pytest.raises(InvalidValue, match="différent"):
        change_password(session, account.id, PASSWORD, PASSWORD)
    assert change_password(session, account.id, PASSWORD, new) == 1
    assert authenticate(session, "ed@example.org", PASSWORD) is None
    # The change ended the account's sessions: it now signs in under the next session version.
    assert authenticate(session, "ed@example.org", new) == replace(account, session_version=1)
    entry = entries(session, "neon")[0]
    assert (entry.action, entry.actor, entry.details) == ("mot_de_passe", "ed@example.org", {})
