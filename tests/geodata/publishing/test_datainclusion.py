"""The directory for data·inclusion: records valid for the package's models, and what goes where."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from data_inclusion.schema.v1 import Service, Structure  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.errors import InvalidValue
from geodata.normalize import normalise_email, normalise_phone
from geodata.orientation.pathway import PRESCRIPTION_MONTHS
from geodata.publishing.datainclusion import (
    SOURCE,
    Publisher,
    e164,
    network_data_inclusion,
    publication_day,
    to_data_inclusion,
)
from geodata.publishing.versions import publish
from geodata.storage.networks import add_network
from tests.helpers import site

NEON = Publisher("neon", "NEON — Grand Est", date(2026, 1, 15))
LINKED = Publisher("neon", "NEON — Grand Est", date(2026, 1, 15), "https://annuaire.example.org/")
# Warnings (a name ending with a full stop) are errors here: a clean export has none.
STRICT = {"ignore_warnings": False}


def validated(export: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Assert every record is valid for the package's models and has no field they lack."""
    assert set(export) == {"structures", "services"}
    for model, records in ((Structure, export["structures"]), (Service, export["services"])):
        for record in records:
            assert set(record) <= set(model.model_fields), set(record) - set(model.model_fields)
            model.model_validate(record, context=STRICT)
    return export


def services(*records: SiteRecord, publisher: Publisher = NEON) -> list[dict[str, Any]]:
    return validated(to_data_inclusion(list(records), publisher))["services"]


def test_a_demo_like_directory_is_valid_for_the_data_inclusion_models() -> None:
    records = [
        site("A", structure_porteuse="Ligue 67", telephone="03 88 00 00 01", zone=("67", "2A")),
        site("B", structure_porteuse="ligue-67", courriel="b@example.org", publics=("enfants",)),
        site(
            "C", nom="Équipe AJA.", publics=("aja",), soins=("psychologie",), precisions="Sur RDV"
        ),
        site("D", site_web="https://example.org/d", telephone="+41 22 123 45 67", location=None),
    ]
    export = validated(to_data_inclusion(records, LINKED))
    assert len(export["structures"]) == 3
    assert len(export["services"]) == 4


def test_sites_of_one_carrier_make_one_structure_and_a_site_without_one_its_own() -> None:
    records = [site("A", structure_porteuse="Ligue 67"), site("B", structure_porteuse="LIGUE 67 ")]
    export = validated(to_data_inclusion([*records, site("C")], NEON))
    assert [s["id"] for s in export["structures"]] == [
        f"{SOURCE}--neon:porteur:ligue-67",
        f"{SOURCE}--neon:lieu:C",
    ]
    assert export["structures"][0]["nom"] == "Ligue 67"
    assert [s["structure_id"] for s in export["services"]] == [
        f"{SOURCE}--neon:porteur:ligue-67",
        f"{SOURCE}--neon:porteur:ligue-67",
        f"{SOURCE}--neon:lieu:C",
    ]


def test_ids_are_the_source_then_the_network_and_the_site() -> None:
    [service] = services(site("GE-STRAS-01"))
    assert service["source"] == SOURCE
    assert service["id"] == f"{SOURCE}--neon:GE-STRAS-01"


def test_inactive_sites_are_not_exported() -> None:
    export = validated(to_data_inclusion([site("A"), site("B", actif=False)], NEON))
    assert [s["id"] for s in export["services"]] == [f"{SOURCE}--neon:A"]
    assert len(export["structures"]) == 1


def test_cares_become_the_description_and_the_themes() -> None:
    [service] = services(site(soins=("activite_physique", "psychologie"), cancers=("sein",)))
    assert "bilan d'activité physique adaptée" in service["description"]
    assert "bilan et consultations psychologiques" in service["description"]
    assert "Cancers pris en charge : sein." in service["description"]
    assert service["thematiques"] == [
        "remobilisation--activites-sportives-et-culturelles",
        "sante--acces-aux-soins",
        "sante--sante-mentale",
    ]


def test_the_network_s_notes_end_the_description() -> None:
    [service] = services(site(precisions="Accueil le mardi."))
    assert service["description"].endswith("\nAccueil le mardi.")


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (("adultes",), ["tous-publics"]),
        (("enfants", "aja", "adultes"), ["tous-publics"]),
        (("enfants",), ["familles"]),
        (("aja",), ["jeunes"]),
        (("enfants", "aja"), ["familles", "jeunes"]),
    ],
)
def test_adults_make_every_public_and_children_and_young_people_their_own(
    groups: tuple[str, ...], expected: list[str]
) -> None:
    [service] = services(site(publics=groups))
    assert service["publics"] == expected
    assert service["publics_precisions"].startswith("Patients après un cancer : ")


def test_the_declared_zone_is_the_eligibility_zone_and_no_zone_leaves_it_out() -> None:
    zoned, open_to_all = services(site("A", zone=("67", "2A", "68224")), site("B"))
    assert zoned["zone_eligibilite"] == ["67", "2A", "68224"]
    assert "zone_eligibilite" not in open_to_all


def test_the_service_is_free_for_the_patient_on_prescription() -> None:
    [service] = services(site())
    assert service["frais"] == "gratuit"
    assert "Assurance maladie" in service["frais_precisions"]
    assert f"dans les {PRESCRIPTION_MONTHS} mois" in service["conditions_acces"]
    assert service["modes_accueil"] == ["en-presentiel"]


