"""What every command shares: settings, database sessions, and French messages for errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any, NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from etl.report import echo_problems
from geodata.config import Settings
from geodata.errors import GeodataError, ImportRejected
from geodata.storage.engine import make_engine, session_factory, transaction
from geodata.storage.schema import require_current_schema

log = logging.getLogger(__name__)


class Runtime:
    """Settings and database access, built lazily so `--help` needs no database."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions on a database at the code's revision; `db upgrade` is the way there."""
        require_current_schema(self.engine)
        return session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """A click group that turns the core's errors into French messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ImportRejected as exc:
            echo_problems(exc.problems)
            fail(exc.message)
        except GeodataError as exc:
            fail(exc.message)
        except SQLAlchemyError as exc:
            log.info("database error", exc_info=exc)
            fail(
                "la base de données a refusé l'opération ; rien n'a été modifié. Relancez avec "
                "--verbose pour le détail, ou vérifiez DATABASE_URL."
            )
        except OSError as exc:
            fail(f"fichier ou ressource inaccessible : {exc.strerror or exc}.")
