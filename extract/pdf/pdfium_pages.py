"""Pages through pypdfium2, written once: a document's pages opened one at a time and closed after
use, and rectangles on a page as it is displayed (rotation applied: Camelot's coordinates)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium


class OpenPage:
    """One page of an open document; its text layer is loaded on first use. `pages_of` closes both."""

    def __init__(self, number: int, page: pdfium.PdfPage) -> None:
        self.number = number  # 1-based
        self.page = page
        self._textpage: pdfium.PdfTextPage | None = None

    @property
    def textpage(self) -> pdfium.PdfTextPage:
        if self._textpage is None:
            self._textpage = self.page.get_textpage()
        return self._textpage

    def close(self) -> None:
        if self._textpage is not None:
            self._textpage.close()
        self.page.close()


def open_pdf(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """The document; `with open_pdf(path) as pdf:` closes it (and any page still open) on leaving."""
    return pdfium.PdfDocument(str(path), password=password)


def pages_of(pdf: pdfium.PdfDocument, numbers: Iterable[int] | None = None) -> Iterator[OpenPage]:
    """The given 1-based pages (all, by default) in that order, each closed before the next opens."""
    for number in range(1, len(pdf) + 1) if numbers is None else numbers:
        page = OpenPage(number, pdf[number - 1])
        try:
            yield page
        finally:
            page.close()


@contextmanager
def opened_pages(
    path: Path, numbers: Iterable[int] | None = None, password: str | None = None
) -> Iterator[Iterator[OpenPage]]:
    """`pages_of` a document opened for the `with` block and closed after it."""
    with open_pdf(path, password) as pdf:
        pages = pages_of(pdf, numbers)
        try:
            yield pages
        finally:
            pages.close()


def path_bounds(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The bounding boxes of the page's vector drawings (rules, frames), in the page's own coordinates."""
    return [obj.get_bounds() for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH]


def text_in(page: OpenPage, box: tuple[float, float, float, float]) -> str:
    """Text inside a rectangle given as displayed (Camelot's coordinates)."""
    return page.textpage.get_text_bounded(*displayed_to_user(page.page, box)).replace("\r\n", "\n")


def displayed_to_user(page: pdfium.PdfPage, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """A rectangle on the page as displayed (rotation applied) in the page's own coordinates.

    Camelot measures rotated pages as they are displayed; pdfium's text boxes
    stay in the unrotated page space.
    """
    left, bottom, right, top = box
    x0, y0, x1, y1 = page.get_mediabox()
    w, h = x1 - x0, y1 - y0
    rotation = page.get_rotation() % 360
    if rotation == 90:
        rect = (w - top, left, w - bottom, right)
    elif rotation == 180:
        rect = (w - right, h - top, w - left, h - bottom)
    elif rotation == 270:
        rect = (bottom, h - right, top, h - left)
    else:
        rect = (left, bottom, right, top)
    return (rect[0] + x0, rect[1] + y0, rect[2] + x0, rect[3] + y0)


def user_to_displayed(page: pdfium.PdfPage, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """The inverse of displayed_to_user: a box in page coordinates as the page is displayed."""
    x0, y0, x1, y1 = page.get_mediabox()
    w, h = x1 - x0, y1 - y0
    ux0, uy0, ux1, uy1 = box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (uy0, w - ux1, uy1, w - ux0)
    if rotation == 180:
        return (w - ux1, h - uy1, w - ux0, h - uy0)
    if rotation == 270:
        return (h - uy1, ux0, h - uy0, ux1)
    return (ux0, uy0, ux1, uy1)
