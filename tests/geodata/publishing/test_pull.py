"""Pulling a network's spreadsheet from a real HTTP server on loopback, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from geodata.accounts.audit import Action, entries
from geodata.errors import InvalidValue
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.fetch import FetchRules
from geodata.publishing.pending import get_pending
from geodata.publishing.pull import Outcome, PullContext, get_source, pull, set_source
from geodata.publishing.versions import current_version, published_records
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.networks import ensure_network, get_network
from tests.helpers import HEADER, ROWS
from tests.helpers.sources import SpreadsheetHost, serve_spreadsheet

RULES = FetchRules(
    max_bytes=1024 * 1024, timeout=5, allow_http=True, allowed_networks=("127.0.0.1/32",)
)
CONTEXT = PullContext(RULES, get_gazetteer(), LocalGeocoder(get_gazetteer()), pending_days=7)


def csv_of(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def host(session: Session) -> Iterator[SpreadsheetHost]:
    with serve_spreadsheet() as served:
        served.body = csv_of(ROWS)
        ensure_network(session, "neon")
        set_source(session, "neon", f"{served.base}/annuaire.csv")
        yield served


def names(session: Session) -> list[str]:
    return [record.nom for record in published_records(session, get_network(session, "neon"))]


def test_the_first_pull_publishes_and_records_when_and_which_version(
    session: Session, host: SpreadsheetHost
) -> None:
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.PUBLISHED and result.version == 1
    source = get_source(session, "neon")
    assert source is not None and source.version == 1 and source.pulled_at is not None
    assert source.result == Outcome.PUBLISHED and len(names(session)) == len(ROWS)
    journal = entries(session, "neon")
    assert journal[0].actor.startswith("source : http://127.0.0.1")


def test_a_pull_answered_not_modified_publishes_nothing(
    session: Session, host: SpreadsheetHost
) -> None:
    pull(session, "neon", CONTEXT)
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.UNCHANGED and host.conditional == 1
    assert current_version(session, get_network(session, "neon")) == 1


def test_an_unchanged_body_without_validators_publishes_nothing(
    session: Session, host: SpreadsheetHost
) -> None:
    pull(session, "neon", CONTEXT)
    set_source(session, "neon", f"{host.base}/annuaire.csv?copie")  # forgets the ETag
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.UNCHANGED and "contenu" in result.message
    assert current_version(session, get_network(session, "neon")) == 1


def test_a_changed_file_publishes_exactly_one_new_version(
    session: Session, host: SpreadsheetHost
) -> None:
    pull(session, "neon", CONTEXT)
    host.body = csv_of(
        [ROWS[0].replace("Équipe de Strasbourg", "Équipe strasbourgeoise"), *ROWS[1:]]
    )
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.PUBLISHED and result.version == 2
    assert "Équipe strasbourgeoise" in names(session)
    assert pull(session, "neon", CONTEXT).outcome == Outcome.UNCHANGED


def test_a_broken_file_publishes_nothing_and_waits_as_a_pending_import(
    session: Session, host: SpreadsheetHost
) -> None:
    pull(session, "neon", CONTEXT)
    host.body = csv_of([ROWS[0].replace(";67000;", ";6700;"), *ROWS[1:]])
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.REFUSED and result.problems and result.version is None
    assert current_version(session, get_network(session, "neon")) == 1
    pending = get_pending(session, "neon", result.pending_id)
    assert not pending.check.ok
    pulled, checked = entries(session, "neon")[:2]
    assert checked.action == Action.IMPORT_CHECKED and checked.details["erreurs"] == 1
    assert pulled.action == Action.SOURCE_PULLED and pulled.details["resultat"] == "refusee"
    assert len(pulled.details["problemes"]) == 1 and "6700" in pulled.details["problemes"][0]
    source = get_source(session, "neon")
    assert source is not None and source.result == Outcome.REFUSED and source.pending_id


def test_a_source_removing_most_sites_is_held_for_an_editor(
    session: Session, host: SpreadsheetHost
) -> None:
    pull(session, "neon", CONTEXT)
    host.body = csv_of(ROWS[:1])
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.REFUSED and "retire 2 des 3" in result.message
    assert get_pending(session, "neon", result.pending_id).check.ok
    assert len(names(session)) == 3


def test_an_unreachable_source_is_recorded_and_publishes_nothing(
    session: Session, host: SpreadsheetHost
) -> None:
    set_source(session, "neon", "http://127.0.0.1:9/annuaire.csv")
    result = pull(session, "neon", CONTEXT)
    assert result.outcome == Outcome.UNREACHABLE and "injoignable" in result.message
    source = get_source(session, "neon")
    assert source is not None and source.result == Outcome.UNREACHABLE


def test_a_network_without_source_is_told_to_record_one(session: Session) -> None:
    ensure_network(session, "neon")
    with pytest.raises(InvalidValue, match="--url"):
        pull(session, "neon", CONTEXT)


def test_a_source_must_be_a_web_address(session: Session) -> None:
    ensure_network(session, "neon")
    with pytest.raises(InvalidValue, match="https://"):
        set_source(session, "neon", "file:///etc/passwd")
