"""The French gazetteer: communes, departments and regions from the packaged reference files.

Loaded once per process (`get_gazetteer`); every lookup is a dictionary access on keys folded by
`geodata.text.name_key`, so that the spelling of a town by a person or a network still matches.
"""

from __future__ import annotations

import gzip
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from geodata.normalize import postcode_key
from geodata.reference.files import (
    COMMUNES_FILE,
    DATA_DIR,
    DEPARTMENTS_FILE,
    REGIONS_FILE,
    Commune,
    Department,
    Region,
    commune_from_row,
)
from geodata.text import fold_words, name_key, normalise_words, without_article, without_cedex

__all__ = ["Commune", "Department", "Gazetteer", "Region", "get_gazetteer", "load_gazetteer"]

logger = logging.getLogger(__name__)

CURRENT_KINDS = frozenset({"COM", "ARM"})
_KIND_RANK = {"COM": 0, "ARM": 1, "COMD": 2, "COMA": 3}
SUGGESTION_CUTOFF = 70.0  # rapidfuzz ratio (0..100) below which a name is not a near miss


def _rank(commune: Commune) -> tuple[int, int, str]:
    """Sort key: current communes before former ones, then the most populous first."""
    return (_KIND_RANK[commune.kind] >= 2, -commune.population, commune.code)


