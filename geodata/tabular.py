"""Read an uploaded directory CSV into a table of contract columns, with file-level problems."""

from __future__ import annotations

from geodata.textfile import decode_bytes, detect_delimiter

__all__ = ["decode_bytes", "detect_delimiter"]
