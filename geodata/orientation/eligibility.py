"""Eligibility of a team for a patient, as pure functions on plain values.

The search (`search.py`) expresses the same rules in SQL; `reasons` explains, in French,
why a site that the database left out does not fit the patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from geodata.contract.records import SiteRecord
from geodata.contract.schema import age_ranges, load_schema
from geodata.geocoding import GeocodeResult
from geodata.reference.gazetteer import Gazetteer, get_gazetteer

ALL_CANCERS = "tous"

# How each cancer code reads after "Réservé aux cancers ..." (agreement and articles).
_CANCER_PHRASES = {
    "sein": "du sein",
    "digestif": "digestifs",
    "poumon": "du poumon",
    "prostate": "de la prostate",
    "gynecologique": "gynécologiques",
    "hematologique": "hématologiques",
    "orl": "ORL",
    "peau": "de la peau",
    "urologique": "urologiques",
    "autre": "d'autres localisations",
}


@dataclass(frozen=True)
class Patient:
    """What the rules need to know about a patient; never logged, never stored."""

    cancer: str
    age: int
    soins: tuple[str, ...]
    citycode: str
    departement: str
    # Every code a site's zone may name to include the patient: department, commune and,
    # for an arrondissement or a former commune, the current city's code.
    zone_codes: frozenset[str]


@dataclass(frozen=True)
class Reason:
    """Why a site does not fit the patient: a stable code and a French sentence."""

    code: str  # "inactif", "cancer", "age", "soins" or "zone"
    message: str


@cache
def age_groups(age: int) -> tuple[str, ...]:
    """Return the `publics` codes whose age range holds `age`, in the contract's order."""
    return tuple(code for code, (low, high) in age_ranges().items() if low <= age <= high)


def patient_at(
    place: GeocodeResult, cancer: str, age: int, soins: Sequence[str], gazetteer: Gazetteer
) -> Patient:
    """Return the patient living at `place` with the given cancer, age and requested cares.

    The values come checked from the request parser (`service.parse_query`), the one place
    that knows which cancers, ages and cares a request may hold.
    """
    codes = {place.citycode}
    department = place.department
    commune = gazetteer.commune(place.citycode)
    if commune is not None:
        department = department or commune.department
        codes.add(gazetteer.current(commune).code)
        if commune.parent is not None:
            codes.add(commune.parent)
    if department:
        codes.add(department)
    return Patient(
        cancer=cancer,
        age=age,
        soins=tuple(dict.fromkeys(soins)),
        citycode=place.citycode,
        departement=department,
        zone_codes=frozenset(codes),
    )


def _french_list(items: Sequence[str], last: str = " et ") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def _cancer_reason(record: SiteRecord, patient: Patient) -> Reason | None:
    if ALL_CANCERS in record.cancers or patient.cancer in record.cancers:
        return None
    phrases = [_CANCER_PHRASES.get(code, code) for code in record.cancers]
    return Reason("cancer", f"Réservé aux cancers {_french_list(phrases)}")


def _age_reason(record: SiteRecord, patient: Patient) -> Reason | None:
    if set(age_groups(patient.age)) & set(record.publics):
        return None
    labels = load_schema().vocabulary("publics")
    publics = [labels.get(code, code) for code in record.publics]
    return Reason("age", f"Réservé aux {_french_list(publics, ' et aux ')}")


def _soins_reason(record: SiteRecord, patient: Patient) -> Reason | None:
    missing = [code for code in patient.soins if code not in record.soins]
    if not missing:
        return None
    labels = load_schema().vocabulary("soins")
    return Reason("soins", f"Ne propose pas : {_french_list([labels[c] for c in missing])}")


def _zone_reason(record: SiteRecord, patient: Patient) -> Reason | None:
    if not record.zone or patient.zone_codes.intersection(record.zone):
        return None
    return Reason("zone", f"Ne dessert pas ce territoire ({zone_words(record.zone)})")


def zone_words(codes: Sequence[str]) -> str:
    """Say a declared zone in words: "Haut-Rhin (68), Colmar" rather than "68, 68066"."""
    gazetteer = get_gazetteer()
    words = []
    for code in codes:
        department, commune = gazetteer.department(code), gazetteer.commune(code)
        if department is not None:
            words.append(f"{department.name} ({code})")
        elif commune is not None:
            words.append(f"{commune.name} ({commune.department})")
        else:
            words.append(code)
    return ", ".join(words)


def reasons(record: SiteRecord, patient: Patient) -> tuple[Reason, ...]:
    """Return why `record` does not fit `patient`, in a fixed order; () when it is eligible."""
    found = [] if record.actif else [Reason("inactif", "Structure inactive")]
    for rule in (_cancer_reason, _age_reason, _soins_reason, _zone_reason):
        reason = rule(record, patient)
        if reason is not None:
            found.append(reason)
    return tuple(found)
