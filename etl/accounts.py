"""Commands `users` and `tokens`: editors' accounts and the sync API's tokens.

A password is never an argument (it would stay in the shell history and the process list): it is
asked twice on a terminal, without echo, or read from the first line of standard input.
"""

from __future__ import annotations

import sys

import click

from etl.runtime import Runtime
from geodata.accounts.tokens import create_token, list_tokens, revoke_token
from geodata.accounts.users import add_user, list_accounts, set_disabled


def read_password() -> str:
    """Return the new password: asked twice on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return str(
            click.prompt(
                "Mot de passe (12 caractères au moins)",
                hide_input=True,
                confirmation_prompt="Mot de passe, de nouveau",
                err=True,
            )
        )
    return sys.stdin.readline().rstrip("\r\n")


@click.group("users")
def users_group() -> None:
    """Gérer les comptes des éditeurs et des administrateurs."""


@users_group.command("add")
@click.argument("email")
@click.option("--network", "slug", help="Réseau dont le compte modifie l'annuaire.")
@click.option("--admin", is_flag=True, help="Administrateur : tous les réseaux.")
@click.pass_obj
def users_add(runtime: Runtime, email: str, slug: str | None, admin: bool) -> None:
    """Créer le compte EMAIL ; le mot de passe est demandé (ou lu sur l'entrée standard)."""
    password = read_password()
    with runtime.transaction() as session:
        account = add_user(session, email, password, slug, admin=admin)
    role = "administrateur" if account.is_admin else "éditeur"
    where = f" du réseau « {account.network} »" if account.network else ""
    click.echo(f"Compte {role}{where} créé : {account.email}.")


@users_group.command("list")
@click.pass_obj
def users_list(runtime: Runtime) -> None:
    """Lister les comptes (adresse, réseau, rôle)."""
    with runtime.transaction() as session:
        for account in list_accounts(session):
            role = "administrateur" if account.is_admin else "éditeur"
            state = "\tdésactivé" if account.disabled else ""
            click.echo(f"{account.email}\t{account.network or '-'}\t{role}{state}")


@users_group.command("disable")
@click.argument("email")
@click.pass_obj
def users_disable(runtime: Runtime, email: str) -> None:
    """Désactiver le compte EMAIL : ses sessions prennent fin, il ne peut plus se connecter."""
    with runtime.transaction() as session:
        account = set_disabled(session, email, True)
    click.echo(f"Compte désactivé : {account.email} ; ses sessions ont pris fin.")
    if account.network:
        # Tokens belong to a network's automation, not to a person: say where they are.
        click.echo(
            f"Les jetons d'API du réseau « {account.network} » restent valables : si cette "
            f"personne en connaissait un, révoquez-le (python -m etl tokens list --network "
            f"{account.network})."
        )


@users_group.command("enable")
@click.argument("email")
@click.pass_obj
def users_enable(runtime: Runtime, email: str) -> None:
    """Réactiver le compte EMAIL."""
    with runtime.transaction() as session:
        account = set_disabled(session, email, False)
    click.echo(f"Compte réactivé : {account.email}.")


@click.group("tokens")
def tokens_group() -> None:
    """Gérer les jetons de l'API de synchronisation."""


@tokens_group.command("create")
@click.option("--network", "slug", required=True, help="Réseau que le jeton peut mettre à jour.")
@click.pass_obj
def tokens_create(runtime: Runtime, slug: str) -> None:
    """Créer un jeton ; il est affiché une seule fois, sur la dernière ligne."""
    with runtime.transaction() as session:
        token = create_token(session, slug)
    click.echo(
        f"Jeton créé pour le réseau « {slug} ». Copiez-le maintenant dans votre outil "
        "d'automatisation : il ne sera plus jamais affiché (seul son empreinte est gardée). "
        f"Pour le révoquer : python -m etl tokens revoke {token[:12]}",
        err=True,
    )
    click.echo(token)


@tokens_group.command("revoke")
@click.argument("token_or_prefix")
@click.pass_obj
def tokens_revoke(runtime: Runtime, token_or_prefix: str) -> None:
    """Révoquer un jeton, donné entier ou par le début qu'affiche « tokens list »."""
    with runtime.transaction() as session:
        revoked = revoke_token(session, token_or_prefix)
    if not revoked:
        click.echo("Erreur : aucun jeton actif ne correspond ; voyez « tokens list ».", err=True)
        sys.exit(1)
    click.echo("Jeton révoqué : il n'est plus accepté.")


@tokens_group.command("list")
@click.option("--network", "slug", required=True)
@click.pass_obj
def tokens_list(runtime: Runtime, slug: str) -> None:
    """Lister les jetons d'un réseau (début, création, dernier usage, révocation)."""
    with runtime.transaction() as session:
        tokens = list_tokens(session, slug)
    for token in tokens:
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "jamais"
        state = f"révoqué le {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "actif"
        click.echo(f"{token.prefix}…\t{token.created_at:%Y-%m-%d %H:%M}\t{used}\t{state}")
