"""The admin blueprint: every page under `/admin`, for networks' editors."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
