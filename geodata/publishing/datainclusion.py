"""The published directory for data·inclusion: carriers as structures, sites' offers as services.

data·inclusion gathers social and health services for national platforms; its schema is the
`Structure` and `Service` models (v1) of the `data-inclusion-schema` package. This module builds
plain dicts with those fields (the tests validate them with the package's models, which the
application itself never imports). A structure is a carrier (`structure_porteuse`), or the site
itself when the file names none; a service is an active site's pathway offer. Ids are
"<source>--<network>:<...>", and empty fields are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.contract.schema import load_schema
from geodata.publishing.versions import current_version, published_records
from geodata.storage.models import Network, Publication
from geodata.text import fold_words

# The producer's name in data·inclusion, the first part of every id: never change it.
SOURCE = "annuaire-parcours-apres-cancer"
PATHWAY = "Parcours de soins global après cancer"
NAME_LENGTHS = (3, 150)  # what the models accept for `nom`
LISTED_COMMUNES = 20  # in a structure's description (at most 10,000 characters)
# data·inclusion themes (v1 `Thematique`): those of every pathway offer, then those of each care.
THEMES = ("sante--acces-aux-soins",)
CARE_THEMES = {
    "activite_physique": ("remobilisation--activites-sportives-et-culturelles",),
    "psychologie": ("sante--sante-mentale",),
}
# Age groups with a data·inclusion public (v1 `Public`). A site taking adults is open to every
# public: the pathway is restricted by a medical condition, which `conditions_acces` states.
PUBLICS = {"enfants": "familles", "aja": "jeunes"}
ALL_PUBLICS = "tous-publics"
FEES = (
    "Le patient ne paie rien et n'avance rien : l'Assurance maladie verse directement à l'équipe "
    "un forfait annuel pour les bilans et consultations prescrits."
)
CONDITIONS = (
    "Sur prescription médicale, dans les 12 mois suivant la fin des traitements d'un cancer."
)
MOBILISATION = (
    "Le médecin prescrit le parcours ; le patient prend ensuite contact avec l'équipe, "
    "prescription en main."
)
# Overseas departments share the national numbering plan; their country code is the prefix's.
OVERSEAS_CODES = {
    **dict.fromkeys(("0262", "0263", "0269", "0639", "0692", "0693"), "262"),
    **dict.fromkeys(("0590", "0690", "0691"), "590"),
    **dict.fromkeys(("0594", "0694"), "594"),
    **dict.fromkeys(("0596", "0696", "0697"), "596"),
}
# Top-level domains with no deliverable mail, which the models' e-mail check refuses.
UNROUTABLE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
# A label of a host name; "ab--" may only open a Punycode label ("xn--").
_HOST_LABEL = re.compile(r"(?!(?!xn)..--)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", re.IGNORECASE)


@dataclass(frozen=True)
class Publisher:
    """Who publishes the directory and when: what each record says besides its site."""

    slug: str
    name: str
    updated: date  # `date_maj`: the day the current version was published
    base_url: str = ""  # the application's public address; "" leaves `lien_source` out


def to_data_inclusion(
    records: Sequence[SiteRecord], publisher: Publisher
) -> dict[str, list[dict[str, Any]]]:
    """Return `{"structures": [...], "services": [...]}` for the active sites of `records`."""
    active = [record for record in records if record.actif]
    groups: dict[str, list[SiteRecord]] = {}
    for record in active:
        groups.setdefault(structure_key(record), []).append(record)
    return {
        "structures": [_structure(key, sites, publisher) for key, sites in groups.items()],
        "services": [_service(record, publisher) for record in active],
    }


def network_data_inclusion(
    session: Session, network: Network, base_url: str = "", today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Return the network's published directory for data·inclusion (see `to_data_inclusion`)."""
    updated = publication_day(session, network, today or date.today())
    publisher = Publisher(network.slug, network.name, updated, base_url)
    return to_data_inclusion(published_records(session, network), publisher)


def publication_day(session: Session, network: Network, today: date) -> date:
    """Return the day the current version was published (`today` before any), never later."""
    created = session.scalar(
        select(Publication.created_at).where(
            Publication.network_id == network.id,
            Publication.number == current_version(session, network),
        )
    )
    return today if created is None else min(created.date(), today)


def structure_key(record: SiteRecord) -> str:
    """Return what names a site's structure in its network: its carrier, else the site itself.

    Carriers are compared folded ("Ligue 67" and "ligue-67" are one structure); ":" is not
    allowed in an `identifiant`, so the two kinds of keys never meet.
    """
    folded = "-".join(fold_words(record.structure_porteuse))
    return f"porteur:{folded}" if folded else f"lieu:{record.identifiant}"


def _id(publisher: Publisher, key: str) -> str:
    return f"{SOURCE}--{publisher.slug}:{key}"


def _structure(key: str, sites: list[SiteRecord], publisher: Publisher) -> dict[str, Any]:
    first, carrier = sites[0], key.startswith("porteur:")
    record = {
        "source": SOURCE,
        "id": _id(publisher, key),
        "nom": fitted_name(first.structure_porteuse if carrier else first.nom, first.commune),
        "date_maj": publisher.updated.isoformat(),
        "description": f"{PATHWAY} (réseau {publisher.name}) : accueil à {_communes(sites)}.",
        "lien_source": _link(publisher, None if carrier else first),
        **_shared(_address(site) for site in sites),
        **_shared(_contacts(site) | {"site_web": site.site_web} for site in sites),
    }
    return _without_empty(record)


