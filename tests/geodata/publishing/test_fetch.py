"""Fetching a source safely, against real HTTP servers on loopback; the share-link rewritings."""

from __future__ import annotations

import time

import pytest

from geodata.errors import SourceUnavailable
from geodata.publishing.fetch import FetchRules, fetch
from geodata.publishing.links import download_url
from tests.helpers.sources import serve_spreadsheet

LOOPBACK = ("127.0.0.1/32",)
ALLOWED = FetchRules(max_bytes=4096, timeout=3, allow_http=True, allowed_networks=LOOPBACK)


def test_a_loopback_source_is_refused_unless_the_operator_allows_it() -> None:
    with serve_spreadsheet() as host:
        host.body = b"a;b\n"
        strict = FetchRules(max_bytes=4096, timeout=3, allow_http=True)
        with pytest.raises(SourceUnavailable, match="pas publique"):
            fetch(f"{host.base}/x.csv", strict)
        assert host.requests == 0  # refused before any request
        assert fetch(f"{host.base}/x.csv", ALLOWED).body == b"a;b\n"


def test_plain_http_is_refused_unless_allowed() -> None:
    rules = FetchRules(max_bytes=4096, timeout=3, allowed_networks=LOOPBACK)
    with pytest.raises(SourceUnavailable, match="https://"):
        fetch("http://127.0.0.1:9/x.csv", rules)


def test_a_redirect_to_an_address_not_allowed_is_refused() -> None:
    # 127.0.0.2 is loopback too, but outside the one address the operator allowed.
    with serve_spreadsheet() as host, serve_spreadsheet("127.0.0.2") as other:
        other.body = b"secret"
        host.redirect_to = f"{other.base}/admin"
        with pytest.raises(SourceUnavailable, match=r"127\.0\.0\.2"):
            fetch(f"{host.base}/x.csv", ALLOWED)
        assert other.requests == 0


def test_redirects_are_followed_a_few_times_only() -> None:
    with serve_spreadsheet() as host:
        host.redirect_to = f"{host.base}/encore"
        with pytest.raises(SourceUnavailable, match="redirections"):
            fetch(f"{host.base}/x.csv", ALLOWED)
        assert host.requests == 6


def test_an_oversized_source_is_cut_whether_it_declares_its_length_or_not() -> None:
    with serve_spreadsheet() as host:
        host.body = b"x" * 10_000
        with pytest.raises(SourceUnavailable, match="dépasse"):
            fetch(f"{host.base}/x.csv", ALLOWED)
        host.declared_length = False
        with pytest.raises(SourceUnavailable, match="dépasse"):
            fetch(f"{host.base}/x.csv", ALLOWED)


def test_a_trickling_source_is_cut_at_the_deadline() -> None:
    with serve_spreadsheet() as host:
        host.body = b"y" * 200
        host.trickle_s = 0.05  # 10 s for the whole body
        rules = FetchRules(max_bytes=4096, timeout=1, allow_http=True, allowed_networks=LOOPBACK)
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match=r"lentement|temps"):
            fetch(f"{host.base}/x.csv", rules)
        assert time.monotonic() - started < 3


def test_an_unknown_server_is_said() -> None:
    with pytest.raises(SourceUnavailable, match="inconnu"):
        fetch("https://serveur-qui-n-existe-pas.invalid/x.csv", ALLOWED)


@pytest.mark.parametrize(
    ("link", "download"),
    [
        (
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vQab_c-9/pubhtml?gid=42&single=true",
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vQab_c-9/pub?output=csv&gid=42&single=true",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/edit#gid=7",
            "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/export?format=csv&gid=7",
        ),
        (
            "https://docs.getgrist.com/4mSeyMoY1r1W/Annuaire-NEON/p/2?tableId=Structures",
            "https://docs.getgrist.com/api/docs/4mSeyMoY1r1W/download/csv?tableId=Structures",
        ),
        (
            "https://cloud.reseau-neon.fr/index.php/s/AbCd1234EfGh",
            "https://cloud.reseau-neon.fr/index.php/s/AbCd1234EfGh/download",
        ),
        ("https://intranet.neon.fr/annuaire.csv", "https://intranet.neon.fr/annuaire.csv"),
    ],
)
def test_share_links_become_their_download_url(link: str, download: str) -> None:
    assert download_url(link) == download
