"""How precisely a place was found, and the French words every page and the API use for it."""

from __future__ import annotations

from enum import StrEnum


class Precision(StrEnum):
    """How precisely a place was found: BAN's `type` of a geocoding result, or coordinates
    written in the directory file.

    The values are stored (`sites.geocode_precision`) and published (API `lieu.type`, exports,
    the batch geocoder's `result_type`): they must never change.
    """

    GIVEN = "coordonnees"  # coordinates written in the directory file
    HOUSENUMBER = "housenumber"
    STREET = "street"
    LOCALITY = "locality"
    MUNICIPALITY = "municipality"

    @classmethod
    def parse(cls, value: str) -> Precision:
        """Return the precision a geocoder answered or a database row holds.

        A kind outside the vocabulary (a self-hosted addok may index others, a row may predate
        this check) is trusted no more than the commune: an editor is then asked to check it.
        """
        try:
            return cls(value)
        except ValueError:
            return cls.MUNICIPALITY

    @property
    def label(self) -> str:
        """The short French word, e.g. "commune"; the API publishes it as `lieu.precision`."""
        return _LABELS[self]

    @property
    def placed_label(self) -> str:
        """How the orientation page says where the patient was placed, e.g. "localisé à la rue"."""
        return _PLACED_LABELS[self]

    @property
    def admin_label(self) -> str:
        """How the admin pages say where a site was placed, for an editor to check it."""
        return _ADMIN_LABELS[self]

    @property
    def is_low(self) -> bool:
        """True when the place is only the commune: the admin pages ask an editor to check it."""
        return self is Precision.MUNICIPALITY


_LABELS = {
    Precision.GIVEN: "coordonnées",
    Precision.HOUSENUMBER: "adresse",
    Precision.STREET: "rue",
    Precision.LOCALITY: "lieu-dit",
    Precision.MUNICIPALITY: "commune",
}
_PLACED_LABELS = {
    Precision.GIVEN: "localisé aux coordonnées indiquées",
    Precision.HOUSENUMBER: "localisé à l'adresse",
    Precision.STREET: "localisé à la rue",
    Precision.LOCALITY: "localisé au lieu-dit",
    Precision.MUNICIPALITY: "localisé à la commune",
}
_ADMIN_LABELS = {
    Precision.GIVEN: "coordonnées données dans le fichier",
    Precision.HOUSENUMBER: "à l'adresse (numéro trouvé)",
    Precision.STREET: "dans la rue (numéro non trouvé)",
    Precision.LOCALITY: "au lieu-dit",
    Precision.MUNICIPALITY: "à la mairie de la commune (précision faible)",
}