def test_contacts_are_the_site_s_and_say_how_to_reach_it() -> None:
    reached, silent = services(
        site("A", telephone="03 88 00 00 01", courriel="a@example.org"), site("B")
    )
    assert (reached["telephone"], reached["courriel"]) == ("+33388000001", "a@example.org")
    assert reached["modes_mobilisation"] == ["telephoner", "envoyer-un-courriel"]
    assert not {"telephone", "courriel", "modes_mobilisation"} & set(silent)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("03 88 00 00 01", "+33388000001"),
        ("06 12 34 56 78", "+33612345678"),
        ("02 62 12 34 56", "+262262123456"),
        ("06 93 12 34 56", "+262693123456"),
        ("05 90 12 34 56", "+590590123456"),
        ("06 96 12 34 56", "+596696123456"),
        ("05 94 12 34 56", "+594594123456"),
        ("+508 41 23 45", "+508412345"),
        ("+41221234567", "+41221234567"),
    ],
)
def test_phone_numbers_are_written_in_e164(stored: str, expected: str) -> None:
    assert e164(stored) == expected


@pytest.mark.parametrize(
    "courriel", ["a@centre.local", "a@centre_67.fr", "a@santé.fr", "a@ab--c.fr"]
)
def test_an_address_the_models_refuse_is_left_out(courriel: str) -> None:
    [service] = services(site(courriel=courriel))
    assert "courriel" not in service
    assert "envoyer-un-courriel" not in service.get("modes_mobilisation", [])


def test_a_structure_takes_the_address_and_contacts_all_its_sites_share() -> None:
    shared = {"structure_porteuse": "Ligue 67", "courriel": "ligue@example.org"}
    records = [
        site("A", telephone="03 88 00 00 01", **shared),
        site("B", commune="Illkirch", **shared),
    ]
    [carrier] = validated(to_data_inclusion(records, NEON))["structures"]
    assert carrier["courriel"] == "ligue@example.org"
    assert carrier["code_postal"] == "67000"
    assert not {"telephone", "commune"} & set(carrier)
    assert carrier["description"].endswith("accueil à Strasbourg, Illkirch.")


def test_a_carrier_of_many_communes_lists_the_first_twenty() -> None:
    records = [site(f"S{n}", structure_porteuse="Ligue", commune=f"Commune {n}") for n in range(23)]
    [carrier] = validated(to_data_inclusion(records, NEON))["structures"]
    assert carrier["description"].endswith("Commune 19 et 3 autres communes.")


def test_a_site_without_carrier_is_a_structure_with_its_address_and_website() -> None:
    export = to_data_inclusion([site(site_web="https://example.org/equipe")], NEON)
    [structure] = validated(export)["structures"]
    assert structure["site_web"] == "https://example.org/equipe"
    assert (structure["code_insee"], structure["latitude"]) == ("67482", 48.5839)


def test_links_lead_to_the_public_map_only_when_its_address_is_known() -> None:
    export = validated(to_data_inclusion([site("A", structure_porteuse="Ligue")], LINKED))
    assert export["structures"][0]["lien_source"] == "https://annuaire.example.org/?reseau=neon"
    assert export["services"][0]["lien_source"] == (
        "https://annuaire.example.org/?reseau=neon#site-neon--A"
    )
    unlinked = to_data_inclusion([site("A")], NEON)
    assert "lien_source" not in unlinked["structures"][0] | unlinked["services"][0]


@pytest.mark.parametrize(
    ("nom", "expected"),
    [
        ("CH", "CH (Strasbourg)"),
        ("Équipe de Strasbourg.", "Équipe de Strasbourg"),
        ("x" * 200, "x" * 149 + "…"),
    ],
)
def test_names_fit_the_models_lengths_without_a_final_full_stop(nom: str, expected: str) -> None:
    [structure] = validated(to_data_inclusion([site(nom=nom)], NEON))["structures"]
    assert structure["nom"] == expected


@settings(max_examples=150, deadline=None)
@given(
    email=st.emails() | st.from_regex(r"[\w.+-]{1,10}@[\w-]{1,8}\.[\w-]{1,5}", fullmatch=True),
    phone=st.from_regex(r"\+?[0-9]{8,15}", fullmatch=True),
    name=st.text(min_size=1, max_size=200).filter(str.strip),
)
def test_any_contact_and_name_the_contract_accepts_is_valid_for_the_models(
    email: str, phone: str, name: str
) -> None:
    try:
        courriel, telephone = normalise_email(email)[0], normalise_phone(phone)[0]
    except InvalidValue:
        return  # the contract refuses it: it never reaches an export
    record = site(nom=name, structure_porteuse=name, courriel=courriel, telephone=telephone)
    validated(to_data_inclusion([record], LINKED))


def test_date_maj_is_the_day_the_current_version_was_published(session: Session) -> None:
    network = add_network(session, "neon", "NEON — Grand Est")
    today = date.today()
    assert publication_day(session, network, today) == today
    publish(session, network, [site("A")])
    current = publish(session, network, [site("A"), site("B")])
    session.commit()
    assert current is not None
    published = min(current.created_at.date(), today)
    export = validated(network_data_inclusion(session, network))
    days = {record["date_maj"] for record in export["structures"] + export["services"]}
    assert days == {published.isoformat()}
    yesterday = published - timedelta(days=1)
    assert publication_day(session, network, yesterday) == yesterday, "never after today"


def test_a_network_that_never_published_exports_nothing(session: Session) -> None:
    network = add_network(session, "neon", "NEON — Grand Est")
    assert network_data_inclusion(session, network) == {"structures": [], "services": []}
