"""Parsing of a free-text address into folded words and the spans where a town may be written.

Only the commune matters to the local geocoder, so the parser's job is to know where a town
name can stand in a French address line, and where it cannot:

- after a postcode ("62630 Frencq"), the strongest place;
- in a comma-separated part after the street ("12 rue de Metz, Nancy"), or in a query that is
  only a place name ("Saint-Julien", "Bron, Lyon");
- at the very end of a street line without comma nor postcode ("12 rue de la Paix Nancy"),
  only after a street name that is more than linking words ("2 rue de Metz" names no town);

and never inside a street name, a building or residence line ("Résidence Les Lilas",
"Clinique Y", "Centre X 3 avenue de Paris"), a lieu-dit line or a post-office box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from geodata.geocoding.words import (
    BOX_WORDS,
    BUILDING_WORDS,
    COUNTRY_WORDS,
    STREET_TYPES,
    with_arrondissement_numbers,
)
from geodata.text import fold_words, normalise_words, without_cedex

MAX_QUERY_CHARS = 200  # longer is not an address: answered "not found" at once
_DEPARTMENT_HINT = re.compile(r"\(\s*(\d{2,3}|2[abAB])\s*\)")
_HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$")
_NUMBER_SUFFIXES = frozenset({"bis", "ter", "quater", "b", "c"})


class Part(StrEnum):
    """Where in the address a span of words stands, which tells how a town may be read there."""

    TOWN = "town"  # after a postcode
    NAME = "name"  # a place name: the whole query, or a comma-separated part after the street
    STREET = "street"  # a street name: a town only at its end, after a real name


@dataclass(frozen=True)
class Span:
    """Words `start:end` of a query, in a given part of the address."""

    start: int
    end: int
    part: Part


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into parts.

    `words` are the folded words (postcode and post-office boxes removed); `spans` the word
    ranges where the town may be written, most telling first; `street` whether a street,
    building or lieu-dit line was recognised; `department` and `region` the codes of an area
    the query was narrowed to ("(69)", "Angers, Maine-et-Loire").
    """

    words: tuple[str, ...]
    postcode: str | None
    department: str | None
    spans: tuple[Span, ...]
    street: bool = False
    region: str | None = None

    @property
    def town_span(self) -> Span | None:
        """The span most likely to hold the town: after the postcode, else the last name."""
        for part in (Part.TOWN, Part.NAME):
            found = [span for span in self.spans if span.part == part]
            if found:
                return found[0] if part == Part.TOWN else found[-1]
        return None

    @property
    def text(self) -> str:
        """The words of the town span as one key ("" when the town can only end a street)."""
        span = self.town_span
        return " ".join(self.words[span.start : span.end]) if span else ""

    @property
    def is_place_name(self) -> bool:
        """Tell whether the query is only a place name: no street, no building, no postcode."""
        return not self.street and self.postcode is None and self.text == " ".join(self.words)

    @property
    def town_written(self) -> bool:
        """Tell whether a town may be written after a postcode or in a part of its own."""
        return self.town_span is not None

    @property
    def needs_town(self) -> bool:
        """Tell whether the query is a street line with neither town part nor postcode."""
        return self.street and self.postcode is None and not self.town_written


@dataclass
class _Line:
    """The query being cut: words so far, spans by kind, the postcode."""

    words: list[str] = field(default_factory=list)
    towns: list[Span] = field(default_factory=list)
    names: list[Span] = field(default_factory=list)
    streets: list[Span] = field(default_factory=list)
    postcode: str | None = None
    street_seen: bool = False
    after_postcode: bool = False


def parse_query(query: str) -> ParsedQuery | None:
    """Cut `query` into parts; None when it is empty or too long to be a place."""
    if len(query) > MAX_QUERY_CHARS or not query.strip():
        return None
    department = None
    hint = _DEPARTMENT_HINT.search(query)
    if hint:
        department = hint.group(1).upper()
        query = query[: hint.start()] + " " + query[hint.end() :]
    segments = [_segment_words(segment) for segment in query.split(",")]
    segments = _without_country([words for words in segments if words])
    line = _Line()
    for index, words in enumerate(segments):
        _read_segment(line, words, last=index == len(segments) - 1)
    return ParsedQuery(
        tuple(line.words), line.postcode, department, _candidate_spans(line), line.street_seen
    )


def needs_town(query: str) -> bool:
    """Tell whether `query` is a street line that names no commune and gives no postcode."""
    parsed = parse_query(query)
    return parsed is not None and parsed.needs_town


