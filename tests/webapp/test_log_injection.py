"""Logs cannot be forged through a request: control characters are escaped, and a malformed
request line never reaches a log (it may hold an address typed in a query string)."""

from __future__ import annotations

import logging
from pathlib import Path

from tests.helpers import gunicorn_server, load_demo, raw_http
from webapp.logs import QueryStringFilter, escape_controls

FORGED = '127.0.0.1 [01/Jan/2026:00:00:00 +0000] "GET /admin/ HTTP/1.1" 200 0 1ms'


def test_control_characters_are_escaped_so_that_a_value_stays_on_one_line() -> None:
    assert escape_controls("/a\r\nb\x00\x1b[31m\x7f\x85\u2028") == (
        "/a\\x0d\\x0ab\\x00\\x1b[31m\\x7f\\x85\\u2028"
    )
    assert escape_controls("/équipe/Saint-Étienne") == "/équipe/Saint-Étienne"


def test_the_filter_escapes_arguments_of_every_shape() -> None:
    record = logging.LogRecord("gunicorn.access", 20, "", 0, "%(U)s", (), None)
    record.args = {"U": "/x\r\nforged"}
    QueryStringFilter().filter(record)
    assert record.getMessage() == "/x\\x0d\\x0aforged"
    record = logging.LogRecord("werkzeug", 20, "", 0, "%s", ("/x\nforged",), None)
    QueryStringFilter().filter(record)
    assert record.getMessage() == "/x\\x0aforged"


def test_invalid_request_messages_keep_the_kind_of_error_but_not_the_request() -> None:
    message = "Invalid request from ip=127.0.0.1: Invalid HTTP request line: 'GET /a b c'"
    record = logging.LogRecord("gunicorn.error", 30, "", 0, message, (), None)
    QueryStringFilter().filter(record)
    assert record.getMessage() == (
        "Invalid request from ip=127.0.0.1: Invalid HTTP request line (request withheld)"
    )
    quoted = "Invalid request from ip=::1: '12 rue des Hirondelles'"
    record = logging.LogRecord("gunicorn.error", 30, "", 0, quoted, (), None)
    QueryStringFilter().filter(record)
    assert record.getMessage() == "Invalid request from ip=::1: Invalid request (request withheld)"


def test_gunicorn_logs_cannot_be_forged_nor_hold_a_malformed_request_line(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    load_demo(url)
    with gunicorn_server(tmp_path, url) as port:
        injected = f"/nulle-part%0d%0a{FORGED.replace(' ', '%20')}".encode()
        answer = raw_http(port, b"GET " + injected + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 404")
        spaced = b"GET /api/v1/geocode?q=12 rue des Hirondelles HTTP/1.1\r\nHost: x\r\n\r\n"
        assert raw_http(port, spaced).startswith(b"HTTP/1.1 400")
    access = (tmp_path / "access.log").read_text(encoding="utf-8")
    errors = (tmp_path / "error.log").read_text(encoding="utf-8")
    lines = access.splitlines()
    assert not any(line.startswith("127.0.0.1 [01/Jan/2026") for line in lines), access
    assert any("/nulle-part\\x0d\\x0a127.0.0.1" in line for line in lines), access
    assert "Hirondelles" not in access + errors, errors
    assert "Invalid request from ip=127.0.0.1" in errors, errors
