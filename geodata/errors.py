"""The one exception hierarchy of the core; each error carries its data and a French message.

The web layer maps these to HTTP responses, the command line to messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

# The one module of geodata this one imports: it imports nothing of geodata itself, which keeps
# errors importable from everywhere without a cycle.
from geodata.problems import Problem


class GeodataError(Exception):
    """Base of every error the core raises on purpose; `message` is French, for users."""

    def __init__(self, message: str, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class ConfigurationError(GeodataError):
    """A setting is invalid (unknown geocoder, unsupported database URL...)."""


class NotFound(GeodataError):
    """A named thing (network, publication, commune) does not exist."""

    def __init__(self, message: str, *, kind: str, key: str) -> None:
        super().__init__(message, kind=kind, key=key)
        self.kind = kind
        self.key = key


class NetworkNotFound(NotFound):
    """No network has this slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"Le réseau « {slug} » n'existe pas.", kind="network", key=slug)


class PublicationNotFound(NotFound):
    """A network has no publication with this number."""

    def __init__(self, slug: str, number: int) -> None:
        super().__init__(
            f"Le réseau « {slug} » n'a pas de version n° {number}.",
            kind="publication",
            key=f"{slug}#{number}",
        )


class InvalidValue(GeodataError):
    """A value given to the core is malformed (a slug, a network name...)."""

    def __init__(self, message: str, *, field: str, value: str) -> None:
        super().__init__(message, field=field, value=value)
        self.field = field
        self.value = value


class FieldError(NamedTuple):
    """One bad field of a request: its name and a French message saying what it accepts."""

    field: str
    message: str


class InvalidFields(InvalidValue):
    """Several fields of a request are bad: `errors` lists every one, in the request's order.

    `field` and `message` are those of the first error, for callers that show only one.
    """

    def __init__(self, errors: Sequence[FieldError]) -> None:
        if not errors:
            raise ValueError("InvalidFields needs at least one error")
        super().__init__(errors[0].message, field=errors[0].field, value="")
        self.errors = list(errors)
        self.data["errors"] = self.errors


class GeocoderUnavailable(GeodataError):
    """The configured external geocoder did not answer usefully."""


class SourceUnavailable(GeodataError):
    """A network's spreadsheet source could not be fetched: `reason` says why, in French.

    The URL is the editor's, not a patient's: it may appear in messages and logs.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"La source {url} n'a pas pu être lue : {reason}", url=url, reason=reason)
        self.url = url
        self.reason = reason


class ImportRejected(GeodataError):
    """A directory file has errors: nothing was published; `problems` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(
            f"Le fichier contient {count} erreur{'s' if count > 1 else ''} : rien n'a été publié.",
            problems=list(problems),
        )
        self.problems = list(problems)


class ConflictError(GeodataError):
    """The request contradicts the current state, which changed since it was read.

    Doing the same again cannot succeed: the user must look at the new state first. `data`
    holds what describes the conflict.
    """


class StaleCheck(ConflictError):
    """A file was checked against a version that is no longer the published one."""

    def __init__(self, slug: str, base_version: int) -> None:
        super().__init__(
            f"Une autre version de l'annuaire « {slug} » a été publiée depuis la vérification "
            "du fichier : vérifiez-le de nouveau avant de publier.",
            network=slug,
            base_version=base_version,
        )


class ImportClosed(ConflictError):
    """A pending import was already published or discarded: it can be neither any more.

    `status` is the stored status; `label` its French word ("publié", "abandonné").
    """

    def __init__(self, import_id: str, status: str, label: str) -> None:
        super().__init__(
            f"Ce fichier a déjà été {label} : rien n'a été fait. Pour le publier, "
            "déposez-le de nouveau.",
            import_id=import_id,
            status=status,
        )
        self.import_id = import_id
        self.status = status


class MassRemoval(ConflictError):
    """A publish would remove more than half of a network's published sites.

    A truncated export or the wrong sheet looks like a valid file: such a publish needs the
    editor's explicit confirmation. `removed` and `total` count sites (total: published before).
    """

    def __init__(self, slug: str, removed: int, total: int) -> None:
        super().__init__(
            f"Ce fichier retire {removed} des {total} structures publiées de l'annuaire "
            f"« {slug} » : rien n'a été publié sans votre confirmation de ces suppressions.",
            network=slug,
            removed=removed,
            total=total,
        )
        self.removed = removed
        self.total = total


class CheckTooLarge(GeodataError):
    """A checked file (its sites and problems) is too large to be kept as a pending import."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"La vérification de ce fichier est trop volumineuse pour être conservée "
            f"({size // 2**20} Mo, au plus {limit // 2**20} Mo), souvent à cause d'une même "
            "erreur répétée sur toutes les lignes : corrigez-la, puis envoyez le fichier de "
            "nouveau.",
            size=size,
            limit=limit,
        )
        self.size = size
        self.limit = limit


class UnreadableFile(GeodataError):
    """A file is not a text CSV this project can read (binary, unknown or mixed encoding)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message, line=line)
        self.line = line


PLACE_NOT_FOUND = (
    "Adresse introuvable : vérifiez l'orthographe, ou indiquez le code postal et la commune "
    "(par exemple « 67000 Strasbourg »)."
)


class PlaceNotFound(NotFound):
    """The patient's address matched no place; the address itself is never kept.

    `hint` (French) replaces the general message when the geocoder knows what is missing
    ("Ajoutez la commune..."); it must never repeat the address either.
    """

    def __init__(self, hint: str = "") -> None:
        # The address is health-related: neither the message nor the data repeat it.
        super().__init__(hint or PLACE_NOT_FOUND, kind="place", key="")
        self.hint = hint
