"""Parsing of a free-text place query into folded words, postcode, department hint and street part.

Only the commune matters to the local geocoder: the house number and street are recognised so
that their words are not mistaken for a town ("12 rue de la Paix": not the commune of Rue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.text import fold_words, normalise_words, without_cedex

MAX_QUERY_CHARS = 200  # longer is not an address: answered "not found" at once
_DEPARTMENT_HINT = re.compile(r"\(\s*(\d{2,3}|2[abAB])\s*\)")
_HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$")
_NUMBER_SUFFIXES = frozenset({"bis", "ter", "quater", "b", "c"})
_ROMAN_DIGITS = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
# "Paris VIII", "Lyon IIIe": Roman arrondissement numbers, only after the three cities.
_ROMAN_NUMBERS = {
    tens + units + suffix: str(10 * (len(tens)) + index)
    for tens in ("", "x", "xx")
    for index, units in enumerate(_ROMAN_DIGITS)
    for suffix in ("", "e", "er", "eme")
    if tens or units
}
_ARRONDISSEMENT_CITIES = frozenset({"paris", "lyon", "marseille"})
STREET_TYPES = frozenset(
    [
        "rue",
        "r",
        "av",
        "ave",
        "avenue",
        "bd",
        "boulevard",
        "blvd",
        "chemin",
        "ch",
        "che",
        "chem",
        "place",
        "pl",
        "allee",
        "allees",
        "impasse",
        "imp",
        "route",
        "rte",
        "quai",
        "cours",
        "square",
        "sq",
        "passage",
        "pass",
        "voie",
        "sentier",
        "lotissement",
        "lot",
        "residence",
        "res",
        "faubourg",
        "fbg",
        "esplanade",
        "promenade",
        "parvis",
        "cite",
        "hameau",
        "lieudit",
        "chaussee",
        "traverse",
        "montee",
        "villa",
        "ruelle",
        "carrefour",
        "rond",
        "point",
        "bp",
        "cs",
        "tsa",
    ]
)
# Words that alone are never a town in an address (but "Lez", "Y" typed alone still are).
STOP_WORDS = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "sur", "sous"})


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into parts. `words` are the folded words that may name the town.

    `street_end` is the index in `words` after the street part (0 when there is none);
    `segments` the indexes where the comma-separated parts start; `postcode_at` the index in
    `words` before which the postcode stood (None when no postcode); `department` and `region`
    the codes of an area the query was narrowed to ("(69)", "Angers, Maine-et-Loire").
    """

    words: tuple[str, ...]
    postcode: str | None
    department: str | None
    street_end: int
    segments: tuple[int, ...]
    postcode_at: int | None
    region: str | None = None

    @property
    def last_segment(self) -> int:
        """The index where the last comma-separated part starts (0 for a single part)."""
        return self.segments[-1] if self.segments else 0

    @property
    def first_segment_end(self) -> int | None:
        """The index where the first comma-separated part ends; None for a single part."""
        return self.segments[1] if len(self.segments) > 1 else None

    @property
    def text(self) -> str:
        """The town part as one key (all words when there is no street)."""
        return " ".join(self.words[self.street_end :])

    @property
    def has_street(self) -> bool:
        return self.street_end > 0


def parse_query(query: str) -> ParsedQuery | None:
    """Cut `query` into parts; None when it is empty or too long to be a place."""
    if len(query) > MAX_QUERY_CHARS or not query.strip():
        return None
    department = None
    hint = _DEPARTMENT_HINT.search(query)
    if hint:
        department = hint.group(1).upper()
        query = query[: hint.start()] + " " + query[hint.end() :]
    words: list[str] = []
    segments: list[int] = []
    postcode: str | None = None
    postcode_at: int | None = None
    for segment in query.split(","):
        segment_words = without_cedex(normalise_words(fold_words(segment)))
        if segment_words and len(words) not in segments:
            segments.append(len(words))
        for word in segment_words:
            if len(word) == 5 and word.isdigit():
                postcode, postcode_at = word, len(words)
            else:
                words.append(word)
    words = _with_arrondissement_numbers(words)
    segments = [start for start in segments if start < len(words)]
    return ParsedQuery(
        tuple(words), postcode, department, _street_end(words), tuple(segments), postcode_at
    )


def _with_arrondissement_numbers(words: list[str]) -> list[str]:
    """Replace a Roman number after Paris, Lyon or Marseille by its digits."""
    return [
        _ROMAN_NUMBERS.get(word, word)
        if index and words[index - 1] in _ARRONDISSEMENT_CITIES
        else word
        for index, word in enumerate(words)
    ]


def _street_end(words: list[str]) -> int:
    """Return the index just after the street type word, or 0 without a recognisable street.

    A street is a house number followed by a street type ("12 rue"), or a street type
    starting a query of several words ("avenue Jean Jaurès Lyon").
    """
    index = 0
    while index < len(words) and (
        _HOUSE_NUMBER.match(words[index]) or (index and words[index] in _NUMBER_SUFFIXES)
    ):
        index += 1
    if index < len(words) - 1 and words[index] in STREET_TYPES:
        return index + 1
    return 0
