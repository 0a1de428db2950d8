"""Security headers on every response: a Content-Security-Policy with a per-request nonce for
the inline scripts the map needs, no referrer, no sniffing, and frames only for /embed."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

from geodata.config import Settings
from webapp.tiles import tile_provider

EMBED_PREFIX = "/embed"


def csp_nonce() -> str:
    """Return this request's nonce (inline <script> and <style> tags must carry it)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def _policy(nonce: str, tiles_origin: str, ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
        # Leaflet positions map panes with style attributes.
        "style-src-attr": "'unsafe-inline'",
        "img-src": f"'self' data: {tiles_origin}".strip(),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Static files are served by WhiteNoise before Flask sees the request, with headers fixed at
# start-up: no nonce, and nothing to allow (a script or stylesheet ignores its own policy; an
# SVG opened directly runs nothing).
STATIC_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


PUBLIC_MAP = "/"


def embed_ancestors(setting: str) -> str:
    """Return the frame-ancestors of /embed: the sites of the setting and the app itself,
    whose admin page previews the network's snippet in a frame."""
    sources = setting.split()
    if "*" in sources or "'self'" in sources:
        return setting
    return "'self'" if sources in ([], ["'none'"]) else f"'self' {setting}"


def init_app(app: Flask, settings: Settings) -> None:
    provider = tile_provider(settings.tiles)
    origin = provider.origin if provider else ""
    framers = embed_ancestors(settings.embed_ancestors)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response: Response) -> Response:
        embed = request.path.startswith(EMBED_PREFIX)
        ancestors = framers if embed else "'none'"
        response.headers["Content-Security-Policy"] = _policy(csp_nonce(), origin, ancestors)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if not embed:
            response.headers["X-Frame-Options"] = "DENY"
        # "Autour de moi" on the public map only, asked on a click, computed in the page; never
        # in the embed, where the host site would appear to ask.
        geolocation = "(self)" if request.path == PUBLIC_MAP else "()"
        response.headers["Permissions-Policy"] = (
            f"geolocation={geolocation}, camera=(), microphone=()"
        )
        return response
