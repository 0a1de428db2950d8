"""Static files named by their content, pre-compressed, cached a year; pages compressed too.

At start-up every file of `webapp/static` gets a copy named after its content
(`css/app.css` -> `css/app.3f2a9b1c0d4e.css`) with gzip and brotli variants, written under
`<instance>/static/`. `url_for('static', filename=...)` then gives the hashed name, so templates
and `maps.MAP_CSS`/`MAP_JS` need no change. WhiteNoise serves both the hashed copies (immutable,
one year) and the original names (revalidated, for the relative `url()`s inside vendored CSS),
choosing `.br` or `.gz` by `Accept-Encoding`. Names follow content: a copy is never stale, so
nothing is committed and nothing needs a build command. In debug mode (`make run-dev`) Flask
serves the sources directly, so that an edited file shows on the next reload.

Flask-Compress compresses pages and JSON, except on the admin and sign-in pages: they hold a CSRF
token next to text the request can choose (`?suivant=`), what a BREACH attack needs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress
from whitenoise import WhiteNoise  # type: ignore[import-untyped]
from whitenoise.compress import Compressor  # type: ignore[import-untyped]

from geodata.config import Settings

YEAR = 365 * 24 * 60 * 60
DIGEST_LENGTH = 12
# Blueprints whose pages carry a CSRF token: never compressed (BREACH).
UNCOMPRESSED_BLUEPRINTS = frozenset({"admin", "auth"})
COMPRESSED_TYPES = ["text/html", "text/css", "text/plain", "text/csv", "application/json",
                    "application/geo+json", "application/javascript", "image/svg+xml"]  # fmt: skip

# Compressing at brotli's best quality takes about 0.4 s for all the files: do it once per
# process for each content, however many apps (tests) are built.
_variants: dict[str, dict[str, bytes]] = {}


class _StaticFiles(WhiteNoise):  # type: ignore[misc]
    # WhiteNoise's "forever" is ten years; HTTP/1.1 (RFC 2616) asked for a year at most.
    FOREVER = YEAR


def hashed_name(relative: str, data: bytes) -> str:
    """Return `relative` with a digest of `data` before its extension: `css/app.<hex>.css`."""
    path = Path(relative)
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _compressed(data: bytes, name: str) -> dict[str, bytes]:
    """Return the `.br` and `.gz` variants of `data` worth keeping (they save 5 % or more)."""
    key = Path(name).suffix + hashlib.sha256(data).hexdigest()
    if key not in _variants:
        compressor = Compressor(quiet=True)
        found: dict[str, bytes] = {}
        if compressor.should_compress(name) and data:
            for suffix, packed in ((".br", compressor.compress_brotli(data)),
                                   (".gz", compressor.compress_gzip(data))):  # fmt: skip
                if len(packed) < 0.95 * len(data):
                    found[suffix] = packed
        _variants[key] = found
    return _variants[key]


def _write_once(path: Path, data: bytes, scratch: Path) -> None:
    """Write `path` unless it exists, atomically: gunicorn workers build the same folder at once,
    and one may list it while another writes (hence the scratch folder beside it)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=scratch)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)  # public files (mkstemp makes them private)
    os.replace(temporary, path)


def _sources(source: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            yield path.relative_to(source).as_posix(), path


def build(source: Path, target: Path) -> dict[str, str]:
    """Write hashed, compressed copies of every file under `source` into `target`.

    Returns the manifest: each relative name and its hashed name. Files already written (same
    content, same name) are kept; copies of older contents stay for pages cached before.
    """
    manifest: dict[str, str] = {}
    scratch = target.with_name(target.name + ".tmp")
    for relative, path in _sources(source):
        data = path.read_bytes()
        hashed = hashed_name(relative, data)
        manifest[relative] = hashed
        _write_once(target / hashed, data, scratch)
        for suffix, packed in _compressed(data, relative).items():
            _write_once(target / (hashed + suffix), packed, scratch)
    return manifest


def _security_headers(headers: dict[str, str]) -> Callable[[Any, str, str], None]:
    def add(file_headers: Any, _path: str, _url: str) -> None:
        for name, value in headers.items():
            file_headers[name] = value

    return add


def _serve_static(app: Flask, settings: Settings, headers: dict[str, str]) -> None:
    assert app.static_folder is not None
    source = Path(app.static_folder)
    target = settings.instance_path / "static"
    manifest = build(source, target)
    hashed_root = str(target.resolve()) + os.sep
    files = _StaticFiles(
        app.wsgi_app,
        max_age=0,  # original names: revalidated each time (ETag, Last-Modified)
        allow_all_origins=False,
        add_headers_function=_security_headers(headers),
        immutable_file_test=lambda path, _url: path.startswith(hashed_root),
    )
    files.add_files(str(source), prefix="static/")
    files.add_files(str(target), prefix="static/")
    app.wsgi_app = files  # type: ignore[method-assign]

    @app.url_defaults
    def hashed_static_url(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]


def _compress_dynamic(app: Flask) -> None:
    app.config.update(
        COMPRESS_REGISTER=False,
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
    )
    compress = Compress(app)

    @app.after_request
    def compress_response(response: Response) -> Response:
        if request.blueprint in UNCOMPRESSED_BLUEPRINTS:
            return response
        return compress.after_request(response)


def init_app(app: Flask, settings: Settings, static_headers: dict[str, str]) -> None:
    """Serve static files hashed and pre-compressed (not in debug mode), compress the rest.

    `static_headers` are the security headers WhiteNoise adds to static files, which it serves
    before Flask (and its `after_request` functions) sees the request.
    """
    if not app.debug:
        _serve_static(app, settings, static_headers)
    _compress_dynamic(app)
