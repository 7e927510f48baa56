"""Text normalization shared by every extraction step."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letter-spaced labels (公 务 用 车 运 行 维 护费): spaces between two Chinese characters carry no meaning.
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


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


def clean_label(text: str | None) -> str:
    """A row label: normalized, and letter-spaced Chinese (公 务 用 车 运 行 费) closed up.

    Only for labels: in header cells a space separates words that ran over a cell border.
    """
    return _CJK_GAP.sub("", normalize(text))
