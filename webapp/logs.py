"""Privacy and integrity of logs: no query string, no forged line, no malformed request.

Query strings can carry what a patient or physician typed (`/api/v1/geocode?q=...`), which is
health-related. Gunicorn logs the path only (`gunicorn.conf.py`); the Flask development server
logs through werkzeug, whose request lines this filter cuts at the "?".

Paths are logged decoded: a `%0d%0a` in one would start a forged line, so control characters in
logged values are escaped (`\\x0d`). Gunicorn reports a malformed request with its raw text
("Invalid request from ip=...: Invalid HTTP request line: 'GET /geocode?q=12 rue ...'"), which
can hold an address: only the kind of error is kept.
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


# C0 and C1 controls, DEL and the Unicode line and paragraph separators: what a log reader
# may take for the end of a line or a terminal command.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Gunicorn's message for a request it could not parse; group 1 is kept, group 2 names the error.
INVALID_REQUEST = re.compile(r"^(Invalid request from ip=\S+: )([A-Za-z0-9 ]*)")


def without_query_strings(text: str) -> str:
    """Return `text` with every query string replaced by "?…"."""
    return QUERY_STRING.sub(REDACTED, text)


def escape_controls(text: str) -> str:
    """Return `text` on one line: each control character as `\\xNN` (or `\\uNNNN`)."""
    return CONTROLS.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def without_request_text(message: str) -> str:
    """Return gunicorn's "Invalid request" message without the request it quotes."""
    found = INVALID_REQUEST.match(message)
    if found is None:
        return message
    kind = found.group(2).strip() or "Invalid request"
    return f"{found.group(1)}{kind} (request withheld)"


class QueryStringFilter(logging.Filter):
    """Rewrite each record so that no query string, no control character in a value and no
    malformed request line reaches a handler; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query_strings(without_request_text(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):
            # Gunicorn's access logger passes its atoms as a mapping.
            record.args = {key: _clean(value) for key, value in record.args.items()}
        return True


def _clean(value: object) -> object:
    return escape_controls(without_query_strings(value)) if isinstance(value, str) else value


def install_query_string_filter(*names: str) -> None:
    """Add the filter to the named loggers (werkzeug's by default), once each."""
    for name in names or ("werkzeug",):
        target = logging.getLogger(name)
        if not any(isinstance(f, QueryStringFilter) for f in target.filters):
            target.addFilter(QueryStringFilter())


def init_app(app: Flask) -> None:
    """Keep query strings out of the development server's request log."""
    install_query_string_filter()