def _segment_words(segment: str) -> list[str]:
    words = without_cedex(normalise_words(fold_words(segment)))
    return with_arrondissement_numbers(_without_boxes(words))


def _without_boxes(words: list[str]) -> list[str]:
    """Drop post-office boxes ("BP 12", "CS 30519"): their numbers are not postcodes."""
    kept: list[str] = []
    after_box = False
    for word in words:
        if not (after_box and word.isdigit()) and word not in BOX_WORDS:
            kept.append(word)
        after_box = word in BOX_WORDS
    return kept


def _without_country(segments: list[list[str]]) -> list[list[str]]:
    """Drop "France" ending the query when something else is left."""
    country = bool(segments) and segments[-1][-1] in COUNTRY_WORDS
    if country and sum(len(words) for words in segments) > 1:
        segments = [*segments[:-1], segments[-1][:-1]]
    return [words for words in segments if words]


def _read_segment(line: _Line, words: list[str], last: bool) -> None:
    """Add a comma-separated part to `line`: split at its postcode, classify the rest."""
    at = next((i for i, word in enumerate(words) if len(word) == 5 and word.isdigit()), None)
    if at is None:
        _read_part(line, words, last)
        return
    line.postcode = words[at]
    _read_part(line, words[:at], last=False)
    after = [word for word in words[at + 1 :] if not (len(word) == 5 and word.isdigit())]
    line.after_postcode = True
    if after:
        line.towns.append(_append(line, after, Part.TOWN))


def _read_part(line: _Line, words: list[str], last: bool) -> None:
    """Add words that are not after a postcode: a street, a building line or a place name."""
    if not words:
        return
    street_at = _street_start(words)
    if street_at is not None:
        line.street_seen = True
        if street_at > 0:  # "Centre X 3 avenue de Paris": the words before are a building
            _append(line, words[:street_at], None)
        after_number = _number_end(words, street_at) if words[street_at][0].isdigit() else street_at
        type_end = _street_type_end(words, after_number)
        _append(line, words[street_at:type_end], None)
        line.streets.append(_append(line, words[type_end:], Part.STREET))
        return
    if not last and (words[0] in BUILDING_WORDS or _is_lieu_dit(words)):
        line.street_seen = True
        _append(line, words, None)
        return
    line.names.append(_append(line, words, Part.NAME))


def _append(line: _Line, words: list[str], part: Part | None) -> Span:
    start = len(line.words)
    line.words.extend(words)
    return Span(start, len(line.words), part or Part.STREET)


def _candidate_spans(line: _Line) -> tuple[Span, ...]:
    """Return where the town may be, most telling first.

    After a postcode, or in parts after the street; a name part before the street is a
    residence or a recipient. Only when neither exists may the town end a street line.
    """
    first_street = line.streets[0].start if line.streets else None
    names = [span for span in line.names if first_street is None or span.start > first_street]
    if line.towns:
        after = [span for span in names if span.start > line.towns[0].start]
        return (*line.towns, *after)
    if names:
        return tuple(names)
    return tuple(span for span in line.streets[-1:] if span.end > span.start)


def _street_start(words: list[str]) -> int | None:
    """Return where a street begins in `words`: a house number, or a leading street type.

    "12 rue", "3 bis avenue", "Centre X 3 avenue" (at the number), "avenue Jean Jaurès"
    (a street type starting several words), "12 Grande Rue" (a house number first).
    """
    for index, word in enumerate(words):
        if _HOUSE_NUMBER.match(word):
            after_number = _number_end(words, index)
            if _street_type_end(words, after_number) > after_number:
                return index
            # "12 Grande Rue": a number first, then a name of two words or more ("69 Lyon" is
            # not a street).
            if index == 0 and len(words) - after_number >= 2 and not words[1].isdigit():
                return 0
    if _street_type_end(words, 0) > 0:
        return 0
    return None


def _number_end(words: list[str], start: int) -> int:
    """Return the index after the house number at `start` and its suffixes ("3 bis")."""
    index = start + 1
    while index < len(words) and words[index] in _NUMBER_SUFFIXES:
        index += 1
    return index


def _street_type_end(words: list[str], start: int) -> int:
    """Return the index after the street type at `start` when a name follows it, else `start`."""
    if start < len(words) - 1 and words[start] in STREET_TYPES:
        return start + 1
    return start


def _is_lieu_dit(words: list[str]) -> bool:
    return words[:2] == ["lieu", "dit"] or words[0] in ("lieudit", "ld")
