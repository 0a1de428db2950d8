"""The physician's orientation page (`/orienter`) and the printable orientation sheet."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("orientation", __name__, url_prefix="/orienter")


@bp.get("")
def form() -> str:
    return render_template("orientation/form.html")
