"""Editors' and administrators' sign-in, sign-out and password change (`/connexion`...)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
