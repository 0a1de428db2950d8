"""The public map and its embed: `bp`."""

from webapp.public.views import bp

__all__ = ["bp"]
