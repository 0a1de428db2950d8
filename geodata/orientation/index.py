"""The published directory in memory: positions and eligibility columns as arrays.

One `SiteIndex` holds, for every published site, its unit vector on the sphere, its cell of a
grid of `CELL_DEGREES` (sites are stored in the order of their cells, so that the sites of a
row of cells are one slice), and its eligibility columns: `actif`, the "|"-joined lists
`cancers`, `publics`, `soins` as one bit mask per site (a bit per code met in the column), and
the zones as a list of sites per code. `nearest.py` searches it.

The index is a value: built once, never changed, shared by the threads of a process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import cos, floor, radians, sin
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from geodata.geo import unit_vectors
from geodata.orientation.spatial import bounding_boxes

Floats = npt.NDArray[np.float64]
Integers = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
_T = TypeVar("_T", bound=np.generic)

# A list column is indexed as bits of an int64: a column with more codes is left to the database.
MAX_LIST_CODES = 62
# The grid's cells: 0.1 degree is about 11 km, some ten sites a cell at 100,000 sites in France.
CELL_DEGREES = 0.1
GRID_COLUMNS = round(360 / CELL_DEGREES) + 1  # cells in a row of the grid, 180 degrees included


class TooManyCodes(Exception):
    """A list column holds more distinct codes than a bit mask can: no index for it."""


def split_list(value: str) -> tuple[str, ...]:
    """Return the codes of a "|"-joined list column, as `storage.sites.site_record` reads them."""
    return tuple(filter(None, value.split("|")))


def _readonly(array: npt.NDArray[_T]) -> npt.NDArray[_T]:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class ListColumn:
    """A list column: each site's codes as a bit mask, and the bit of each code."""

    bits: Mapping[str, int]
    masks: Integers

    @classmethod
    def of(cls, values: Sequence[str]) -> ListColumn:
        bits: dict[str, int] = {}
        known: dict[str, int] = {}  # a column holds few distinct values: decode each once
        for value in set(values):
            mask = 0
            for code in split_list(value):
                mask |= 1 << bits.setdefault(code, len(bits))
            known[value] = mask
        if len(bits) > MAX_LIST_CODES:
            raise TooManyCodes()
        masks = np.fromiter((known[v] for v in values), dtype=np.int64, count=len(values))
        return cls(bits, _readonly(masks))

    def mask_of(self, codes: Iterable[str]) -> int | None:
        """Return the bits of `codes`, or None if a code is in no site's list."""
        mask = 0
        for code in codes:
            if code not in self.bits:
                return None
            mask |= 1 << self.bits[code]
        return mask

    def known_mask(self, codes: Iterable[str]) -> int:
        """Return the bits of those of `codes` that some site lists."""
        return self.mask_of(code for code in codes if code in self.bits) or 0


@dataclass(frozen=True)
class ZoneColumn:
    """The declared zones: the sites without one, and the sites naming each code."""

    unrestricted: Flags
    sites_naming: Mapping[str, Integers]

    @classmethod
    def of(cls, values: Sequence[str]) -> ZoneColumn:
        naming: defaultdict[str, list[int]] = defaultdict(list)
        for position, value in enumerate(values):
            for code in split_list(value):
                naming[code].append(position)
        unrestricted = np.fromiter((not split_list(v) for v in values), np.bool_, len(values))
        positions = {code: _readonly(np.array(sites, np.int64)) for code, sites in naming.items()}
        return cls(_readonly(unrestricted), positions)

    def serves(self, codes: Iterable[str]) -> Flags:
        """Return which sites declare no zone or name one of `codes`."""
        served = self.unrestricted.copy()
        for code in codes:
            sites = self.sites_naming.get(code)
            if sites is not None:
                served[sites] = True
        return served


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """Return the point as a unit vector: the dot product of two is the cosine of their angle."""
    phi, lam = radians(lat), radians(lon)
    return (cos(phi) * cos(lam), cos(phi) * sin(lam), sin(phi))


def _row(lat: float) -> int:
    return floor((lat + 90.0) / CELL_DEGREES)


