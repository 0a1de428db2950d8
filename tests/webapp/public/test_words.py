"""Words for codes on the public map: territories by name, vocabulary labels as on /orienter."""

from __future__ import annotations

from geodata.reference.gazetteer import get_gazetteer
from webapp.public.words import department_names, territory_text, vocabularies


def test_a_zone_reads_as_department_names_with_their_code_and_commune_names() -> None:
    text = territory_text(["88", "51108", "51506", "2A", "974"], get_gazetteer())
    assert text == (
        "Vosges (88), Châlons-en-Champagne, Saint-Memmie, Corse-du-Sud (2A), La Réunion (974)"
    )


def test_a_code_naming_no_place_is_shown_as_is_and_names_are_not_repeated() -> None:
    assert territory_text(["99999", "88", "88"], get_gazetteer()) == "99999, Vosges (88)"


def test_filter_labels_are_capitalised_as_on_the_orientation_page() -> None:
    words = vocabularies()
    assert words["cancers"]["sein"] == "Sein"
    assert words["publics"]["enfants"] == "Enfants (0-17 ans)"
    assert words["soins"]["psychologie"] == "Bilan et consultations psychologiques"


def test_every_department_has_a_name_for_the_search_labels() -> None:
    names = department_names(get_gazetteer())
    assert names["83"] == "Var" and names["2B"] == "Haute-Corse" and len(names) == 101
