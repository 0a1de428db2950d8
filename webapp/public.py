"""The public map (`/`) and its embeddable version (`/embed`)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    return render_template("public/index.html")


@bp.get("/embed")
def embed() -> str:
    return render_template("public/embed.html")
