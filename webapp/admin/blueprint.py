"""The admin blueprint: every page under `/admin`, for networks' editors."""

from flask import Blueprint, Response

bp = Blueprint("admin", __name__, url_prefix="/admin")


def no_store(response: Response) -> Response:
    """Keep what a session shows (pages, exports, forms with a CSRF token) out of any cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


bp.after_request(no_store)
