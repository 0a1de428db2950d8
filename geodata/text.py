"""Folding of French place names into comparison keys shared by the gazetteer and the geocoder.

A key is lower case, without accents or punctuation, with single spaces, and with the usual
spelling variants made equal: "St"/"Ste" for "Saint"/"Sainte", "lès"/"lez" for "les",
ordinals "3e"/"3ème"/"3eme" for "3", and the word "arrondissement" dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Articles INSEE puts before commune names (TNCC codes 2 to 8), as folded words.
ARTICLES = ("le", "la", "les", "l", "aux", "las", "los")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Matched after folding, so "3ème" arrives as "3eme".
_ORDINAL = re.compile(r"^(\d{1,2})(?:e|er|ere|eme|ieme|em)$")
_WORD_ALIASES = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "lez": "les",
    "mt": "mont",
}
_DROPPED_WORDS = frozenset({"arrondissement", "arrondissements", "arr", "arrt"})


def strip_accents(text: str) -> str:
    """Return `text` without diacritics (é -> e, ç -> c, œ -> oe)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_words(text: str) -> list[str]:
    """Split `text` into folded words: lower case, no accents, punctuation as separators."""
    return _NON_ALNUM.sub(" ", strip_accents(text).lower()).split()


def _normalise_word(word: str) -> str:
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return str(int(ordinal.group(1)))
    return _WORD_ALIASES.get(word, word)


def normalise_words(words: list[str]) -> list[str]:
    """Make spelling variants equal in already folded words (St -> saint, 3e -> 3...)."""
    return [_normalise_word(word) for word in words if word not in _DROPPED_WORDS]


def without_cedex(words: list[str]) -> list[str]:
    """Drop "cedex" and its office number from folded words ("lyon cedex 07" -> "lyon")."""
    kept: list[str] = []
    after_cedex = False
    for word in words:
        if word == "cedex":
            after_cedex = True
        elif not (after_cedex and word.isdigit() and len(word) <= 2):
            kept.append(word)
            after_cedex = False
    return kept


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Return the comparison key of a place name ("St-Étienne" -> "saint etienne")."""
    return " ".join(normalise_words(fold_words(text)))


def without_article(key: str) -> str:
    """Return `key` without a leading article ("le havre" -> "havre"); unchanged if none."""
    head, _, rest = key.partition(" ")
    if rest and head in ARTICLES:
        return rest
    return key
