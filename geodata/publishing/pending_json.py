"""The JSON form of an ImportCheck, so a check made now can be published later."""

from __future__ import annotations

import json
from typing import Any

from geodata.contract.records import SiteRecord
from geodata.problems import Problem, Severity
from geodata.publishing.diff import Diff, FieldChange, SiteChange
from geodata.publishing.importing import ImportCheck
from geodata.publishing.problem_file import FileFormat, Team


def _tuples(value: Any) -> Any:
    """Return `value` with JSON lists turned back into the tuples the domain values hold."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def _diff_json(diff: Diff) -> dict[str, Any]:
    return {
        "added": list(diff.added),
        "changed": [
            [change.identifiant, [[c.field, c.old, c.new] for c in change.changes]]
            for change in diff.changed
        ],
        "removed": list(diff.removed),
        "unchanged": diff.unchanged,
    }


def _diff(data: dict[str, Any]) -> Diff:
    changed = tuple(
        SiteChange(ident, tuple(FieldChange(f, _tuples(o), _tuples(n)) for f, o, n in fields))
        for ident, fields in data["changed"]
    )
    return Diff(tuple(data["added"]), changed, tuple(data["removed"]), data["unchanged"])


def _problem(data: dict[str, Any]) -> Problem:
    severity = Severity(data["severity"])
    return Problem(data["line"], data["column"], data["value"], data["message"], severity)


def check_to_json(check: ImportCheck) -> str:
    """Return the JSON text of `check` (records, problems and diff)."""
    problems = [
        {"line": p.line, "column": p.column, "value": p.value, "message": p.message,
         "severity": p.severity}
        for p in check.problems
    ]  # fmt: skip
    return json.dumps(
        {
            "network": check.network,
            "base_version": check.base_version,
            "records": [record.to_json() for record in check.records],
            "problems": problems,
            "diff": _diff_json(check.diff) if check.diff is not None else None,
            "teams": {str(line): [t.identifiant, t.nom] for line, t in check.teams.items()},
            "format": [
                check.file_format.encoding,
                check.file_format.delimiter,
                check.file_format.sep_line,
            ],
        },
        ensure_ascii=False,
    )


def check_from_json(text: str) -> ImportCheck:
    """Rebuild the ImportCheck that `check_to_json` wrote."""
    data = json.loads(text)
    return ImportCheck(
        network=data["network"],
        base_version=data["base_version"],
        records=tuple(SiteRecord.from_json(item) for item in data["records"]),
        problems=tuple(_problem(item) for item in data["problems"]),
        diff=_diff(data["diff"]) if data["diff"] is not None else None,
        # Checks kept before teams and format were recorded have neither.
        teams={int(line): Team(*team) for line, team in data.get("teams", {}).items()},
        file_format=FileFormat(*data.get("format", ())),
    )
