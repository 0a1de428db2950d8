"""Accounts, tokens and .xlsx imports on the command line, on SpatiaLite and PostGIS."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.audit import entries
from geodata.accounts.tokens import network_of_token
from geodata.accounts.users import authenticate
from geodata.config import Settings
from tests.helpers import HEADER, ROWS, directory, etl, export

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def run(settings: Settings, engine: object) -> CliRunner:
    runner = CliRunner(env={"DATABASE_URL": settings.database_url})
    assert etl(runner, "networks", "add", "neon", "--name", "NEON").exit_code == 0
    return runner


def test_a_password_read_from_standard_input_opens_the_account_and_is_never_shown(
    run: CliRunner, sessions: sessionmaker[Session]
) -> None:
    result = etl(run, "users", "add", "Ed@Example.org", "--network", "neon", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Compte éditeur du réseau « neon » créé : ed@example.org." in result.stdout
    assert PASSWORD not in result.output
    with sessions() as session:
        account = authenticate(session, "ed@example.org", PASSWORD)
        assert account is not None and account.network == "neon"
        assert authenticate(session, "ed@example.org", PASSWORD + "!") is None
    assert "ed@example.org\tneon\téditeur" in etl(run, "users", "list").stdout


def test_a_disabled_account_cannot_sign_in_until_enabled_again(
    run: CliRunner, sessions: sessionmaker[Session]
) -> None:
    etl(run, "users", "add", "ed@example.org", "--network", "neon", stdin=PASSWORD + "\n")
    disabled = etl(run, "users", "disable", "Ed@Example.org")
    assert disabled.exit_code == 0, disabled.output
    assert "Compte désactivé : ed@example.org" in disabled.stdout
    assert "tokens list --network neon" in disabled.stdout
    assert "ed@example.org\tneon\téditeur\tdésactivé" in etl(run, "users", "list").stdout
    with sessions() as session:
        assert authenticate(session, "ed@example.org", PASSWORD) is None
    assert etl(run, "users", "enable", "ed@example.org").exit_code == 0
    with sessions() as session:
        assert authenticate(session, "ed@example.org", PASSWORD) is not None
    unknown = etl(run, "users", "disable", "personne@example.org")
    assert unknown.exit_code == 1 and "Aucun compte" in unknown.output


def test_a_password_given_as_an_argument_or_option_is_refused(
    run: CliRunner, sessions: sessionmaker[Session]
) -> None:
    extra = etl(run, "users", "add", "ed@example.org", "--network", "neon", PASSWORD, stdin="\n")
    option = etl(run, "users", "add", "ed@example.org", "--password", PASSWORD, stdin="\n")
    assert (extra.exit_code, option.exit_code) == (2, 2)
    assert etl(run, "users", "list").stdout == ""


def test_a_short_password_or_an_editor_without_network_is_refused_in_french(
    run: CliRunner,
) -> None:
    short = etl(run, "users", "add", "ed@example.org", "--network", "neon", stdin="court\n")
    assert short.exit_code == 1
    assert "au moins 12 caractères" in short.stderr and "court" not in short.stderr
    lone = etl(run, "users", "add", "ed@example.org", stdin=PASSWORD + "\n")
    assert lone.exit_code == 1 and "doit être rattaché à un réseau" in lone.stderr
    admin = etl(run, "users", "add", "root@example.org", "--admin", stdin=PASSWORD + "\n")
    assert admin.exit_code == 0 and "Compte administrateur créé" in admin.stdout


def test_on_a_terminal_the_password_is_asked_twice_without_echo(
    settings: Settings, engine: object
) -> None:
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    subprocess.run(
        [sys.executable, "-m", "etl", "networks", "add", "neon", "--name", "NEON"],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    primary, secondary = pty.openpty()
    command = [sys.executable, "-m", "etl", "users", "add", "ed@example.org", "--network", "neon"]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdin=secondary, stdout=secondary, stderr=secondary
    )
    os.close(secondary)
    seen = _converse(primary, [b"Mot de passe (", b"de nouveau"], PASSWORD.encode() + b"\n")
    seen += _read_until_exit(primary, process)
    assert process.returncode == 0, seen
    assert b"ed@example.org" in seen and PASSWORD.encode() not in seen


def _converse(fd: int, prompts: list[bytes], answer: bytes) -> bytes:
    seen = b""
    for prompt in prompts:
        deadline = time.monotonic() + 30
        while prompt not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                seen += os.read(fd, 1024)
        os.write(fd, answer)
    return seen


def _read_until_exit(fd: int, process: subprocess.Popen[bytes]) -> bytes:
    seen = b""
    process.wait(timeout=60)
    while select.select([fd], [], [], 0.5)[0]:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(fd)
    return seen


def test_tokens_create_prints_the_token_alone_on_its_last_line_and_it_authenticates(
    run: CliRunner, sessions: sessionmaker[Session]
) -> None:
    result = etl(run, "tokens", "create", "--network", "neon")
    assert result.exit_code == 0, result.output
    token = result.stdout.splitlines()[-1]
    assert token.startswith("ann_") and len(token) >= 40
    assert "ne sera plus jamais affiché" in result.stderr and token not in result.stderr
    with sessions() as session, session.begin():
        assert network_of_token(session, token) == "neon"
        assert network_of_token(session, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    listed = etl(run, "tokens", "list", "--network", "neon").stdout
    assert token[:12] in listed and token not in listed and "actif" in listed


def test_a_revoked_token_no_longer_authenticates(
    run: CliRunner, sessions: sessionmaker[Session]
) -> None:
    token = etl(run, "tokens", "create", "--network", "neon").stdout.splitlines()[-1]
    result = etl(run, "tokens", "revoke", token[:12])
    assert result.exit_code == 0 and "Jeton révoqué" in result.stdout
    with sessions() as session, session.begin():
        assert network_of_token(session, token) is None
    again = etl(run, "tokens", "revoke", token)
    assert again.exit_code == 1 and "aucun jeton actif" in again.stderr
    assert "révoqué le" in etl(run, "tokens", "list", "--network", "neon").stdout
    with sessions() as session:
        assert [e.action for e in entries(session, "neon")] == ["jeton_revoque", "jeton_cree"]


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    for line in [HEADER, *ROWS]:
        sheet.append([cell or None for cell in line.split(";")])
    book.save(path)
    return path


def test_an_xlsx_file_imports_like_the_csv_and_the_import_and_restore_are_audited(
    run: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    result = etl(run, "import", _workbook(tmp_path / "annuaire.xlsx"), "--network", "neon")
    assert result.exit_code == 0, result.output
    assert "Publié : version 1" in result.stdout
    from_xlsx = export(run)
    path = directory(tmp_path, ROWS[:1])
    etl(run, "import", path, "--network", "neon", "--allow-mass-removal")
    etl(run, "publications", "restore", "1", "--network", "neon")
    assert export(run) == from_xlsx
    with sessions() as session:
        log = entries(session, "neon")
    assert [(e.action, e.actor) for e in log] == [
        ("restauration", "ligne de commande"),
        ("publication", "ligne de commande"),
        ("publication", "ligne de commande"),
    ]
    assert log[-1].details["fichier"] == "annuaire.xlsx"
