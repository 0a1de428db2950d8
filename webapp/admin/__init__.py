"""The networks' administration: sign-in (`auth_bp`) and the pages under `/admin` (`bp`)."""

from webapp.admin import embed, imports, sources, versions, views
from webapp.admin.auth import bp as auth_bp
from webapp.admin.blueprint import bp

__all__ = ["auth_bp", "bp", "embed", "imports", "sources", "versions", "views"]
