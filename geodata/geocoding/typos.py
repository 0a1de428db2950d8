"""Typo matching of town names for the local geocoder: close keys of the gazetteer, fast.

Candidates are narrowed before the comparison: to the department when the query gives one,
else to keys sharing the first letter (or the second) and a similar length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from geodata.reference.gazetteer import Commune
from geodata.text import name_key

MIN_FUZZY_CHARS = 4
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0..100)
MAX_MATCHES = 8


class TypoIndex:
    """Find the name keys close to a misspelt town name."""

    def __init__(self, names: Mapping[str, list[Commune]]) -> None:
        # Keys of whole names; the others are names without their article ("havre").
        self._full_keys = frozenset(
            key for key, found in names.items() if any(name_key(c.name) == key for c in found)
        )
        by_department: dict[str, set[str]] = defaultdict(set)
        by_letter: dict[tuple[int, str, int], list[str]] = defaultdict(list)
        for key in sorted(names):
            for position in range(min(2, len(key))):
                by_letter[(position, key[position], len(key))].append(key)
            for commune in names[key]:
                by_department[commune.department].add(key)
        self._by_department = {dep: sorted(keys) for dep, keys in by_department.items()}
        self._by_letter = dict(by_letter)

    def close_keys(self, targets: list[str], department: str | None) -> dict[str, float]:
        """Return the keys close to any of `targets`, with their best ratio (0..100)."""
        best: dict[str, float] = {}
        for target in targets:
            if len(target) < MIN_FUZZY_CHARS:
                continue
            for choices in self._pools(target, department):
                found = process.extract(
                    target, choices, scorer=fuzz.ratio, limit=MAX_MATCHES, score_cutoff=FUZZY_CUTOFF
                )
                for key, ratio, _ in found:
                    if self._close_on_whole_name(target, key):
                        best[key] = max(best.get(key, 0.0), ratio)
                if found:
                    break
        return best

    def _close_on_whole_name(self, target: str, key: str) -> bool:
        """Tell whether a typo match holds on the whole name, article included.

        A key without its article ("noue" for La Noue) is shorter, so a ratio of 80 lets
        unrelated words through ("noumea"): for those, one edit at most.
        """
        return key in self._full_keys or Levenshtein.distance(target, key) <= 1

    def _pools(self, target: str, department: str | None) -> list[list[str]]:
        """Return the key lists to search for typos of `target`, in turn until one matches."""
        if department is not None:
            return [self._by_department.get(department, [])]
        # A ratio of 80 or more needs lengths within a factor 1.5 of each other.
        low, high = int(len(target) / 1.5), int(len(target) * 1.5) + 1
        return [
            [
                key
                for n in range(low, high + 1)
                for key in self._by_letter.get((position, target[position], n), ())
            ]
            for position in (0, 1)
        ]
