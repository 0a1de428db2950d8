"""What the form and the printed sheet exchange as text: the typed end-of-treatment date, the
prescription deadline and the optional second team.

The end of treatment is one text field (one Tab stop, unlike the three segments of a date
input) typed the French way, JJ/MM/AAAA; the request parser reads AAAA-MM-JJ.
"""

from __future__ import annotations

import re
from datetime import date

FRENCH_DATE = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})", re.ASCII)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DATE_FORMAT_ERROR = (
    "Date de fin de traitement invalide : tapez le jour, le mois et l'année, "
    "au format JJ/MM/AAAA (par exemple 31/03/2026)."
)
# The second team's key: the network's slug and the team's identifiant.
KEY_SEPARATOR = ":"


def typed_date(raw: str) -> str:
    """Return a typed date as AAAA-MM-JJ ("31/03/2026", "1.4.2026"); other text unchanged."""
    text = raw.strip()
    match = FRENCH_DATE.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def is_date(raw: str) -> bool:
    """Tell whether a typed date is a real calendar day in one of the accepted formats."""
    return read_iso(typed_date(raw)) is not None


def read_iso(text: str) -> date | None:
    """Return an AAAA-MM-JJ date, or None for anything else (no date, a 31 February)."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def team_key(network: str, identifiant: str) -> str:
    return f"{network}{KEY_SEPARATOR}{identifiant}"


def split_key(key: str) -> tuple[str, str] | None:
    """Return the (network, identifiant) of a team key, or None when it is not one."""
    network, separator, identifiant = key.partition(KEY_SEPARATOR)
    return (network, identifiant) if separator and network and identifiant else None
