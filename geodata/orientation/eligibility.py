"""Eligibility of a team for a patient, as pure functions on plain values.

The search (`search.py`) expresses the same rules in SQL; `reasons` explains, in French,
why a site that the database left out does not fit the patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

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


_INACTIVE = Reason("inactif", "Structure inactive")


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


# Each rule below depends on a few of the site's and the patient's values only, which sites and
# patients share a lot: cached, a search explaining dozens of left-out sites words each reason
# once. The caches are bounded; the values are small tuples and strings.
_RULE_CACHE = 4096


@lru_cache(maxsize=_RULE_CACHE)
def _cancer_reason(cancers: tuple[str, ...], cancer: str) -> Reason | None:
    if ALL_CANCERS in cancers or cancer in cancers:
        return None
    phrases = [_CANCER_PHRASES.get(code, code) for code in cancers]
    return Reason("cancer", f"Réservé aux cancers {_french_list(phrases)}")


@lru_cache(maxsize=_RULE_CACHE)
def _age_reason(publics: tuple[str, ...], groups: tuple[str, ...]) -> Reason | None:
    if set(groups) & set(publics):
        return None
    labels = load_schema().vocabulary("publics")
    words = [labels.get(code, code) for code in publics]
    return Reason("age", f"Réservé aux {_french_list(words, ' et aux ')}")


@lru_cache(maxsize=_RULE_CACHE)
def _soins_reason(offered: tuple[str, ...], wanted: tuple[str, ...]) -> Reason | None:
    missing = [code for code in wanted if code not in offered]
    if not missing:
        return None
    labels = load_schema().vocabulary("soins")
    return Reason("soins", f"Ne propose pas : {_french_list([labels[c] for c in missing])}")


@lru_cache(maxsize=_RULE_CACHE)
def _zone_reason(zone: tuple[str, ...]) -> Reason:
    return Reason("zone", f"Ne dessert pas ce territoire ({zone_words(zone)})")


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
    served = not record.zone or not patient.zone_codes.isdisjoint(record.zone)
    found = (
        None if record.actif else _INACTIVE,
        _cancer_reason(record.cancers, patient.cancer),
        _age_reason(record.publics, age_groups(patient.age)),
        _soins_reason(record.soins, patient.soins),
        None if served else _zone_reason(record.zone),
    )
    return tuple(reason for reason in found if reason is not None)
