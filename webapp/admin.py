"""The networks' administration pages (`/admin`): upload with preview, versions, downloads."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