def _column(lon: float) -> int:
    return floor((lon + 180.0) / CELL_DEGREES)


def _slices(starts: Integers, ends: Integers) -> Integers:
    """Return the positions of the slices [start, end), in order."""
    lengths = ends - starts
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


@dataclass(frozen=True)
class SiteIndex:
    """Every published site: id, position, network and eligibility columns, by position."""

    ids: Integers
    lats: Floats
    lons: Floats
    x: Floats  # the unit vectors' coordinates (see `unit_vector`)
    y: Floats
    z: Floats
    cells: Integers  # each site's grid cell (row * GRID_COLUMNS + column), in ascending order
    actif: Flags
    cancers: ListColumn
    publics: ListColumn
    soins: ListColumn
    zone: ZoneColumn
    network_ids: Integers
    slugs: Mapping[int, str]  # network id -> slug

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Return the bytes its arrays take (the dictionaries of codes and slugs are small)."""
        arrays = [self.ids, self.lats, self.lons, self.x, self.y, self.z, self.cells, self.actif]
        arrays.append(self.network_ids)
        arrays += [self.cancers.masks, self.publics.masks, self.soins.masks]
        arrays += [self.zone.unrestricted, *self.zone.sites_naming.values()]
        return sum(array.nbytes for array in arrays)

    def slug_at(self, position: int) -> str:
        return self.slugs[int(self.network_ids[position])]

    def network_numbers(self, slugs: Sequence[str]) -> list[int]:
        """Return the ids of the networks named by `slugs` (unknown slugs name none)."""
        return [number for number, slug in self.slugs.items() if slug in set(slugs)]

    def near(self, lat: float, lon: float, radius_km: float) -> Integers | None:
        """Return the positions of the sites in cells that may hold a site within `radius_km`
        of the point, in ascending order (None: the whole index)."""
        boxes = bounding_boxes(lat, lon, radius_km)
        if boxes is None:
            return None
        parts = []
        for west, south, east, north in boxes:
            rows = np.arange(_row(south), _row(north) + 1, dtype=np.int64) * GRID_COLUMNS
            starts = np.searchsorted(self.cells, rows + _column(west), side="left")
            ends = np.searchsorted(self.cells, rows + _column(east), side="right")
            parts.append(_slices(starts, ends))
        return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts))


# What `build_index` reads of each site, in this order.
INDEX_FIELDS = ("id", "network_id", "lat", "lon", "actif", "cancers", "publics", "soins", "zone")


def build_index(rows: Sequence[Sequence[Any]], slugs: Mapping[int, str]) -> SiteIndex:
    """Return the index of sites given as rows starting with `INDEX_FIELDS`, with their
    networks' slugs.

    Raises:
        TooManyCodes: a list column holds more than `MAX_LIST_CODES` distinct codes.
    """
    cells = [_row(row[2]) * GRID_COLUMNS + _column(row[3]) for row in rows]
    order = sorted(range(len(rows)), key=cells.__getitem__)
    columns = list(zip(*(rows[n] for n in order), strict=True)) or [()] * len(INDEX_FIELDS)
    ids, networks, lats, lons, actif, cancers, publics, soins, zone = columns[: len(INDEX_FIELDS)]
    lat, lon = np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64)
    vectors = unit_vectors(lat, lon)
    return SiteIndex(
        ids=_readonly(np.array(ids, dtype=np.int64)), lats=_readonly(lat), lons=_readonly(lon),
        x=_readonly(vectors[:, 0].copy()), y=_readonly(vectors[:, 1].copy()),
        z=_readonly(vectors[:, 2].copy()),
        cells=_readonly(np.array([cells[n] for n in order], dtype=np.int64)),
        actif=_readonly(np.array([bool(a) for a in actif], dtype=np.bool_)),
        cancers=ListColumn.of(cancers), publics=ListColumn.of(publics),
        soins=ListColumn.of(soins), zone=ZoneColumn.of(zone),
        network_ids=_readonly(np.array(networks, dtype=np.int64)), slugs=dict(slugs),
    )  # fmt: skip
