"""The local geocoder: free text to communes, offline, from the gazetteer alone (no street level).

Indexes are built once: the gazetteer's folded-name dictionary for exact names, a sorted key list
for prefixes (autocomplete), and a `TypoIndex` for misspelt names; `AreaNames` reads a trailing
department or region as a hint.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from math import log10

import numpy as np

from geodata.geocoding.areas import AreaNames
from geodata.geocoding.precision import Precision
from geodata.geocoding.query import ParsedQuery, Part, Span, parse_query
from geodata.geocoding.result import GeocodeResult
from geodata.geocoding.typos import TypoIndex
from geodata.geocoding.words import STOP_WORDS, STREET_TYPES
from geodata.reference.gazetteer import CURRENT_KINDS, Commune, Gazetteer
from geodata.text import name_key, without_article

MAX_WINDOW_WORDS = 8
FUZZY_BEATS_PARTIAL = 90.0  # a close typo of the whole query beats an exact part of it
FUZZY_WEIGHT = 0.9  # a typo scores at most this much
PREFIX_MIN_CHARS = 2
ANCHORED_SCORE = 0.9  # the town words at the end of the query or next to the postcode
INSIDE_SCORE = 0.7  # words inside a place name ("Bar" in "Bar le Duc")
POSTCODE_ONLY_SCORE = 0.6  # a street and a postcode, no town: the postcode's communes
# The town contradicts the postcode ("75013 Lyon"): the town is kept, with a low score and a
# note, because the town is what people check; a postcode is easier to mistype.
DESPITE_POSTCODE_SCORE = 0.5
# "Aix" alone means Aix-en-Provence (145,000 people), not Aix in Corrèze (400): a town whose
# name starts with the query comes first when it is this big and this many times bigger.
WELL_KNOWN_POPULATION = 10_000
WELL_KNOWN_RATIO = 20
WELL_KNOWN_MAX = 2
WELL_KNOWN_SCORE = 0.9


@dataclass(frozen=True)
class _Candidate:
    entry: Commune
    score: float
    note: str = ""


class LocalGeocoder:
    """Find communes (not streets) in free text: names, postcodes, addresses, typos, prefixes."""

    street_level = False

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._areas = AreaNames(gazetteer.departments(), gazetteer.regions())
        names = gazetteer.name_keys()
        self._keys = sorted(names)
        self._key_population = np.array([max(c.population for c in names[k]) for k in self._keys])
        self._typos = TypoIndex(names)

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]:
        """Return the communes `query` may designate, best first; [] when nothing fits."""
        parsed = parse_query(query)
        if parsed is None or limit < 1:
            return []
        if not parsed.spans:
            return self._results(self._by_postcode_only(parsed), parsed, limit)
        # A town part that is a commune's whole name ("Indre") is not read as an area.
        whole = " ".join(parsed.words[parsed.spans[0].start :])
        hinted = None if self._gazetteer.by_name_key(whole) else self._areas.hinted(parsed)
        if hinted is not None:
            # "Indre", "Paris" are also towns: without a match in the area, they are the town.
            candidates = self._by_name(hinted, limit)
            if candidates:
                return self._results(candidates, hinted, limit)
        return self._results(self._by_name(parsed, limit), parsed, limit)

    def _by_postcode_only(self, parsed: ParsedQuery) -> list[_Candidate]:
        if parsed.postcode is None:
            return []
        found = self._gazetteer.communes_by_postcode(parsed.postcode)
        return [_Candidate(commune, 0.9) for commune in found]

    def _by_name(self, parsed: ParsedQuery, limit: int) -> list[_Candidate]:
        named = self._exact(parsed)
        exact = self._fitting(named, parsed)
        prefixed = self._fitting(self._prefixed(parsed, limit), parsed)
        if exact and exact[0].score >= 1.0:
            return self._well_known_first(exact, prefixed, parsed)
        if prefixed or (exact and exact[0].score >= ANCHORED_SCORE):
            return prefixed + exact
        typos = self._fitting(self._fuzzy(parsed), parsed)
        if typos and typos[0].score >= FUZZY_BEATS_PARTIAL / 100 * FUZZY_WEIGHT:
            found = typos + prefixed + exact
        else:
            found = prefixed + exact + typos
        if found or parsed.postcode is None:
            return found
        if named and parsed.town_written:
            return self._despite_postcode(named, parsed.postcode)
        # A street and a postcode but no town ("12 rue de la Paix 67000"): its communes.
        return [_Candidate(c.entry, POSTCODE_ONLY_SCORE) for c in self._by_postcode_only(parsed)]

    def _despite_postcode(self, named: list[_Candidate], postcode: str) -> list[_Candidate]:
        """Keep the town a postcode contradicts, its homonyms in the postcode's department first."""
        department = self._gazetteer.department_of_postcode(postcode)
        best = [c for c in named if c.score == named[0].score]
        best.sort(key=lambda candidate: candidate.entry.department != department)
        return [
            _Candidate(
                c.entry,
                min(c.score, DESPITE_POSTCODE_SCORE),
                f"Le code postal {postcode} ne correspond pas à {c.entry.name} : "
                "la commune indiquée a été retenue, vérifiez l'adresse.",
            )
            for c in best
        ]

    def _well_known_first(
        self, exact: list[_Candidate], prefixed: list[_Candidate], parsed: ParsedQuery
    ) -> list[_Candidate]:
        """Put far bigger towns whose names start with the query before small exact matches."""
        named = [c.entry.population for c in exact if c.entry.kind in CURRENT_KINDS]
        needed = max(WELL_KNOWN_POPULATION, WELL_KNOWN_RATIO * max(named, default=0))
        head = parsed.text + " "
        well_known = [
            _Candidate(c.entry, WELL_KNOWN_SCORE)
            for c in prefixed
            if c.entry.population >= needed
            and c.entry.kind in CURRENT_KINDS
            and _starts_with_words(c.entry.name, head)
        ][:WELL_KNOWN_MAX]
        return well_known + exact + prefixed

    def _exact(self, parsed: ParsedQuery) -> list[_Candidate]:
        """Return the communes named by a run of words, the most telling runs first."""
        words = parsed.words
        scored: list[tuple[float, int, bool, int, Commune]] = []
        if parsed.street:
            # Communes named like a street ("Cours-les-Barres", "Ruelle-sur-Touvre").
            scored.extend(self._named(" ".join(words), 1.0))
        for span in parsed.spans:
            for i in range(span.start, span.end):
                for j in range(i + 1, min(span.end, i + MAX_WINDOW_WORDS) + 1):
                    score = _window_score(parsed, span, i, j)
                    if score is not None:
                        scored.extend(self._named(" ".join(words[i:j]), score))
        # Former communes after today's, for the same score ("Boulogne" in Vendée).
        scored.sort(key=_exact_order)
        return [_Candidate(commune, score) for score, _, _, _, commune in scored]

    def _named(self, key: str, score: float) -> list[tuple[float, int, bool, int, Commune]]:
        """Return sortable matches of `key`; "Pin" typed as such comes before "Le Pin"."""
        return [
            (score, len(key), name_key(commune.name) == key, rank, commune)
            for rank, commune in enumerate(self._gazetteer.by_name_key(key))
        ]

    def _fuzzy(self, parsed: ParsedQuery) -> list[_Candidate]:
        """Return the communes whose names are close to the town words (typos).

        Only a town set apart (a place name, after a comma or a postcode) may have a typo:
        otherwise "3 rue du Moulin" would be Moulins.
        """
        span = parsed.town_span
        if span is None:
            return []
        if not parsed.street and len(parsed.spans) == 1:
            targets = [" ".join(parsed.words)]
        else:
            words = parsed.words[span.start : span.end]
            tails = [words[-n:] for n in range(1, min(2, len(words)) + 1)]
            targets = [" ".join(t) for t in tails if not STOP_WORDS.intersection(t)]
            if len(words) > 2:
                targets.append(" ".join(words))
        department = parsed.department
        if parsed.postcode is not None:
            department = self._gazetteer.department_of_postcode(parsed.postcode) or department
        return self._ranked_by_ratio(self._typos.close_keys(targets, department))

    def _ranked_by_ratio(self, ratios: dict[str, float]) -> list[_Candidate]:
        scored: list[tuple[float, Commune]] = []
        for key, ratio in ratios.items():
            for commune in self._gazetteer.by_name_key(key):
                # Between near-equal typos, the bigger town is the likelier one.
                bonus = min(3.0, log10(commune.population + 1) / 2)
                scored.append((ratio + bonus, commune))
        scored.sort(key=lambda item: -item[0])
        return [
            _Candidate(commune, min(ratio, 100.0) / 100 * FUZZY_WEIGHT) for ratio, commune in scored
        ]

    def _prefixed(self, parsed: ParsedQuery, limit: int) -> list[_Candidate]:
        """Return the biggest communes whose names start with the query (autocomplete)."""
        text = parsed.text
        # After a street, only a town checked by its postcode ("62170 Montreuil").
        alone = len(parsed.spans) == 1 and (not parsed.street or parsed.postcode is not None)
        if len(text) < PREFIX_MIN_CHARS or not alone:
            return []
        low = bisect.bisect_left(self._keys, text)
        high = bisect.bisect_left(self._keys, text + "\uffff")
        if high <= low:
            return []
        populations = self._key_population[low:high]
        count = min(len(populations), limit * 4)
        order = np.argsort(-populations, kind="stable")[:count]
        found: list[_Candidate] = []
        for index in order:
            key = self._keys[low + int(index)]
            score = 0.5 + 0.4 * len(text) / len(key)
            found.extend(_Candidate(c, score) for c in self._gazetteer.by_name_key(key))
        return found

    def _fitting(self, candidates: list[_Candidate], parsed: ParsedQuery) -> list[_Candidate]:
        """Keep the candidates that agree with the postcode and department given, if any."""
        gazetteer = self._gazetteer
        if parsed.postcode is not None:
            postcode = parsed.postcode
            candidates = [c for c in candidates if gazetteer.fits_postcode(c.entry, postcode)]
        if parsed.department is not None:
            candidates = [c for c in candidates if c.entry.department == parsed.department]
        if parsed.region is not None:
            candidates = [c for c in candidates if c.entry.region == parsed.region]
        return candidates

    def _results(
        self, candidates: list[_Candidate], parsed: ParsedQuery, limit: int
    ) -> list[GeocodeResult]:
        results: list[GeocodeResult] = []
        seen: set[str] = set()
        ceiling = 1.0
        for candidate in candidates:
            entry = self._arrondissement(candidate.entry, parsed.postcode)
            score = min(candidate.score, ceiling)
            result = self._result(entry, score, parsed.postcode, candidate.note)
            if result.citycode in seen:
                continue
            seen.add(result.citycode)
            results.append(result)
            ceiling = result.score
            if len(results) == limit:
                break
        return results

    def _arrondissement(self, entry: Commune, postcode: str | None) -> Commune:
        """Return the arrondissement of Paris/Lyon/Marseille a postcode designates, if any."""
        if entry.kind != "COM" or postcode is None:
            return entry
        for commune in self._gazetteer.communes_by_postcode(postcode):
            if commune.kind == "ARM" and commune.parent == entry.code:
                return commune
        return entry

    def _result(
        self, entry: Commune, score: float, postcode: str | None, note: str = ""
    ) -> GeocodeResult:
        current = self._gazetteer.current(entry)
        label, city, point = entry.name, current.name, entry
        if entry.kind == "ARM" and entry.parent:
            parent = self._gazetteer.commune(entry.parent)
            city = parent.name if parent else entry.name
        elif entry is not current:
            # A former commune: found under its own name, answered as today's commune.
            label = current.name if entry.name == current.name else f"{entry.name} ({current.name})"
            point = current if entry.name == current.name else entry
        if postcode is None or postcode not in entry.postcodes:
            postcode = entry.postcodes[0] if entry.postcodes else ""
        return GeocodeResult(
            label=label,
            citycode=entry.code if entry.kind == "ARM" else current.code,
            postcode=postcode,
            city=city,
            lat=point.lat,
            lon=point.lon,
            score=round(score, 3),
            type=Precision.MUNICIPALITY,
            department=entry.department,
            note=note,
        )


