"""The public directory's queries on both databases, and the restriction kinds."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from geodata.errors import InvalidValue
from geodata.orientation.directory import (
    DirectoryFilter,
    directory_networks,
    feature_collection,
    parse_filter,
    published_sites,
    restriction_kind,
)
from geodata.publishing.versions import publish
from geodata.storage.networks import ensure_network
from tests.helpers import site


@pytest.fixture
def directory(session: Session) -> Session:
    """Two networks: NEON with four kinds of sites (one inactive), AURA with two."""
    neon = ensure_network(session, "neon", "NEON")
    aura = ensure_network(session, "onco-aura", "ONCO AURA")
    publish(
        session,
        neon,
        [
            site("N-TOUS", nom="Tous <b>gras</b>", soins=("activite_physique", "dietetique")),
            site("N-SEIN", nom="Sein", cancers=("sein",), soins=("psychologie",)),
            site("N-ENF", nom="Enfants", publics=("enfants",), soins=("psychologie",)),
            site("N-OFF", nom="Fermée", actif=False),
        ],
    )
    publish(
        session,
        aura,
        [
            site("A-SD", nom="Sein digestif", cancers=("sein", "digestif")),
            site("A-AJA", nom="AJA", publics=("aja",), soins=("dietetique",)),
        ],
    )
    ensure_network(session, "vide", "Réseau sans site")
    session.commit()
    return session


def _ids(session: Session, **filters: str) -> list[str]:
    entries = published_sites(session, DirectoryFilter(**filters))
    return sorted(e.record.identifiant for e in entries)


def test_every_active_site_of_every_network_is_listed_and_inactive_ones_are_not(
    directory: Session,
) -> None:
    assert _ids(directory) == ["A-AJA", "A-SD", "N-ENF", "N-SEIN", "N-TOUS"]


def test_a_cancer_filter_keeps_sites_listing_it_and_sites_taking_every_cancer(
    directory: Session,
) -> None:
    assert _ids(directory, cancer="sein") == ["A-AJA", "A-SD", "N-ENF", "N-SEIN", "N-TOUS"]
    assert _ids(directory, cancer="digestif") == ["A-AJA", "A-SD", "N-ENF", "N-TOUS"]
    assert _ids(directory, cancer="poumon") == ["A-AJA", "N-ENF", "N-TOUS"]


def test_age_group_care_and_network_filters_combine(directory: Session) -> None:
    assert _ids(directory, public="enfants") == ["N-ENF"]
    assert _ids(directory, soin="psychologie") == ["N-ENF", "N-SEIN"]
    assert _ids(directory, reseau="onco-aura") == ["A-AJA", "A-SD"]
    assert _ids(directory, reseau="neon", soin="dietetique", cancer="poumon") == ["N-TOUS"]


def test_an_unknown_network_is_refused_in_french(directory: Session) -> None:
    with pytest.raises(InvalidValue, match="Le réseau « absent » n'existe pas") as caught:
        published_sites(directory, DirectoryFilter(reseau="absent"))
    assert caught.value.field == "reseau"


def test_only_networks_with_an_active_site_are_offered(directory: Session) -> None:
    assert directory_networks(directory) == [("neon", "NEON"), ("onco-aura", "ONCO AURA")]


def test_features_carry_the_contract_properties_and_the_restriction(directory: Session) -> None:
    collection = feature_collection(published_sites(directory, DirectoryFilter(reseau="neon")))
    by_id = {f["properties"]["identifiant"]: f for f in collection["features"]}
    tous = by_id["N-TOUS"]
    assert tous["geometry"] == {"type": "Point", "coordinates": [7.7455, 48.5839]}
    assert tous["properties"]["nom"] == "Tous <b>gras</b>"
    assert tous["properties"]["reseau_nom"] == "NEON"
    assert tous["properties"]["soins"] == ["activite_physique", "dietetique"]
    assert [by_id[i]["properties"]["restriction"] for i in ("N-SEIN", "N-ENF")] == [
        "sein",
        "enfants",
    ]


@pytest.mark.parametrize(
    ("cancers", "publics", "kind"),
    [
        (("tous",), ("adultes",), "tous"),
        (("tous",), ("enfants", "aja", "adultes"), "tous"),
        (("tous",), ("aja", "adultes"), "tous"),
        (("digestif", "sein"), ("adultes",), "sein-digestif"),
        (("sein",), ("adultes",), "sein"),
        (("tous",), ("enfants",), "enfants"),
        (("sein",), ("enfants",), "enfants"),
        (("tous",), ("aja",), "aja"),
        (("sein", "digestif", "gynecologique"), ("adultes",), "autre"),
        (("poumon",), ("adultes",), "autre"),
        (("tous",), ("enfants", "aja"), "autre"),
    ],
)
def test_restriction_kind_reads_the_cancers_and_age_groups(
    cancers: tuple[str, ...], publics: tuple[str, ...], kind: str
) -> None:
    assert restriction_kind(site(cancers=cancers, publics=publics)) == kind


def test_filter_parameters_are_checked_against_the_vocabulary() -> None:
    assert parse_filter({"cancer": "sein", "soin": "", "autre": "x"}) == DirectoryFilter("sein")
    with pytest.raises(InvalidValue, match="Valeur inconnue pour « soin » : « yoga »"):
        parse_filter({"soin": "yoga"})
    with pytest.raises(InvalidValue, match="Valeurs possibles : enfants, aja, adultes"):
        parse_filter({"public": "seniors"})
