"""Plain values the orientation templates show: labels, contacts, restrictions, French dates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from geodata.contract.records import SiteRecord
from geodata.contract.schema import load_schema
from geodata.orientation.eligibility import ALL_CANCERS, zone_words
from geodata.orientation.search import Hit
from geodata.orientation.service import OrientationAnswer

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

# What each care is, for the patient reading the sheet.
CARE_DETAILS = {
    "activite_physique": (
        "Un bilan d'une heure avec un professionnel de l'activité physique adaptée : votre "
        "condition physique, vos envies, et un programme d'activité à votre mesure."
    ),
    "dietetique": (
        "Un bilan d'une heure avec un diététicien, puis si besoin des consultations de "
        "suivi de 30 minutes."
    ),
    "psychologie": (
        "Un bilan d'une heure avec un psychologue, puis si besoin des consultations de "
        "suivi de 30 minutes."
    ),
}


def vocabulary(name: str) -> dict[str, str]:
    return load_schema().vocabulary(name)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def labels(name: str, codes: Iterable[str]) -> list[str]:
    """Return the French labels of vocabulary codes, capitalised, in the given order."""
    words = vocabulary(name)
    return [_capitalised(words.get(code, code)) for code in codes]


def form_options(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the form's choices and the values to show again."""
    cancers = {code: _capitalised(label) for code, label in vocabulary("cancers").items()}
    cancers.pop(ALL_CANCERS, None)
    soins = {code: _capitalised(label) for code, label in vocabulary("soins").items()}
    return {"data": values, "cancers": cancers, "soins": soins}


def km(distance: float) -> str:
    """Return a distance in kilometres with one decimal and a French comma."""
    return f"{distance:.1f}".replace(".", ",") + " km"


def french_date(day: date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def phone_uri(number: str) -> str:
    """Return a tel: URI (digits and a leading +), or "" when there is no number."""
    digits = re.sub(r"[^0-9+]", "", number)
    return f"tel:{digits}" if digits else ""


def web_url(url: str) -> str:
    """Return `url` if it is a web address; anything else (javascript:...) is not linked."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@dataclass(frozen=True)
class Restrictions:
    cancers: str  # "" when every cancer is accepted
    publics: str
    zone: str  # "Moselle (57), Colmar (68)"; "" when no territory is declared


def restrictions(record: SiteRecord) -> Restrictions:
    cancers = "" if ALL_CANCERS in record.cancers else ", ".join(labels("cancers", record.cancers))
    publics = ", ".join(labels("publics", record.publics))
    # The same words as a team left out for its zone, on the same page: never bare codes
    # (a commune's INSEE code reads as a postcode).
    return Restrictions(cancers, publics, zone_words(record.zone))


@dataclass(frozen=True)
class TeamView:
    """One eligible team as the results list and the sheet show it."""

    record: SiteRecord
    network: str
    distance: str
    tel: str
    website: str
    soins: list[str]
    restrictions: Restrictions


def team(hit: Hit) -> TeamView:
    return _team(hit.record, hit.network, km(hit.distance_km))


def team_sheet(record: SiteRecord, network_name: str) -> TeamView:
    return _team(record, network_name, "")


def _team(record: SiteRecord, network: str, distance: str) -> TeamView:
    return TeamView(
        record=record,
        network=network,
        distance=distance,
        tel=phone_uri(record.telephone),
        website=web_url(record.site_web),
        soins=labels("soins", record.soins),
        restrictions=restrictions(record),
    )


@dataclass(frozen=True)
class LeftOutView:
    nom: str
    commune: str
    distance: str
    reasons: list[str]


def left_out(hit: Hit) -> LeftOutView:
    reasons = [reason.message for reason in hit.reasons]
    return LeftOutView(hit.record.nom, hit.record.commune, km(hit.distance_km), reasons)


def split_left_out(answer: OrientationAnswer) -> dict[str, list[LeftOutView]]:
    """Split the teams left out: closer than the first result (`closest`), or not (`farther`)."""
    first = answer.results[0].distance_km if answer.results else float("inf")
    views = [(hit.distance_km < first, left_out(hit)) for hit in answer.left_out]
    return {
        "left_out": [view for _, view in views],
        "closest": [view for closer, view in views if closer],
        "farther": [view for closer, view in views if not closer],
    }


@dataclass(frozen=True)
class Care:
    code: str
    label: str
    details: str


def care_descriptions(codes: Sequence[str]) -> list[Care]:
    return [
        Care(code, label, CARE_DETAILS.get(code, ""))
        for code, label in zip(codes, labels("soins", codes), strict=True)
    ]


def second_choices(teams: Sequence[TeamView]) -> list[TeamView | None]:
    """Return, for each team of the list, the team the sheet may add as a second choice.

    The nearest other team: the second for the first, the first for the others.
    """
    if len(teams) < 2:
        return [None] * len(teams)
    return [teams[1], *([teams[0]] * (len(teams) - 1))]


def left_out_line(count: int) -> str:
    """Return "3 équipes plus proches n'acceptent pas ce patient" (singular for one)."""
    if count == 1:
        return "1 équipe plus proche n'accepte pas ce patient"
    return f"{count} équipes plus proches n'acceptent pas ce patient"