def _exact_order(item: tuple[float, int, bool, int, Commune]) -> tuple[float, bool, int, bool, int]:
    """Order exact matches: score, today's communes, longer names, typed article, size."""
    score, length, with_article, rank, commune = item
    return (-score, commune.kind not in CURRENT_KINDS, -length, not with_article, rank)


def _starts_with_words(name: str, head: str) -> bool:
    """Tell whether the key of `name`, with or without its article, starts with `head`."""
    key = name_key(name)
    return key.startswith(head) or without_article(key).startswith(head)


def _window_score(parsed: ParsedQuery, span: Span, i: int, j: int) -> float | None:
    """Score words[i:j] of `span` as the town; None where a town cannot be written."""
    words = parsed.words
    if j - i == 1 and words[i] in STOP_WORDS and len(words) > 1:
        return None
    whole = (i, j) == (span.start, span.end)
    if span.part == Part.TOWN:
        if whole:
            return 1.0
        return ANCHORED_SCORE if span.start == i or span.end == j else INSIDE_SCORE
    if span.part == Part.STREET:
        # "12 rue de Paris": Paris names the street; the town must follow a street name.
        # "1 Grande Rue": a street type ends the name, it is no town.
        named = any(word not in STOP_WORDS for word in words[span.start : i])
        return ANCHORED_SCORE if j == span.end and named and words[i] not in STREET_TYPES else None
    last = span == parsed.spans[-1]
    if whole:
        return 1.0 if (span.start, span.end) == (0, len(words)) else ANCHORED_SCORE
    # A comma sets a town apart: "Bron, Lyon" weighs both parts alike.
    if last and (j == span.end or (i == span.start and span.start > 0)):
        return ANCHORED_SCORE
    return None if parsed.street else INSIDE_SCORE
