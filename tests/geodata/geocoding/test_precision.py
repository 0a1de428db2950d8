"""The precision vocabulary: stored values, French wordings, and what counts as low."""

from __future__ import annotations

import pytest

from geodata.geocoding.precision import Precision


def test_the_values_are_the_strings_stored_and_published() -> None:
    assert [str(p) for p in Precision] == [
        "coordonnees", "housenumber", "street", "locality", "municipality",
    ]  # fmt: skip


@pytest.mark.parametrize("precision", list(Precision))
def test_every_precision_has_its_three_french_wordings(precision: Precision) -> None:
    assert precision.label and precision.placed_label and precision.admin_label


def test_the_api_words_and_the_page_sentences_are_unchanged() -> None:
    assert [Precision(kind).label for kind in ("housenumber", "street", "locality")] == [
        "adresse", "rue", "lieu-dit",
    ]  # fmt: skip
    assert Precision.MUNICIPALITY.label == "commune"
    assert Precision.STREET.placed_label == "localisé à la rue"
    assert Precision.GIVEN.admin_label == "coordonnées données dans le fichier"


def test_only_the_commune_is_a_low_precision() -> None:
    assert [p for p in Precision if p.is_low] == [Precision.MUNICIPALITY]


@pytest.mark.parametrize("value", ["", "poi", "MUNICIPALITY"])
def test_an_unknown_kind_reads_as_the_commune(value: str) -> None:
    assert Precision.parse(value) is Precision.MUNICIPALITY


def test_a_known_kind_reads_as_itself() -> None:
    assert Precision.parse("street") is Precision.STREET
