"""The ruled-text reader's words: a page's characters joined into the phrases a reader sees.

Shared by the column and row steps of `extract.grids.ruled_text`: segments, text lines, overlaps
and the cells that never wrap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extract.pdf.pdfium_pages import OpenPage, user_to_displayed

SAME_LINE = 2.5  # points: segments whose vertical centres differ less share a line
_WORD_GAP = 2.0  # points: a smaller horizontal gap joins two characters into one segment
ATOMIC = re.compile(r"^(?:[-(]?[\d,]+(?:\.\d+)?\)?|[≥≤=<>＝]|定性|-|—)$")


@dataclass
class Segment:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def page_segments(page: OpenPage) -> list[Segment]:
    """Characters joined into the phrases a reader sees (one per cell line).

    Built from character boxes, not pdfium's text rectangles: those follow the
    drawing order, which need not be the reading order.
    """
    textpage = page.textpage
    chars = []
    text = textpage.get_text_range()
    for i in range(textpage.count_chars()):
        char = text[i] if i < len(text) else ""
        if not char.strip():
            continue
        # The font box (loose): one height per line; in the page's displayed orientation.
        x0, y0, x1, y1 = user_to_displayed(page.page, textpage.get_charbox(i, loose=True))
        chars.append(Segment(x0, x1, y0, y1, char))
    merged: list[Segment] = []
    for line in text_lines(chars):
        current = line[0]
        for char in line[1:]:
            if char.x0 - current.x1 < _WORD_GAP:
                current = Segment(
                    current.x0,
                    char.x1,
                    min(current.y0, char.y0),
                    max(current.y1, char.y1),
                    current.text + char.text,
                )
            else:
                merged.append(current)
                current = char
        merged.append(current)
    return [part for seg in merged for part in _split_glued(seg)]


_GLUED = re.compile(r"^(-?[\d,]*\d\.\d+)(?=[^\d.,%])")


def _split_glued(seg: Segment) -> list[Segment]:
    """An amount printed flush against the next cell's label (717.78一.一般…) is two cells."""
    match = _GLUED.match(seg.text)
    if not match:
        return [seg]
    cut = seg.x0 + (seg.x1 - seg.x0) * len(match.group(1)) / len(seg.text)
    rest = seg.text[match.end() :]
    return [
        Segment(seg.x0, cut, seg.y0, seg.y1, match.group(1)),
        Segment(cut + 0.5, seg.x1, seg.y0, seg.y1, rest),
    ]


def text_lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into text lines, top first."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: -s.yc):
        if lines and abs(median(s.yc for s in lines[-1]) - seg.yc) < SAME_LINE:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    return [sorted(line, key=lambda s: s.x0) for line in lines]


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))
