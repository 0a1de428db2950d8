"""Commands `db upgrade`, `db current` and `db revision`: the schema's version (Alembic)."""

from __future__ import annotations

import click
from alembic import command

from etl.runtime import Runtime
from geodata.storage.schema import (
    BASELINE,
    UPGRADE_COMMAND,
    Upgrade,
    alembic_config,
    schema_state,
    upgrade_schema,
)


@click.group("db")
def db_group() -> None:
    """Schéma de la base de données : mise à jour et version."""


@db_group.command("upgrade")
@click.pass_obj
def upgrade_command(runtime: Runtime) -> None:
    """Mettre la base au niveau du code (la créer si elle est vide) ; sans effet si elle l'est."""
    for line in describe(upgrade_schema(runtime.engine)):
        click.echo(line)


def describe(upgrade: Upgrade) -> list[str]:
    """Return what `upgrade` did, in French, one sentence a line."""
    before, after = upgrade.before, upgrade.after
    if not upgrade.changed:
        return [f"Base de données déjà à jour (version {after}) : rien à faire."]
    if before.created_before_migrations:
        lines = [f"Base créée par une version antérieure : reconnue comme version {BASELINE}."]
        if after != BASELINE:
            lines.append(f"Base mise à jour de la version {BASELINE} à la version {after}.")
        return lines
    if before.current is None:
        return [f"Base vide : schéma créé (version {after})."]
    return [f"Base mise à jour de la version {before.current} à la version {after}."]


@db_group.command("current")
@click.pass_obj
def current_command(runtime: Runtime) -> None:
    """Afficher la version du schéma de la base et celle qu'attend le code."""
    state = schema_state(runtime.engine)
    if state.up_to_date:
        click.echo(f"Version de la base : {state.current} (à jour).")
    elif state.created_before_migrations:
        click.echo(f"Base antérieure aux migrations : lancez « {UPGRADE_COMMAND} ».")
    elif state.current is None:
        click.echo(f"Base vide, sans version : lancez « {UPGRADE_COMMAND} ».")
    else:
        click.echo(
            f"Version de la base : {state.current}, attendue : {state.head} ; "
            f"lancez « {UPGRADE_COMMAND} »."
        )


@db_group.command("revision")
@click.argument("message")
@click.pass_obj
def revision_command(runtime: Runtime, message: str) -> None:
    """Écrire une nouvelle révision d'après l'écart entre les modèles et la base (développeurs)."""
    with runtime.engine.begin() as connection:
        script = command.revision(alembic_config(connection), message, autogenerate=True)
    scripts = script if isinstance(script, list) else [script]
    for written in scripts:
        if written is not None:
            click.echo(f"Révision écrite : {written.path} ; relisez-la avant de la garder.")
