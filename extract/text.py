"""Text normalization shared by every extraction step."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """NFKC-normalize (full-width digits, brackets, colons → half-width) and trim.

    Line breaks inside a cell come from wrapping in narrow columns, never from
    meaning, so they are removed; other runs of white space become one space.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\n", "").replace("\r", "")
    return _SPACES.sub(" ", text).strip()


def compact(text: str | None) -> str:
    """Normalized text with every space removed: for matching labels and titles."""
    return _SPACES.sub("", normalize(text))
