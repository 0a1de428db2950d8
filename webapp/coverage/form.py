"""The coverage page's form: what an account may choose, and its defaults.

An editor studies their network's departments (all, or one), with their own sites or every
network's; an administrator any area (France, a region, a department) and any network.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from geodata.accounts.users import Account
from geodata.coverage.area import network_departments
from geodata.reference.gazetteer import Gazetteer
from geodata.storage.networks import list_networks

ALL = "tous"
DEFAULTS = {"cancer": "sein", "age": "60", "km": "30"}
MAX_MAP_DEPARTMENTS = 15  # a region's commune outlines; all of France would weigh megabytes


@dataclass(frozen=True)
class Choice:
    """One option of a select: its value and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class Choices:
    """What the account may choose: areas and networks, the first of each being the default."""

    zones: tuple[Choice, ...]
    networks: tuple[Choice, ...]


def choices(account: Account, session: Session, gazetteer: Gazetteer) -> Choices:
    """Return the areas and networks `account` may study."""
    departments = {d.code: d for d in gazetteer.departments()}
    if not account.is_admin and account.network:
        own = network_departments(session, account.network)
        zones = [Choice("", f"Départements du réseau ({', '.join(own) or 'aucun site publié'})")]
        zones += [Choice(f"d:{c}", f"{departments[c].name} ({c})") for c in own if c in departments]
        networks = [
            Choice(account.network, "Les sites de mon réseau"),
            Choice(ALL, "Les sites de tous les réseaux"),
        ]
        return Choices(tuple(zones), tuple(networks))
    zones = [Choice("", "Toute la France")]
    zones += [Choice(f"r:{r.code}", f"Région {r.name}") for r in gazetteer.regions()]
    zones += [Choice(f"d:{d.code}", f"{d.name} ({d.code})") for d in departments.values()]
    networks = [Choice(ALL, "Tous les réseaux")]
    networks += [Choice(n.slug, n.name) for n in list_networks(session)]
    return Choices(tuple(zones), tuple(networks))


def query_values(
    args: dict[str, list[str]], account: Account, session: Session, allowed: Choices
) -> dict[str, list[str]]:
    """Return the coverage query of the form's values, within what `account` may choose."""
    values = {name: args.get(name) or [default] for name, default in DEFAULTS.items()}
    values |= {name: args[name] for name in ("soins", "candidat") if name in args}
    zone = _allowed(args.get("zone", [""])[0], allowed.zones)
    if zone.startswith("r:"):
        values["region"] = [zone[2:]]
    elif zone.startswith("d:"):
        values["departement"] = [zone[2:]]
    elif not account.is_admin and account.network:
        # A network that has published nothing yet studies all of France.
        values["departement"] = list(network_departments(session, account.network))
    network = _allowed(args.get("reseau", [""])[0], allowed.networks)
    if network != ALL:
        values["reseau"] = [network]
    return values


def _allowed(value: str, options: tuple[Choice, ...]) -> str:
    """Return `value` if it is one of `options`, else the first (the default)."""
    return value if any(option.value == value for option in options) else options[0].value


def api_query(values: dict[str, list[str]], output: str) -> str:
    """Return the query string of `GET /api/v1/couverture` for `values` in format `output`."""
    return urlencode([*((k, v) for k, vs in values.items() for v in vs), ("format", output)])
