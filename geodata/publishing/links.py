"""Share links of the spreadsheet tools networks use, turned into their CSV download URL.

Editors paste what their tool shows them: a Google Sheets "publish to the web" page, a Grist
document page, a Nextcloud public share page. Each has a documented address that serves the
file itself; any other URL is kept as it is (a CSV or .xlsx served directly).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

# docs.google.com/spreadsheets/d/e/<published id>/pubhtml (or /pub?output=html)
_GOOGLE_PUBLISHED = re.compile(r"^/spreadsheets/d/e/([\w-]+)/pub(?:html)?/?$")
# docs.google.com/spreadsheets/d/<id>/edit (a sheet shared "anyone with the link")
_GOOGLE_SHARED = re.compile(r"^/spreadsheets/d/([\w-]+)(?:/(?:edit|view|htmlview)?)?/?$")
# <grist host>/[o/<org>/]<doc id>/<doc name>[/p/<page>] or /doc/<doc id>
_GRIST_DOC = re.compile(r"^(?:/o/[\w-]+)?/(?:doc/)?([A-Za-z0-9]{12,})(?:/[^/]*)?(?:/p/\d+)?/?$")
# <nextcloud>[/index.php]/s/<token>
_NEXTCLOUD_SHARE = re.compile(r"^((?:/[\w.-]+)*?(?:/index\.php)?/s/[A-Za-z0-9]+)/?$")
GRIST_DEFAULT_TABLE = "Table1"


def download_url(url: str) -> str:
    """Return the URL that serves the file behind a share link (`url` itself otherwise)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    if host == "docs.google.com":
        return _google(parts.scheme, parts.path, query, parts.fragment) or url.strip()
    if "grist" in host:
        return _grist(parts.scheme, parts.netloc, parts.path, query) or url.strip()
    share = _NEXTCLOUD_SHARE.match(parts.path)
    if share and not parts.path.endswith("/download"):
        download = str(share.group(1)) + "/download"
        return urlunsplit((parts.scheme, parts.netloc, download, "", ""))
    return url.strip()


def _google(scheme: str, path: str, query: dict[str, list[str]], fragment: str) -> str | None:
    gid = _sheet_id(query, fragment)
    published = _GOOGLE_PUBLISHED.match(path)
    if published:
        wanted = {"output": "csv"} | ({"gid": gid, "single": "true"} if gid else {})
        location = f"/spreadsheets/d/e/{published.group(1)}/pub"
        return urlunsplit((scheme, "docs.google.com", location, urlencode(wanted), ""))
    shared = _GOOGLE_SHARED.match(path)
    if shared:
        wanted = {"format": "csv"} | ({"gid": gid} if gid else {})
        location = f"/spreadsheets/d/{shared.group(1)}/export"
        return urlunsplit((scheme, "docs.google.com", location, urlencode(wanted), ""))
    return None


def _sheet_id(query: dict[str, list[str]], fragment: str) -> str:
    """Return the sheet (tab) a Google link names, in its query or after "#gid="."""
    if query.get("gid"):
        return query["gid"][0]
    found = re.search(r"gid=(\d+)", fragment)
    return found.group(1) if found else ""


def _grist(scheme: str, netloc: str, path: str, query: dict[str, list[str]]) -> str | None:
    if path.startswith("/api/"):
        return None  # already an API (download) address
    document = _GRIST_DOC.match(path)
    if not document:
        return None
    table = (query.get("tableId") or [GRIST_DEFAULT_TABLE])[0]
    location = f"/api/docs/{document.group(1)}/download/csv"
    return urlunsplit((scheme, netloc, location, urlencode({"tableId": table}), ""))
