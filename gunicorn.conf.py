"""Gunicorn settings for `make run`: the production server of `webapp:create_app()`.

Override on the command line (`-b 0.0.0.0:8000`, `-w 4`) or with GUNICORN_CMD_ARGS. Access logs
record the path only: query strings may hold what a user typed (an address, a town).
"""

from __future__ import annotations

import gc
from typing import Any

from webapp.logs import ACCESS_LOG_FORMAT, install_query_string_filter

wsgi_app = "webapp:create_app()"
# Loopback by default: put a reverse proxy (TLS) in front, or pass -b.
bind = ["127.0.0.1:5000"]
# One worker per core on the reference 2-core machine; -w or GUNICORN_CMD_ARGS overrides it.
workers = 2
# Threads in each worker (gthread): an upload being checked for a few seconds holds one thread,
# not a whole worker, so /healthz and the pages keep answering while two large files are checked.
threads = 4
# Any accepted file is checked within seconds (bounded workbooks, 100,000 CSV rows at most); a
# request still running after this is a bug, and its worker is restarted.
timeout = 60
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
access_log_format = ACCESS_LOG_FORMAT
# The control socket's default path is one per user: two servers (tests, benchmark, make run)
# would fight over it, and nothing here uses gunicornc.
control_socket_disable = True
# Not preloaded: each worker opens its own database connections after the fork.
preload_app = False


def on_starting(server: Any) -> None:
    """Cut query strings from gunicorn's own messages too ("Error handling request /x?q=...")."""
    install_query_string_filter("gunicorn.error", "gunicorn.access")


def post_worker_init(worker: Any) -> None:
    """Keep the garbage collector off the objects loaded once (gazetteer, geocoder, engine).

    Hundreds of thousands of them live as long as the worker; without this, every full
    collection walks them all, and requests that make many small objects (an orientation's
    answer) pay it: about a third of an orientation's time when measured.
    """
    gc.freeze()
