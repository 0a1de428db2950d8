"""The words of French address lines that tell their parts apart: street types, buildings...

All in folded form (lower case, no accents), as `geodata.text.fold_words` gives them.
"""

from __future__ import annotations

STREET_TYPES = frozenset(
    {
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
    }
)
# First words of a line naming a building, a residence, a recipient or a place inside a
# commune: a town is never read there when the address has other parts. None of them starts
# a commune's name ("Hôpital-Camfrout", "Apt", "Maison-Rouge", "Porte-de-Savoie" do).
BUILDING_WORDS = frozenset(
    {
        "residence",
        "res",
        "resid",
        "batiment",
        "bat",
        "bt",
        "immeuble",
        "imm",
        "appartement",
        "appart",
        "appt",
        "etage",
        "escalier",
        "esc",
        "chez",
        "clinique",
        "polyclinique",
        "centre",
        "ctre",
        "chu",
        "chr",
        "ehpad",
        "foyer",
        "cabinet",
        "institut",
    }
)
# Post-office boxes: "BP 12", "CS 30519", "TSA 70001" (whose number is not a postcode).
BOX_WORDS = frozenset({"bp", "cs", "tsa"})
COUNTRY_WORDS = frozenset({"france"})
# Words that alone are never a town in an address (but "Lez", "Y" typed alone still are).
STOP_WORDS = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "sur", "sous"})

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


def with_arrondissement_numbers(words: list[str]) -> list[str]:
    """Replace a Roman number after Paris, Lyon or Marseille by its digits."""
    return [
        _ROMAN_NUMBERS.get(word, word)
        if index and words[index - 1] in _ARRONDISSEMENT_CITIES
        else word
        for index, word in enumerate(words)
    ]
