"""Two gunicorn servers on one PostGIS and one Redis, as behind a load balancer: the sign-in
limit counts across both, a session opened on one works on the other, and a publication on one
is seen by the other at once."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

from geodata.accounts.tokens import create_token
from geodata.accounts.users import add_user
from geodata.config import Settings
from geodata.storage.engine import drop_schema, make_engine, session_factory
from tests.helpers import DEMO, PASSWORD, bearer, gunicorn_server, load_demo, postgis_url, redis_url

EDITOR = "editrice@neon.example.org"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Answers are judged as they come: a redirect is a 302, not the page it points to."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class Browser:
    """One person's browser: its cookies go to every server of the same host name."""

    def __init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def open(self, request: urllib.request.Request | str) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, base: str, password: str) -> int:
        """Post the sign-in form of `base`; return the status (302 when signed in)."""
        _, page = self.open(f"{base}/connexion")
        found = TOKEN_FIELD.search(page)
        assert found, "no CSRF token on the sign-in page"
        fields = {"courriel": EDITOR, "mot_de_passe": password, "csrf_token": found.group(1)}
        body = urllib.parse.urlencode(fields).encode()
        return self.open(urllib.request.Request(f"{base}/connexion", body, method="POST"))[0]


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, str]:
    """The demo on an emptied PostGIS, an editor, and a sync API token for neon."""
    url = postgis_url()
    engine = make_engine(Settings(database_url=url))
    drop_schema(engine)
    load_demo(url)
    with session_factory(engine)() as session, session.begin():
        add_user(session, EDITOR, PASSWORD, "neon")
        token = create_token(session, "neon")
    engine.dispose()
    return url, token


def test_two_servers_share_sign_in_limits_sessions_and_publications(
    database: tuple[str, str], tmp_path: Path
) -> None:
    url, token = database
    counters = redis_url()
    redis.Redis.from_url(counters).flushdb()
    options = [
        "-e", "ANNUAIRE_SECRET_KEY=" + "k" * 40,
        "-e", f"ANNUAIRE_RATELIMIT_STORAGE={counters}",
        "-e", "ANNUAIRE_LOGIN_RATE_LIMIT=4 per minute",
    ]  # fmt: skip
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        gunicorn_server(tmp_path / "a", url, *options) as port_a,
        gunicorn_server(tmp_path / "b", url, *options) as port_b,
    ):
        a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        browser = Browser()
        # A session opened on one server is valid on the other (a shared secret key).
        assert browser.sign_in(a, PASSWORD) == 302
        status, page = browser.open(f"{b}/admin/neon")
        assert status == 200 and EDITOR in page
        # Sign-in attempts count across both servers: the fifth of four allowed is refused.
        stranger = Browser()
        assert [stranger.sign_in(s, "mauvais mot de passe") for s in (b, a, b)] == [401] * 3
        assert stranger.sign_in(a, "mauvais mot de passe") == 429
        # A publication through one server is what the other exports at once.
        data = (DEMO / "neon.csv").read_bytes().replace(b"NEON-COLM-01;", b"NEON-COLM-02;")
        checked = urllib.request.Request(
            f"{a}/api/v1/reseaux/neon/imports",
            data,
            {"Content-Type": "text/csv"} | bearer(token),
            method="POST",
        )
        with urllib.request.urlopen(checked, timeout=60) as response:
            pending = re.search(rb'"id": ?"([0-9a-f]+)"', response.read())
        assert pending
        publish = urllib.request.Request(
            f"{a}/api/v1/reseaux/neon/imports/{pending.group(1).decode()}/publication",
            b"",
            bearer(token),
            method="POST",
        )
        with urllib.request.urlopen(publish, timeout=60) as response:
            assert response.status == 201
        _, exported = Browser().open(f"{b}/api/v1/reseaux/neon/export.csv")
        assert "NEON-COLM-02" in exported and "NEON-COLM-01" not in exported
