"""The physicians' orientation page and printed sheet: `bp`."""

from webapp.orientation.views import bp

__all__ = ["bp"]
