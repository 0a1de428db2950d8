"""The journal of a network in plain French: one sentence per action, linking to the versions
and checked files it names, never an internal key or an import's hexadecimal id."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for

from geodata.accounts.audit import Action, AuditInfo, actor_label


@dataclass(frozen=True)
class Part:
    """A piece of a journal sentence: plain text, or a link when `href` is set."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class JournalRow:
    at: datetime
    actor: str
    label: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class _Context:
    slug: str
    kept: frozenset[str]  # the checked files still kept, whose preview can be linked


Describe = Callable[[dict[str, Any], _Context], list[Part]]


def _plural(count: Any, word: str) -> str:
    number = count if isinstance(count, int) else 0
    return f"{number} {word}{'s' if number > 1 else ''}"


def _changes(details: Mapping[str, Any]) -> str:
    if isinstance(details.get("changements"), str):
        return str(details["changements"])
    words = (
        ("ajouts", "ajout"),
        ("modifications", "modification"),
        ("suppressions", "suppression"),
    )
    return ", ".join(_plural(details.get(key), word) for key, word in words)


def _file(details: Mapping[str, Any]) -> str:
    name = details.get("fichier")
    return f"le fichier « {name} »" if name else "un fichier"


def _version(number: Any, ctx: _Context) -> Part:
    if not isinstance(number, int) or number < 1:
        return Part("n° ?")
    return Part(f"n° {number}", url_for("admin.version", slug=ctx.slug, number=number))


def _import_link(details: Mapping[str, Any], ctx: _Context) -> list[Part]:
    ident = details.get("import")
    if not isinstance(ident, str) or ident not in ctx.kept:
        return []
    href = url_for("admin.preview", slug=ctx.slug, pending_id=ident)
    return [Part(" ("), Part("voir la vérification", href), Part(")")]


def _checked(details: dict[str, Any], ctx: _Context) -> list[Part]:
    errors = details.get("erreurs")
    if isinstance(errors, int) and errors > 0:
        verdict = f"{_plural(errors, 'erreur')} à corriger"
    elif not any(details.get(key) for key in ("ajouts", "modifications", "suppressions")):
        verdict = "aucune erreur, identique à l'annuaire en ligne"
    else:
        verdict = f"aucune erreur ; {_changes(details)}"
    text = f"{_file(details).capitalize()} : {verdict}."
    return [Part(text), *_import_link(details, ctx)]


def _published(details: dict[str, Any], ctx: _Context) -> list[Part]:
    number = details.get("version")
    if number is None:
        text = f"{_file(details).capitalize()} était identique à l'annuaire en ligne : "
        return [Part(text + "aucune nouvelle version.")]
    tail = f" mise en ligne depuis {_file(details)} : {_changes(details)}."
    return [Part("Version "), _version(number, ctx), Part(tail)]


def _restored(details: dict[str, Any], ctx: _Context) -> list[Part]:
    old, new = details.get("version_restauree"), details.get("version")
    if new is None:
        tail = " était déjà l'annuaire en ligne : rien n'a changé."
        return [Part("La version "), _version(old, ctx), Part(tail)]
    return [
        Part("Retour à la version "), _version(old, ctx),
        Part(", remise en ligne comme version "), _version(new, ctx), Part("."),
    ]  # fmt: skip


def _discarded(details: dict[str, Any], ctx: _Context) -> list[Part]:
    text = f"{_file(details).capitalize()} a été abandonné sans être publié."
    return [Part(text), *_import_link(details, ctx)]


def _pulled(details: dict[str, Any], ctx: _Context) -> list[Part]:
    # The source's address is the entry's author: not repeated here.
    parts = [Part(str(details.get("message", "")))]
    problems = details.get("problemes")
    if isinstance(problems, list) and problems:
        listed = " ; ".join(str(p).rstrip(". ") for p in problems)
        parts.append(Part(f" Premiers problèmes : {listed}."))
    return parts + _import_link(details, ctx)


def _account(details: dict[str, Any], _ctx: _Context) -> list[Part]:
    role = " (administrateur)" if details.get("admin") is True else ""
    return [Part(f"Compte {details.get('email', '')}{role}.")] if details.get("email") else []


def _token(details: dict[str, Any], _ctx: _Context) -> list[Part]:
    prefix = details.get("prefixe")
    return [Part(f"Jeton commençant par « {prefix} ».")] if prefix else []


def _generic(details: dict[str, Any], _ctx: _Context) -> list[Part]:
    shown = (f"{key.replace('_', ' ')} : {value}" for key, value in details.items())
    return [Part(", ".join(shown))] if details else []


_DESCRIBE: dict[str, Describe] = {
    Action.IMPORT_CHECKED: _checked,
    Action.PUBLICATION: _published,
    Action.RESTORATION: _restored,
    Action.IMPORT_ABANDONED: _discarded,
    Action.USER_CREATED: _account,
    Action.USER_DISABLED: _account,
    Action.USER_ENABLED: _account,
    Action.TOKEN_CREATED: _token,
    Action.TOKEN_REVOKED: _token,
    Action.SOURCE_PULLED: _pulled,
}


def imports_named(entries: Sequence[AuditInfo]) -> set[str]:
    """Return the checked files the entries name (to ask which are still kept)."""
    return {e.details["import"] for e in entries if isinstance(e.details.get("import"), str)}


def journal_rows(entries: Sequence[AuditInfo], slug: str, kept: set[str]) -> list[JournalRow]:
    """Return the journal's rows; call within a request (the links are URLs of this app)."""
    ctx = _Context(slug, frozenset(kept))
    rows = []
    for entry in entries:
        parts = _DESCRIBE.get(entry.action, _generic)(entry.details, ctx)
        rows.append(JournalRow(entry.at, actor_label(entry.actor), entry.label, tuple(parts)))
    return rows
