"""Rules drawn as thin filled polygons (a mitred 4-point outline, not a rectangle) are read from the
PDF's vector drawing: the grid is found without rendering the page."""

from __future__ import annotations

from pathlib import Path

import camelot.image_processing
import pytest
from reportlab.pdfgen import canvas

from extract.grids import lattice

THICKNESS = 0.75
XS = (60.0, 200.0, 340.0)  # vertical rules
YS = (700.0, 670.0, 640.0)  # horizontal rules
CELLS = (("项目", "金额"), ("201", "12.50"))


def _rule(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """One rule as some generators draw it: a filled outline with one corner cut (a trapezoid)."""
    path = pdf.beginPath()
    if y0 == y1:  # horizontal
        path.moveTo(x1, y0)
        path.lineTo(x0, y0)
        path.lineTo(x0, y0 + THICKNESS)
        path.lineTo(x1 - THICKNESS, y0 + THICKNESS)
    else:  # vertical
        path.moveTo(x0, y1)
        path.lineTo(x0, y0)
        path.lineTo(x0 + THICKNESS, y0 + THICKNESS)
        path.lineTo(x0 + THICKNESS, y1)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)


@pytest.fixture
def polygon_ruled_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "polygon_rules.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    for y in YS:
        _rule(pdf, XS[0], y, XS[-1], y)
    for x in XS:
        _rule(pdf, x, YS[-1], x, YS[0])
    pdf.setFont("Helvetica", 10)
    for row, texts in enumerate(CELLS):
        for col, text in enumerate(texts):
            if text.isascii():
                pdf.drawString(XS[col] + 10, YS[row] - 20, text)
    pdf.save()
    return path


def test_polygon_rules_make_a_grid_without_rendering(polygon_ruled_pdf: Path) -> None:
    # raster_pages empty: a page whose grid the vector drawing does not give is not rendered at all.
    [table] = lattice.read_page_tables(polygon_ruled_pdf, [1], raster_pages=set())
    assert (table.n_rows, table.n_cols) == (2, 2)
    assert table.texts()[1] == ["201", "12.50"]


def test_camelot_alone_misses_them(polygon_ruled_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the polygons (Camelot's own vector rules) the same page has no grid: the test above
    # measures the polygons, not some other rule.
    monkeypatch.setattr(camelot.image_processing, "_ruled_lines_from_layout", lattice._camelot_rules)
    assert lattice.read_page_tables(polygon_ruled_pdf, [1], raster_pages=set()) == []
