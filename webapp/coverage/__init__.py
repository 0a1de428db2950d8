"""The coverage page of the networks' administration: `/admin/couverture`."""

from webapp.coverage.views import bp

__all__ = ["bp"]
