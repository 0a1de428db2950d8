"""How the command line shows an import's problems and changes (French, on standard error)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from geodata.problems import Problem
from geodata.publishing.diff import Diff
from geodata.publishing.importing import ImportCheck, Progress

MAX_SHOWN_CHANGES = 50


def format_problem(problem: Problem) -> str:
    """Return one problem as a line: where, what value, what to do."""
    where = "fichier" if problem.line == 0 else f"ligne {problem.line}"
    if problem.column:
        where += f", colonne {problem.column}"
    value = f" (valeur « {problem.value} »)" if problem.value else ""
    return f"{where}{value} : {problem.severity.report_label} : {problem.message}"


def echo_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(format_problem(problem), err=True)


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "|".join(str(v) for v in value)
    return "" if value is None else str(value)


def echo_diff(diff: Diff) -> None:
    """Print the changes, field by field, up to a limit."""
    click.echo(f"Changements : {diff.summary()} ({diff.unchanged} lieu(x) inchangé(s)).")
    lines = [f"  + {ident}" for ident in diff.added]
    for change in diff.changed:
        fields = ", ".join(
            f"{c.field} : « {_value(c.old)} » → « {_value(c.new)} »" for c in change.changes
        )
        lines.append(f"  ~ {change.identifiant} : {fields}")
    lines += [f"  - {ident}" for ident in diff.removed]
    for line in lines[:MAX_SHOWN_CHANGES]:
        click.echo(line)
    if len(lines) > MAX_SHOWN_CHANGES:
        click.echo(f"  … et {len(lines) - MAX_SHOWN_CHANGES} autre(s).")


def echo_check(check: ImportCheck) -> None:
    echo_problems(check.problems)
    if check.diff is not None:
        echo_diff(check.diff)


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Progress | None]:
    """Yield a progress callback drawing a bar on standard error, or None when not wanted."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=total, label="Géocodage", file=sys.stderr) as bar:
        yield bar.update