def _communes(sites: Sequence[SiteRecord]) -> str:
    """Return the communes of `sites`, the first `LISTED_COMMUNES` only (descriptions are short)."""
    communes = list(dict.fromkeys(site.commune for site in sites))
    listed = ", ".join(communes[:LISTED_COMMUNES])
    more = len(communes) - LISTED_COMMUNES
    if more <= 0:
        return listed
    plural = "s" if more > 1 else ""
    return f"{listed} et {more} autre{plural} commune{plural}"


def _service(site: SiteRecord, publisher: Publisher) -> dict[str, Any]:
    record = {
        "source": SOURCE,
        "structure_id": _id(publisher, structure_key(site)),
        "id": _id(publisher, site.identifiant),
        "nom": fitted_name(f"{PATHWAY} — {site.nom}", site.commune),
        "description": service_description(site),
        "lien_source": _link(publisher, site),
        "date_maj": publisher.updated.isoformat(),
        "thematiques": themes(site.soins),
        "frais": "gratuit",
        "frais_precisions": FEES,
        "publics": publics(site.publics),
        "publics_precisions": f"Patients après un cancer : {_labels('publics', site.publics)}.",
        "conditions_acces": CONDITIONS,
        **_address(site),
        **_contacts(site),
        **_mobilisation(site),
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": list(site.zone),
    }
    return _without_empty(record)


def fitted_name(text: str, commune: str) -> str:
    """Return `text` as the models take a name: 3 to 150 characters, no final full stop.

    A name too short gets its commune in brackets; one too long is cut with "…".
    """
    shortest, longest = NAME_LENGTHS
    name = text.strip().rstrip(".").rstrip()
    if len(name) < shortest:
        name = f"{name} ({commune})".strip()
    return name if len(name) <= longest else name[: longest - 1].rstrip() + "…"


def _labels(column: str, codes: Iterable[str]) -> str:
    vocabulary = load_schema().vocabulary(column)
    return ", ".join(vocabulary.get(code, code) for code in codes)


def service_description(site: SiteRecord) -> str:
    """Return the offer in French: cares, cancers, publics, then the network's own notes."""
    lines = [
        "Soins du parcours de soins global après le traitement d'un cancer : "
        f"{_labels('soins', site.soins)}.",
        f"Cancers pris en charge : {_labels('cancers', site.cancers)}.",
        f"Publics : {_labels('publics', site.publics)}.",
        site.precisions,
    ]
    return "\n".join(line for line in lines if line)


def themes(soins: Iterable[str]) -> list[str]:
    """Return the data·inclusion themes of a site's cares, sorted."""
    found = set(THEMES)
    for care in soins:
        found.update(CARE_THEMES.get(care, ()))
    return sorted(found)


def publics(age_groups: Sequence[str]) -> list[str]:
    """Return the data·inclusion publics of a site's age groups (see `PUBLICS`)."""
    if "adultes" in age_groups:
        return [ALL_PUBLICS]
    return sorted({PUBLICS[group] for group in age_groups if group in PUBLICS})


def e164(phone: str) -> str:
    """Return a stored number ("03 88 12 34 56", "02 62 ...", "+41 ...") in E.164 form."""
    digits = "".join(char for char in phone if char.isdigit())
    if phone.startswith("+"):
        return "+" + digits
    if len(digits) == 10 and digits.startswith("0"):
        return "+" + OVERSEAS_CODES.get(digits[:4], "33") + digits[1:]
    return phone


def deliverable(email: str) -> str:
    """Return the address as the models take it, else "".

    They want a plain host name after "@" (ASCII letters, digits and hyphens, ending with a
    letter; the directory also takes "_" and international letters) that can receive mail
    (not `UNROUTABLE_DOMAINS`).
    """
    labels = email.rpartition("@")[2].split(".")
    plain = all(_HOST_LABEL.fullmatch(label) for label in labels) and labels[-1][-1:].isalpha()
    return email if plain and labels[-1].lower() not in UNROUTABLE_DOMAINS else ""


def _address(site: SiteRecord) -> dict[str, Any]:
    located = site.location
    return {
        "adresse": site.adresse,
        "code_postal": site.code_postal,
        "commune": site.commune,
        "code_insee": located.citycode if located else "",
        "latitude": located.lat if located else None,
        "longitude": located.lon if located else None,
    }


def _contacts(site: SiteRecord) -> dict[str, Any]:
    return {"telephone": e164(site.telephone), "courriel": deliverable(site.courriel)}


def _mobilisation(site: SiteRecord) -> dict[str, Any]:
    modes = []
    if site.telephone:
        modes.append("telephoner")
    if deliverable(site.courriel):
        modes.append("envoyer-un-courriel")
    return {
        "modes_mobilisation": modes,
        "mobilisable_par": ["professionnels", "usagers"],
        "mobilisation_precisions": MOBILISATION,
    }


def _shared(values: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return the fields every one of `values` has with the same value."""
    items = list(values)
    return {name: value for name, value in items[0].items() if all(v[name] == value for v in items)}


def _link(publisher: Publisher, site: SiteRecord | None = None) -> str:
    """Return the public map of the network, at the site's entry when there is one."""
    if not publisher.base_url:
        return ""
    link = f"{publisher.base_url.rstrip('/')}/?reseau={quote(publisher.slug)}"
    return link if site is None else f"{link}#site-{quote(publisher.slug)}--{site.identifiant}"


def _without_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if value not in (None, "", [])}
