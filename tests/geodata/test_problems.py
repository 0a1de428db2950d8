"""Problem severities: the values published and kept, the French words shown."""

from __future__ import annotations

import json

from geodata.problems import Problem, Severity
from geodata.publishing.importing import ImportCheck
from geodata.publishing.pending_json import check_from_json, check_to_json


def test_severity_values_are_the_strings_published_as_gravite() -> None:
    assert [str(s) for s in Severity] == ["erreur", "avertissement"]
    warning = Problem(2, "nom", "x", "Attention.", Severity.WARNING)
    assert json.loads(json.dumps(warning.to_json()))["gravite"] == "avertissement"


def test_each_severity_reads_in_french_on_the_admin_pages_and_the_command_line() -> None:
    assert (Severity.ERROR.label, Severity.WARNING.label) == ("Erreur", "Remarque")
    assert (Severity.ERROR.report_label, Severity.WARNING.report_label) == (
        "erreur", "avertissement",
    )  # fmt: skip


def test_a_kept_check_gets_its_severities_back_as_the_enum() -> None:
    problems = (
        Problem(0, None, None, "Fichier."),
        Problem(2, "nom", "x", "Nom.", Severity.WARNING),
    )
    check = ImportCheck("neon", 0, (), problems, None)
    again = check_from_json(check_to_json(check))
    assert [p.severity for p in again.problems] == [Severity.ERROR, Severity.WARNING]
    assert all(isinstance(p.severity, Severity) for p in again.problems)
    assert not again.ok and again.errors == problems[:1]
