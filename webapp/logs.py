"""Privacy of logs: no query string in any request log.

Query strings can carry what a patient or physician typed (`/api/v1/geocode?q=...`), which is
health-related. Gunicorn logs the path only (`gunicorn.conf.py`); the Flask development server
logs through werkzeug, whose request lines this filter cuts at the "?".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from flask import Flask

# A URL's query string inside a log message: from "?" up to the next space or quote.
QUERY_STRING = re.compile(r"\?[^\s\"']*")
REDACTED = "?…"

# Gunicorn's access log line: the path without its query string (%(U)s, never %(r)s or %(q)s),
# and neither the referrer nor the user agent.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def without_query_strings(text: str) -> str:
    """Return `text` with every query string replaced by "?…"."""
    return QUERY_STRING.sub(REDACTED, text)


class QueryStringFilter(logging.Filter):
    """Rewrite each record so that no query string reaches a handler; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):
            # Gunicorn's access logger passes its atoms as a mapping.
            record.args = {key: _clean(value) for key, value in record.args.items()}
        return True


def _clean(value: object) -> object:
    return without_query_strings(value) if isinstance(value, str) else value


def install_query_string_filter(*names: str) -> None:
    """Add the filter to the named loggers (werkzeug's by default), once each."""
    for name in names or ("werkzeug",):
        target = logging.getLogger(name)
        if not any(isinstance(f, QueryStringFilter) for f in target.filters):
            target.addFilter(QueryStringFilter())


def init_app(app: Flask) -> None:
    """Keep query strings out of the development server's request log."""
    install_query_string_filter()
