"""Fetching a network's spreadsheet from the URL an editor typed, without trusting that URL.

The server makes the request, so the URL must not reach what only the server can reach: every
address the host name resolves to, and the address actually connected to, must be public
(unless the operator allows private ones, for an intranet source); redirects are followed by
hand, a few times, each checked again; plain http only when allowed. The body is read as it
comes, within a size limit and an overall deadline, so that a huge or trickling source is cut.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import HTTPError as Urllib3Error

from geodata.errors import SourceUnavailable

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "annuaire-apres-cancer (source d'un réseau)"


@dataclass(frozen=True)
class FetchRules:
    """What a fetch may do: schemes, addresses, size and time."""

    max_bytes: int
    timeout: float  # seconds for the whole download
    allow_http: bool = False
    # Networks whose addresses are allowed although not public (an intranet source).
    allowed_networks: tuple[str, ...] = ()

    def allows(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """Tell whether `ip` may be fetched from: public, or in an allowed network."""
        if ip.is_global and not ip.is_multicast:
            return True
        return any(ip in ipaddress.ip_network(network) for network in self.allowed_networks)


@dataclass(frozen=True)
class Fetched:
    """A fetched source: its body (None when the server said "not modified") and validators."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""
    url: str = ""  # after redirects


def fetch(url: str, rules: FetchRules, etag: str = "", last_modified: str = "") -> Fetched:
    """Return the body of `url`, or None for it when the validators say it did not change.

    Raises:
        SourceUnavailable: a refused URL or address, an error status, a network failure,
            too large or too slow a body; the French reason says which.
    """
    deadline = time.monotonic() + rules.timeout
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: the checks must hold
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            _check_url(current, rules)
            response = _get(session, current, headers, rules, deadline)
            if response.is_redirect:
                response.close()
                current = urljoin(current, response.headers.get("Location", ""))
                continue
            with response:
                return _read(url, current, response, rules, deadline)
    raise SourceUnavailable(url, f"plus de {MAX_REDIRECTS} redirections.")


def _check_url(url: str, rules: FetchRules) -> None:
    """Refuse a URL whose scheme or host addresses are not allowed."""
    parts = urlsplit(url)
    allowed = ("https", "http") if rules.allow_http else ("https",)
    if parts.scheme not in allowed:
        reason = "seules les adresses https:// sont acceptées."
        if parts.scheme == "http":
            reason += " (http:// est refusé sauf si ANNUAIRE_SYNC_ALLOW_HTTP=1.)"
        raise SourceUnavailable(url, reason)
    if not parts.hostname:
        raise SourceUnavailable(url, "l'adresse ne nomme pas de serveur.")
    for address in _addresses(url, parts.hostname, parts.port):
        _check_address(url, address, rules)


def _addresses(url: str, host: str, port: int | None) -> set[str]:
    try:
        found = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise SourceUnavailable(url, f"le serveur « {host} » est inconnu.") from None
    return {str(info[4][0]) for info in found}


def _check_address(url: str, address: str, rules: FetchRules) -> None:
    """Refuse an address that is not public (loopback, private, link-local, reserved...)
    unless it is in an allowed network."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not rules.allows(ip):
        raise SourceUnavailable(
            url,
            f"l'adresse {ip} n'est pas publique (réseau local ou réservé) : refusée, sauf si "
            "l'exploitant autorise ce réseau interne (ANNUAIRE_SYNC_ALLOW_PRIVATE).",
        )


def _get(
    session: requests.Session, url: str, headers: dict[str, str], rules: FetchRules, deadline: float
) -> requests.Response:
    remaining = max(0.1, deadline - time.monotonic())
    try:
        response = session.get(
            url, headers=headers, stream=True, allow_redirects=False, timeout=(remaining, remaining)
        )
    except requests.Timeout:
        raise SourceUnavailable(url, "le serveur n'a pas répondu à temps.") from None
    except requests.RequestException as exc:
        log.info("source fetch failed: %s", exc)
        raise SourceUnavailable(url, "le serveur est injoignable.") from None
    _check_peer(url, response, rules)
    return response


def _check_peer(url: str, response: requests.Response, rules: FetchRules) -> None:
    """Check the address actually connected to (a name may resolve anew between checks)."""
    peer = _peer_address(response)
    if peer is None:
        return  # no socket left: the body came whole with the headers, nothing more to read
    try:
        _check_address(url, peer, rules)
    except SourceUnavailable:
        response.close()
        raise


def _peer_address(response: requests.Response) -> str | None:
    """Return the address of the server `response` came from, if its socket is still known.

    urllib3 keeps the socket on its connection, or hands it to the response when the server
    closes the connection after the body.
    """
    raw: Any = response.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        stream = getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None)
        sock = getattr(stream, "_sock", None)
    try:
        return str(sock.getpeername()[0]) if sock is not None else None
    except OSError:
        return None


def _read(
    url: str, final: str, response: requests.Response, rules: FetchRules, deadline: float
) -> Fetched:
    etag = response.headers.get("ETag", "")
    last_modified = response.headers.get("Last-Modified", "")
    if response.status_code == 304:
        return Fetched(None, etag, last_modified, final)
    if response.status_code != 200:
        raise SourceUnavailable(url, f"le serveur a répondu {response.status_code}.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > rules.max_bytes:
        raise SourceUnavailable(url, _too_large(rules))
    return Fetched(_body(url, response, rules, deadline), etag, last_modified, final)


def _body(url: str, response: requests.Response, rules: FetchRules, deadline: float) -> bytes:
    parts: list[bytes] = []
    size = 0
    try:
        while chunk := response.raw.read1(CHUNK, decode_content=True):
            size += len(chunk)
            if size > rules.max_bytes:
                raise SourceUnavailable(url, _too_large(rules))
            if time.monotonic() > deadline:
                raise SourceUnavailable(
                    url, f"le fichier arrive trop lentement ({rules.timeout:g} s au plus)."
                )
            parts.append(chunk)
    except (requests.RequestException, OSError, Urllib3Error) as exc:
        log.info("source read failed: %s", exc)
        raise SourceUnavailable(
            url, "la lecture du fichier a échoué ou a pris trop de temps."
        ) from None
    return b"".join(parts)


def _too_large(rules: FetchRules) -> str:
    return f"le fichier dépasse {rules.max_bytes // (1024 * 1024)} Mo."
