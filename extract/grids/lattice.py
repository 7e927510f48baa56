"""Running Camelot on table pages and keeping each cell's geometry and text."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import camelot
import camelot.image_processing
import camelot.parsers.lattice
from playa.miner import LTCurve

from extract.pdf.pdfium_pages import opened_pages, text_in
from extract.text import normalize

log = logging.getLogger(__name__)

# Camelot drops ruled grids that are >= 90 % empty as detection noise. In budget
# disclosures an empty table is data (本表无数据: the department has no such
# spending), so keep every grid; grids that are not budget tables are told apart
# by their titles and content later.
camelot.parsers.lattice._GRID_WHITESPACE_REJECT = 101.0  # noqa: SLF001

# Lattice reads a cell's text from the page's text lines; pdfminer's grouping of those lines into
# nested text boxes (`boxes_flow`) is most of the layout's cost and Camelot's lattice never uses it.
# Without it: the same cells on every shared real document, ~20 % less time.
LAYOUT = {"boxes_flow": None}

_camelot_rules = camelot.image_processing._ruled_lines_from_layout  # noqa: SLF001
_THIN = camelot.image_processing._LINE_AS_THIN_RECT_TOL  # noqa: SLF001


def _rules_with_thin_polygons(layout: object) -> list[tuple[float, float, float, float]]:
    """Camelot's vector rules (lines, stroked rectangles, thin filled rectangles) plus thin filled
    polygons: some generators draw each rule as a filled 4-5 point outline with a mitred corner,
    which pdfminer gives as a curve rather than a rectangle. Without them such grids were found only
    by rendering the page (10x slower, and cells glued where the image blurred the rules)."""
    rules = _camelot_rules(layout)
    for obj in camelot.image_processing._walk_layout_objects(layout):  # noqa: SLF001
        if type(obj) is not LTCurve or not getattr(obj, "fill", False) or getattr(obj, "stroke", False):
            continue  # rectangles and lines (subclasses of LTCurve) are Camelot's own
        width, height = obj.x1 - obj.x0, obj.y1 - obj.y0
        if min(width, height) > _THIN or max(width, height) <= _THIN:
            continue
        if width >= height:
            middle = (obj.y0 + obj.y1) / 2
            rules.append((obj.x0, middle, obj.x1, middle))
        else:
            middle = (obj.x0 + obj.x1) / 2
            rules.append((middle, obj.y0, middle, obj.y1))
    return rules


camelot.image_processing._ruled_lines_from_layout = _rules_with_thin_polygons  # noqa: SLF001


@dataclass
class GridCell:
    raw_text: str
    # Which borders are drawn: a missing top border means this cell continues
    # the merged cell above it, a missing left border the one to its left.
    top: bool = True
    left: bool = True

    @property
    def text(self) -> str:
        return normalize(self.raw_text)


@dataclass
class PageTable:
    """One Camelot table on one page, with the text printed above it."""

    page: int
    index_on_page: int
    flavor: str
    bbox: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points (origin bottom-left)
    grid: list[list[GridCell]]
    text_above: str = ""
    text_below: str = ""
    accuracy: float = 0.0
    n_header: int | None = None  # known header rows (rule-bounded tables); None: infer from content

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.grid]


def read_page_tables(path: Path, pages: list[int], raster_pages: set[int] | None = None) -> list[PageTable]:
    """Camelot lattice tables of the given 1-based pages, in page order, with their surroundings.

    The rules are read from the PDF's vector drawing first (no rendering: 15-60x
    faster, the same cells wherever both work); only pages where that finds no
    table (and, if given, that are in `raster_pages`) are rendered and read from
    the raster image as well.
    """
    found = _camelot(path, pages, "vector")
    rest = sorted(
        set(pages) - {int(t.page) for t in found} & (raster_pages if raster_pages is not None else set(pages))
    )
    found = [*found, *_camelot(path, rest, "combined")]
    result: list[PageTable] = []
    counters: dict[int, int] = {}
    for table in found:
        page = int(table.page)
        grid = [
            [GridCell(raw_text=cell.text, top=bool(cell.top), left=bool(cell.left)) for cell in row]
            for row in table.cells
        ]
        index = counters.get(page, 0)
        counters[page] = index + 1
        result.append(
            PageTable(
                page=page,
                index_on_page=index,
                flavor="lattice",
                bbox=tuple(float(v) for v in table._bbox),  # noqa: SLF001 - camelot exposes no public bbox
                grid=grid,
                accuracy=float(table.parsing_report.get("accuracy", 0.0)),
            )
        )
    result.sort(key=lambda t: (t.page, -t.bbox[3]))
    _attach_surrounding_text(path, result)
    return result


def _camelot(path: Path, pages: list[int], engine: str) -> list:
    if not pages:
        return []
    with warnings.catch_warnings():
        # Camelot warns for every page without a table; that is expected here.
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(
            str(path), pages=",".join(map(str, pages)), flavor="lattice", engine=engine, layout_kwargs=LAYOUT
        )
    return list(tables)


def _attach_surrounding_text(path: Path, tables: list[PageTable]) -> None:
    """Text between the previous table (or page top) and this table: title, label and unit."""
    by_page: dict[int, list[PageTable]] = {}
    for table in tables:
        by_page.setdefault(table.page, []).append(table)
    with opened_pages(path, by_page) as pages:
        for page in pages:
            page_tables = by_page[page.number]
            width, height = page.page.get_size()  # as displayed, rotation applied (Camelot's space)
            ceiling = height
            for position, table in enumerate(page_tables):
                table.index_on_page = position
                _, y1, _, y2 = table.bbox
                table.text_above = text_in(page, (0.0, y2, width, ceiling))
                floor = page_tables[position + 1].bbox[3] if position + 1 < len(page_tables) else 0
                table.text_below = text_in(page, (0.0, floor, width, y1))
                ceiling = y1
