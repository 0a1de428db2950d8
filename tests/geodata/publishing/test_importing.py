"""The import pipeline on both databases: where sites are placed, and what publishing checks."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import GeocoderUnavailable, ImportRejected, StaleCheck
from geodata.geocoding import Geocoder, GeocodeResult
from geodata.geocoding.ban import BanGeocoder
from geodata.geocoding.local import LocalGeocoder
from geodata.geocoding.precision import Precision
from geodata.publishing.importing import ImportCheck, check_file, publish_check
from geodata.publishing.versions import published_records
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.networks import ensure_network
from tests.fakes import STRASBOURG, serve_fake_ban

HEADER = "identifiant;nom;adresse;code_postal;commune;latitude;longitude;cancers;publics;soins"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@dataclass
class ScriptedStreetGeocoder:
    """Stands in for a BAN server: answers from a script, or fails like an unreachable one."""

    answers: dict[str, GeocodeResult] = field(default_factory=dict)
    down: bool = False
    street_level: bool = True
    queries: list[str] = field(default_factory=list)

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]:
        self.queries.append(query)
        if self.down:
            raise GeocoderUnavailable("Le service de géocodage ne répond pas.")
        answer = next((a for key, a in self.answers.items() if key in query), None)
        return [answer] if answer else []


PARIS_16 = GeocodeResult("10 Avenue Foch 75116 Paris", "75116", "75116", "Paris",
                         48.872, 2.288, 0.95, Precision.HOUSENUMBER)  # fmt: skip
LYON_3 = GeocodeResult("5 Rue Garibaldi 69003 Lyon", "69383", "69003", "Lyon",
                       45.760, 4.851, 0.9, Precision.HOUSENUMBER)  # fmt: skip


def check(
    sessions: sessionmaker[Session], data: bytes, geocoder: Geocoder | None = None
) -> ImportCheck:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = ensure_network(session, "neon")
        return check_file(session, network, data, gazetteer, geocoder or LocalGeocoder(gazetteer))


def publish(sessions: sessionmaker[Session], data: bytes, geocoder: Geocoder | None = None) -> int:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = ensure_network(session, "neon")
        result = check_file(session, network, data, gazetteer, geocoder or LocalGeocoder(gazetteer))
        publication = publish_check(session, network, result)
        return publication.number if publication else 0


def codes(result: ImportCheck) -> list[tuple[str, str]]:
    return [(r.location.citycode, r.location.precision) for r in result.records if r.location]


def test_a_postcode_of_marseille_places_the_site_in_its_arrondissement(
    sessions: sessionmaker[Session],
) -> None:
    result = check(
        sessions, csv("A;Équipe;1 rue Paradis;13008;Marseille;;;tous;adultes;dietetique")
    )
    assert codes(result) == [("13208", "municipality")]


def test_a_former_commune_gets_the_current_communes_code_with_or_without_coordinates(
    sessions: sessionmaker[Session],
) -> None:
    result = check(
        sessions,
        csv(
            "A;Équipe;1 place;74940;Annecy-le-Vieux;;;tous;adultes;dietetique",
            "B;Équipe;1 place;74940;Annecy-le-Vieux;45.919;6.142;tous;adultes;dietetique",
        ),
    )
    assert codes(result) == [("74010", "municipality"), ("74010", "coordonnees")]


def test_a_street_answer_in_an_arrondissement_of_the_town_is_kept(
    sessions: sessionmaker[Session],
) -> None:
    geocoder = ScriptedStreetGeocoder({"Foch": PARIS_16, "Garibaldi": LYON_3})
    result = check(
        sessions,
        csv(
            "A;Équipe;10 avenue Foch;75116;Paris;;;tous;adultes;dietetique",
            "B;Équipe;5 rue Garibaldi;69003;Lyon;;;tous;adultes;dietetique",
        ),
        geocoder,
    )
    assert codes(result) == [("75116", "housenumber"), ("69383", "housenumber")]


def test_a_street_answer_in_another_town_falls_back_to_the_commune(
    sessions: sessionmaker[Session],
) -> None:
    geocoder = ScriptedStreetGeocoder({"Foch": PARIS_16})
    result = check(
        sessions, csv("A;Équipe;10 avenue Foch;69003;Lyon;;;tous;adultes;dietetique"), geocoder
    )
    assert codes(result) == [("69383", "municipality")]


def test_an_unchanged_address_keeps_its_published_location_during_an_outage(
    sessions: sessionmaker[Session],
) -> None:
    data = csv("A;Équipe;10 avenue Foch;75116;Paris;;;tous;adultes;dietetique")
    assert publish(sessions, data, ScriptedStreetGeocoder({"Foch": PARIS_16})) == 1
    outage = ScriptedStreetGeocoder(down=True)
    again = check(sessions, data, outage)
    assert again.diff is not None and again.diff.empty
    assert outage.queries == []  # nothing was sent out again


def test_a_changed_address_during_an_outage_goes_to_its_commune_with_a_warning(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A;Équipe;10 avenue Foch;75116;Paris;;;tous;adultes;dietetique"))
    moved = csv("A;Équipe;12 avenue Foch;75116;Paris;;;tous;adultes;dietetique")
    result = check(sessions, moved, ScriptedStreetGeocoder(down=True))
    assert result.ok
    assert codes(result) == [("75116", "municipality")]
    [warning] = result.problems
    assert "ne répond pas" in warning.message and "réimportez" in warning.message


STRASBOURG_ADDRESS = "1 place de l'Étoile;67000;Strasbourg"


def test_a_site_placed_at_its_commune_during_an_outage_is_placed_again_once_ban_answers(
    sessions: sessionmaker[Session],
) -> None:
    data = csv(f"A;Équipe;{STRASBOURG_ADDRESS};;;tous;adultes;dietetique")
    with serve_fake_ban() as ban:
        ban.answers["1 place de l'Étoile 67000 Strasbourg"] = [STRASBOURG]
        geocoder = BanGeocoder(ban.url, timeout=2.0)
        ban.status = 503
        down = check(sessions, data, geocoder)
        assert codes(down) == [("67482", "municipality")]
        assert [(p.column, p.is_error) for p in down.problems] == [("adresse", False)]
        publish(sessions, data, geocoder)
        ban.status = 200
        again = check(sessions, data, geocoder)
    assert codes(again) == [("67482", "housenumber")]
    assert again.problems == ()


def test_switching_to_a_street_geocoder_places_the_sites_left_at_their_commune(
    sessions: sessionmaker[Session],
) -> None:
    data = csv("A;Équipe;10 avenue Foch;75116;Paris;;;tous;adultes;dietetique")
    publish(sessions, data)  # the local geocoder: commune precision
    again = check(sessions, data, ScriptedStreetGeocoder({"Foch": PARIS_16}))
    assert codes(again) == [("75116", "housenumber")]


def test_a_site_at_its_commune_is_reused_as_it_is_by_the_local_geocoder(
    sessions: sessionmaker[Session],
) -> None:
    data = csv(f"A;Équipe;{STRASBOURG_ADDRESS};;;tous;adultes;dietetique")
    publish(sessions, data)
    gazetteer = get_gazetteer()
    counting = CountingGeocoder(LocalGeocoder(gazetteer))
    again = check(sessions, data, counting)
    assert codes(again) == [("67482", "municipality")]
    assert again.diff is not None and again.diff.empty
    assert counting.queries == 0


@dataclass
class CountingGeocoder:
    """Wraps a geocoder and counts the queries it is asked."""

    inner: LocalGeocoder
    street_level: bool = False
    queries: int = 0

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]:
        self.queries += 1
        return self.inner.geocode(query, limit)


def test_publishing_a_check_made_before_another_publication_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    stale = check(sessions, csv("A;Équipe;1 rue;67000;Strasbourg;;;tous;adultes;dietetique"))
    publish(sessions, csv("B;Équipe;1 rue;67000;Strasbourg;;;tous;adultes;dietetique"))
    with sessions() as session, pytest.raises(StaleCheck) as info:
        publish_check(session, ensure_network(session, "neon"), stale)
    assert "vérifiez-le de nouveau" in info.value.message


def test_publishing_a_check_with_errors_is_refused_and_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    publish(sessions, csv("A;Équipe;1 rue;67000;Strasbourg;;;tous;adultes;dietetique"))
    broken = check(sessions, csv("B;Équipe;1 rue;99999;Nullepart;;;tous;adultes;dietetique"))
    assert not broken.ok
    with sessions() as session, pytest.raises(ImportRejected):
        publish_check(session, ensure_network(session, "neon"), broken)
    with sessions() as session:
        assert [
            r.identifiant for r in published_records(session, ensure_network(session, "neon"))
        ] == ["A"]
