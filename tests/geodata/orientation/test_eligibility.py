from __future__ import annotations

import pytest

from geodata.geocoding import GeocodeResult
from geodata.geocoding.precision import Precision
from geodata.orientation.eligibility import Patient, Reason, age_groups, patient_at, reasons
from geodata.reference.gazetteer import get_gazetteer
from tests.helpers import site

LYON_3E = GeocodeResult("Lyon 3e Arrondissement", "69383", "69003", "Lyon", 45.76, 4.85, 1.0,
                        Precision.MUNICIPALITY, "69")  # fmt: skip


def patient(**changes: object) -> Patient:
    values: dict[str, object] = {
        "cancer": "sein",
        "age": 54,
        "soins": ("dietetique",),
        "citycode": "67482",
        "departement": "67",
        "zone_codes": frozenset({"67482", "67"}),
    }
    return Patient(**(values | changes))  # type: ignore[arg-type]


def codes(found: tuple[Reason, ...]) -> list[str]:
    return [reason.code for reason in found]


def test_site_for_every_cancer_and_adults_fits_an_adult_with_breast_cancer() -> None:
    assert reasons(site(), patient()) == ()


def test_site_listing_the_patients_cancer_fits() -> None:
    assert reasons(site(cancers=("digestif", "sein")), patient()) == ()


def test_site_for_other_cancers_says_which_ones_it_takes() -> None:
    found = reasons(site(cancers=("sein", "digestif")), patient(cancer="poumon"))
    assert found == (Reason("cancer", "Réservé aux cancers du sein et digestifs"),)


def test_cancer_reason_lists_three_cancers_with_commas() -> None:
    found = reasons(site(cancers=("sein", "orl", "peau")), patient(cancer="poumon"))
    assert found[0].message == "Réservé aux cancers du sein, ORL et de la peau"


def test_closer_team_for_children_only_is_reported_with_reason() -> None:
    found = reasons(site(publics=("enfants",)), patient(age=40))
    assert found == (Reason("age", "Réservé aux enfants (0-17 ans)"),)


def test_age_reason_names_every_public_of_the_site() -> None:
    found = reasons(site(publics=("enfants", "aja")), patient(age=40))
    assert found[0].message == (
        "Réservé aux enfants (0-17 ans) et aux adolescents et jeunes adultes (15-25 ans)"
    )


@pytest.mark.parametrize(
    ("age", "groups"),
    [
        (0, ("enfants",)),
        (14, ("enfants",)),
        (15, ("enfants", "aja")),
        (17, ("enfants", "aja")),
        (18, ("aja", "adultes")),
        (25, ("aja", "adultes")),
        (26, ("adultes",)),
        (150, ("adultes",)),
        (151, ()),
    ],
)
def test_age_groups_follow_the_ranges_of_the_schema(age: int, groups: tuple[str, ...]) -> None:
    assert age_groups(age) == groups


def test_seventeen_year_old_fits_an_aja_site() -> None:
    assert reasons(site(publics=("aja",)), patient(age=17)) == ()


def test_site_without_a_requested_care_names_the_missing_care() -> None:
    found = reasons(site(soins=("activite_physique",)), patient(soins=("dietetique",)))
    assert found == (Reason("soins", "Ne propose pas : bilan et consultations diététiques"),)


def test_every_requested_care_must_be_offered() -> None:
    wanted = ("activite_physique", "dietetique", "psychologie")
    found = reasons(site(soins=("activite_physique",)), patient(soins=wanted))
    assert found[0].message == (
        "Ne propose pas : bilan et consultations diététiques et bilan et consultations "
        "psychologiques"
    )


def test_site_serving_other_departments_says_which_ones() -> None:
    found = reasons(site(zone=("68", "90")), patient())
    assert found == (
        Reason("zone", "Ne dessert pas ce territoire (Haut-Rhin (68), Territoire de Belfort (90))"),
    )


def test_site_serving_the_patients_department_or_commune_fits() -> None:
    assert reasons(site(zone=("68", "67")), patient()) == ()
    assert reasons(site(zone=("67482",)), patient()) == ()


def test_inactive_site_is_reported_first_with_its_other_reasons() -> None:
    found = reasons(site(actif=False, publics=("enfants",)), patient())
    assert codes(found) == ["inactif", "age"]
    assert found[0].message == "Structure inactive"


def test_every_failed_rule_is_reported_in_a_fixed_order() -> None:
    record = site(cancers=("poumon",), publics=("enfants",), soins=("psychologie",), zone=("2A",))
    assert codes(reasons(record, patient())) == ["cancer", "age", "soins", "zone"]


def test_patient_in_an_arrondissement_is_in_its_city_and_department() -> None:
    found = patient_at(LYON_3E, "sein", 54, ["dietetique"], get_gazetteer())
    assert found.zone_codes == {"69383", "69123", "69"}
    assert found.citycode == "69383"
    assert found.departement == "69"


def test_site_serving_lyon_fits_a_patient_of_lyon_3e() -> None:
    lyon_patient = patient_at(LYON_3E, "sein", 54, ["dietetique"], get_gazetteer())
    assert reasons(site(zone=("69123",)), lyon_patient) == ()


def test_patient_department_comes_from_the_gazetteer_when_the_geocoder_gives_none() -> None:
    place = GeocodeResult(
        "Colmar", "68066", "68000", "Colmar", 48.08, 7.36, 1.0, Precision.MUNICIPALITY
    )
    assert patient_at(place, "autre", 30, ["psychologie"], get_gazetteer()).departement == "68"


def test_repeated_cares_are_asked_once() -> None:
    found = patient_at(LYON_3E, "sein", 54, ["dietetique", "dietetique"], get_gazetteer())
    assert found.soins == ("dietetique",)