class Gazetteer:
    """Communes, departments and regions, with lookups by code, postcode and name."""

    def __init__(
        self,
        communes: Iterable[Commune],
        departments: Iterable[Department],
        regions: Iterable[Region],
    ) -> None:
        self._entries = tuple(sorted(communes, key=lambda c: (c.code, _KIND_RANK[c.kind])))
        self._departments = {d.code: d for d in departments}
        self._regions = {r.code: r for r in regions}
        self._by_code_kind = {(c.code, c.kind): c for c in self._entries}
        self._by_code: dict[str, Commune] = {}
        for commune in self._entries:  # sorted so that COM wins over a COMD of the same code
            self._by_code.setdefault(commune.code, commune)
        self._by_key = self._index_names()
        self._by_postcode = self._index_postcodes()
        self._postcode_department, self._prefix_department = self._index_postcode_departments()
        self._keys_by_department: dict[str, list[str]] = {}

    def _index_names(self) -> dict[str, list[Commune]]:
        by_key: dict[str, list[Commune]] = defaultdict(list)
        for commune in self._entries:
            key = name_key(commune.name)
            for variant in {key, without_article(key)}:
                by_key[variant].append(commune)
        return {key: sorted(found, key=_rank) for key, found in by_key.items()}

    def _index_postcodes(self) -> dict[str, list[Commune]]:
        by_postcode: dict[str, list[Commune]] = defaultdict(list)
        for commune in self._entries:
            if commune.kind in CURRENT_KINDS:
                for postcode in commune.postcodes:
                    by_postcode[postcode].append(commune)
        # An arrondissement before its city ("75015": Paris 15e, then Paris), then by size.
        return {
            postcode: sorted(found, key=lambda c: (c.kind != "ARM", -c.population, c.code))
            for postcode, found in by_postcode.items()
        }

    def _index_postcode_departments(self) -> tuple[dict[str, str], dict[str, str]]:
        exact: dict[str, Counter[str]] = defaultdict(Counter)
        prefix: dict[str, Counter[str]] = defaultdict(Counter)
        for postcode, found in self._by_postcode.items():
            for commune in found:
                exact[postcode][commune.department] += 1
                prefix[postcode[:3]][commune.department] += 1
        return (
            {code: count.most_common(1)[0][0] for code, count in exact.items()},
            {code: count.most_common(1)[0][0] for code, count in prefix.items()},
        )

    def commune(self, code: str) -> Commune | None:
        """Return the entry with INSEE `code`, the current commune when a former one shares it."""
        return self._by_code.get(code.strip().upper())

    def current(self, commune: Commune) -> Commune:
        """Return the current commune of a delegated/associated one; COM and ARM are their own."""
        if commune.kind in CURRENT_KINDS or commune.parent is None:
            return commune
        return self._by_code_kind.get((commune.parent, "COM"), commune)

    def arrondissement(self, commune: Commune, postcode: str | None) -> Commune:
        """Return the arrondissement of Paris, Lyon or Marseille that `postcode` designates in
        `commune`, or `commune` itself when there is none."""
        if commune.kind != "COM" or not postcode:
            return commune
        for entry in self.communes_by_postcode(postcode):
            if entry.kind == "ARM" and entry.parent == commune.code:
                return entry
        return commune

    def same_town(self, a: Commune, b: Commune) -> bool:
        """Tell whether two entries are one town (a former commune and its current one, an
        arrondissement and its city)."""

        def town(entry: Commune) -> str:
            current = self.current(entry)
            return current.parent if current.kind == "ARM" and current.parent else current.code

        return town(a) == town(b)

    def communes(self) -> Iterable[Commune]:
        """Return every entry (all kinds), sorted by code."""
        return self._entries

    def department(self, code: str) -> Department | None:
        """Return the department with `code` ("67", "2A", "974"), or None."""
        return self._departments.get(code.strip().upper())

    def departments(self) -> list[Department]:
        """Return every department, sorted by code."""
        return sorted(self._departments.values(), key=lambda d: d.code)

    def region(self, code: str) -> Region | None:
        """Return the region with `code` ("44"), or None."""
        return self._regions.get(code.strip())

    def regions(self) -> list[Region]:
        """Return every region, sorted by code."""
        return sorted(self._regions.values(), key=lambda r: r.code)

    def communes_by_postcode(self, postcode: str) -> list[Commune]:
        """Return the current communes and arrondissements served by `postcode`."""
        normalised = postcode_key(postcode)
        return list(self._by_postcode.get(normalised, ())) if normalised else []

    def department_of_postcode(self, postcode: str) -> str | None:
        """Return the department of `postcode`, also for CEDEX codes not in the list; else None."""
        normalised = postcode_key(postcode)
        if normalised is None:
            return None
        found = self._postcode_department.get(normalised)
        found = found or self._prefix_department.get(normalised[:3])
        if found is None and normalised[:2] in self._departments:
            found = normalised[:2]
        return found

    def by_name_key(self, key: str) -> list[Commune]:
        """Return the entries whose name (with or without article) folds to `key`, best first."""
        return self._by_key.get(key, [])

    def name_keys(self) -> Mapping[str, list[Commune]]:
        """Return the whole index of folded names (for the geocoder's own indexes)."""
        return self._by_key

    def fits_postcode(self, commune: Commune, postcode: str) -> bool:
        """Tell whether `commune` goes with `postcode` (its department for CEDEX codes)."""
        normalised = postcode_key(postcode)
        if normalised is None:
            return False
        if normalised in self._by_postcode:
            return normalised in commune.postcodes or normalised in self.current(commune).postcodes
        return self.department_of_postcode(normalised) == commune.department

    def match_commune(self, name: str, postcode: str | None = None) -> Commune | None:
        """Return the entry a network's town name designates, checked against `postcode`.

        Tolerates case, accents, St/Ste, hyphens, lès/lez, articles, "Cedex"; never guesses a
        typo (see `suggest_communes`). Without postcode, homonyms resolve to the most populous.
        """
        key = _town_key(name)
        candidates = self.by_name_key(key) or self.by_name_key(without_article(key))
        if postcode is not None and postcode.strip():
            candidates = [c for c in candidates if self.fits_postcode(c, postcode)]
        return candidates[0] if candidates else None

    def suggest_communes(
        self, name: str, postcode: str | None = None, limit: int = 3
    ) -> list[Commune]:
        """Return the communes whose names are close to `name` (typos), best first."""
        key = _town_key(name)
        department = self.department_of_postcode(postcode) if postcode else None
        choices = self._keys_in(department) if department else list(self._by_key)
        found = process.extract(
            key, choices, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=SUGGESTION_CUTOFF
        )
        suggestions: list[Commune] = []
        for choice, _score, _index in found:
            for commune in self._by_key[choice]:
                in_department = not department or commune.department == department
                if in_department and commune not in suggestions:
                    suggestions.append(commune)
        return suggestions[:limit]

    def _keys_in(self, department: str) -> list[str]:
        if department not in self._keys_by_department:
            self._keys_by_department[department] = [
                key
                for key, found in self._by_key.items()
                if any(c.department == department for c in found)
            ]
        return self._keys_by_department[department]

    def is_zone_code(self, code: str) -> bool:
        """Tell whether `code` is a department code or a commune/arrondissement INSEE code."""
        code = code.strip().upper()
        if code in self._departments:
            return True
        return (code, "COM") in self._by_code_kind or (code, "ARM") in self._by_code_kind


def _town_key(name: str) -> str:
    """Return the key of a town name as written for mail ("Lyon Cedex 07" -> "lyon")."""
    return " ".join(normalise_words(without_cedex(fold_words(name))))


def load_gazetteer(directory: Path = DATA_DIR) -> Gazetteer:
    """Read the reference files of `directory` into a gazetteer."""
    with gzip.open(directory / COMMUNES_FILE, "rt", encoding="utf-8") as stream:
        communes = [commune_from_row(line.rstrip("\n")) for line in stream]
    departments = [Department(*row) for row in _read_tsv(directory / DEPARTMENTS_FILE)]
    regions = [Region(*row) for row in _read_tsv(directory / REGIONS_FILE)]
    return Gazetteer(communes, departments, regions)


def _read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """Return the gazetteer of the packaged reference files, loaded on first use."""
    logger.info("Loading the gazetteer")
    return load_gazetteer()
