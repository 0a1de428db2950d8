"""Real servers for tests: the app behind Werkzeug or gunicorn, and raw HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from tests.helpers.domain import ROOT


@contextmanager
def gunicorn_server(folder: Path, database_url: str, *options: str) -> Iterator[int]:
    """Run gunicorn.conf.py (one worker) on a free port, its logs in folder/access.log and
    folder/error.log; yield the port once /healthz answers, and stop the server after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    env = os.environ | {"DATABASE_URL": database_url, "ANNUAIRE_INSTANCE_PATH": str(folder)}
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
    command += ["-b", f"127.0.0.1:{port}", "-w", "1", *options]
    command += ["--access-logfile", str(folder / "access.log")]
    command += ["--error-logfile", str(folder / "error.log")]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def raw_http(port: int, request: bytes) -> bytes:
    """Send `request` as it is (no quoting) and return the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def read_only_database(engine: Engine) -> Iterator[None]:
    """Make every connection `engine` hands out refuse writes, as a database mounted read-only
    or a PostgreSQL standby would, until the block ends (connections already out are spared)."""

    def refuse_writes(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        _set_read_only(engine, dbapi_conn, True)

    engine.dispose()
    event.listen(engine, "checkout", refuse_writes)
    try:
        yield
    finally:
        event.remove(engine, "checkout", refuse_writes)
        engine.dispose()


def _set_read_only(engine: Engine, dbapi_conn: Any, on: bool) -> None:
    if engine.dialect.name == "sqlite":
        dbapi_conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
    else:
        # Applies from the next transaction: commit the one the SET opened.
        dbapi_conn.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")
        dbapi_conn.commit()
