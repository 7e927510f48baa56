"""Which pages may hold tables, decided from the text layer and drawing counts (no rendering)."""

from __future__ import annotations

from extract.pdf.document import PageInfo

# A ruled table draws its frame and rules (a three-line table at least two);
# prose pages draw none. Rendering a page for Camelot costs ~100x this check.
MIN_PATH_OBJECTS = 2


def table_page_candidates(pages: list[PageInfo]) -> list[int]:
    """1-based numbers of pages worth handing to Camelot."""
    return [p.number for p in pages if p.path_objects >= MIN_PATH_OBJECTS and p.text.strip()]
