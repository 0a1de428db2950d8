"""How the command line words an import's problems."""

from __future__ import annotations

from etl.report import format_problem
from geodata.problems import Problem, Severity


def test_a_problem_line_says_where_what_how_serious_and_what_to_do() -> None:
    warning = Problem(2, "telephone", "388123456", "Zéro initial ajouté.", Severity.WARNING)
    assert format_problem(warning) == (
        "ligne 2, colonne telephone (valeur « 388123456 ») : avertissement : Zéro initial ajouté."
    )
    assert format_problem(Problem(0, None, None, "Fichier vide.")) == (
        "fichier : erreur : Fichier vide."
    )
