"""A coverage study from end to end: check the request, load the sites, answer with figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from geodata.contract.schema import load_schema
from geodata.coverage.analysis import Nearest, nearest_sites
from geodata.coverage.area import Area, communes_in
from geodata.coverage.sites import Profile, candidate_site, eligible_sites
from geodata.coverage.summary import Summary, summarise
from geodata.errors import InvalidValue
from geodata.orientation.eligibility import ALL_CANCERS
from geodata.reference.gazetteer import Gazetteer

DEFAULT_KM = 30.0
MAX_KM = 500.0
MAX_AGE = 120
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class CoverageRequest:
    """What a coverage is asked for: a profile, an area, a distance, maybe candidates."""

    profile: Profile
    area: Area
    km: float = DEFAULT_KM
    networks: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()  # "what if" sites: a commune or "lat,lon" each


@dataclass(frozen=True)
class Study:
    """The answer: every commune's nearest site and the figures; with candidates, the same
    without them (`before`) and the communes whose nearest site changed."""

    request: CoverageRequest
    nearest: Nearest
    summary: Summary
    before: Summary | None = None
    changed: tuple[int, ...] = ()


def check_profile(cancer: str, age: int, soins: Sequence[str]) -> Profile:
    """Return the profile if its values are known codes and a plausible age.

    Raises:
        InvalidValue: the first unknown value, with the accepted ones in the message.
    """
    return Profile(check_cancer(cancer), check_age(age), check_soins(soins))


def check_cancer(cancer: str) -> str:
    """Return `cancer` if it is a cancer code (not "tous")."""
    cancers = dict(load_schema().vocabulary("cancers"))
    cancers.pop(ALL_CANCERS, None)
    if cancer not in cancers:
        known = ", ".join(f"{code} ({label})" for code, label in cancers.items())
        message = f"Cancer inconnu. Codes possibles : {known}."
        raise InvalidValue(message, field="cancer", value=cancer[:20])
    return cancer


def check_age(age: int) -> int:
    """Return `age` if it is a plausible age in years."""
    if not 0 <= age <= MAX_AGE:
        raise InvalidValue(f"L'âge doit être de 0 à {MAX_AGE} ans.", field="age", value=str(age))
    return age


def check_soins(soins: Sequence[str]) -> tuple[str, ...]:
    """Return the cares asked, without repeats, if each is a known code."""
    labels = load_schema().vocabulary("soins")
    for code in soins:
        if code not in labels:
            known = ", ".join(f"{c} ({label})" for c, label in labels.items())
            message = f"Soin inconnu : {code}. Codes possibles : {known}."
            raise InvalidValue(message, field="soins", value=code[:20])
    return tuple(dict.fromkeys(soins))


def check_km(km: float) -> float:
    """Return `km` if it is a usable distance threshold."""
    if not 0 < km <= MAX_KM:
        raise InvalidValue(
            f"La distance doit être comprise entre 0 et {MAX_KM:g} km.", field="km", value=str(km)
        )
    return km


def study_coverage(session: Session, gazetteer: Gazetteer, request: CoverageRequest) -> Study:
    """Return the coverage of `request.area` for its profile, and the "what if" if asked.

    Raises:
        InvalidValue: too many candidates, or one that places no site.
    """
    if len(request.candidates) > MAX_CANDIDATES:
        message = f"Au plus {MAX_CANDIDATES} sites candidats à la fois."
        raise InvalidValue(message, field="candidat", value=str(len(request.candidates)))
    communes = communes_in(gazetteer, request.area)
    sites = eligible_sites(session, request.profile, gazetteer, request.networks)
    nearest = nearest_sites(communes, sites)
    if not request.candidates:
        return Study(request, nearest, summarise(nearest, request.km, gazetteer))
    extra = [candidate_site(text, gazetteer, n) for n, text in enumerate(request.candidates, 1)]
    after = nearest_sites(communes, [*sites, *extra])
    changed = np.nonzero(after.site >= len(sites))[0]
    return Study(
        request,
        after,
        summarise(after, request.km, gazetteer),
        before=summarise(nearest, request.km, gazetteer),
        changed=tuple(int(i) for i in changed),
    )
