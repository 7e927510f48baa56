"""The cheap checks before extraction: can this file be a budget document we can read at all?

No parsing of tables here: the header bytes, whether pdfium opens it, the page count against the
limit, and whether its first pages carry a text layer (a scan carries none; no OCR is done).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from extract.pdf.pdfium_pages import open_pdf, pages_of

# A page of a real budget document carries hundreds of characters; a scan carries none.
MIN_TEXT_CHARS = 20


def unreadable_reason(path: Path, max_pages: int) -> tuple[str | None, int]:
    """Why a file cannot be a budget document we can read, in words a person understands (None when
    it can), and its page count when known."""
    if path.stat().st_size == 0:
        return "empty file", 0
    with path.open("rb") as handle:
        if b"%PDF" not in handle.read(1024):
            return "not a PDF (no %PDF header)", 0
    try:
        pdf = open_pdf(path)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            return "PDF is encrypted with a user password", 0
        return f"corrupt or truncated PDF ({message})", 0
    with pdf:
        pages = len(pdf)
        if pages == 0:
            return "corrupt or truncated PDF (no pages)", 0
        if pages > max_pages:
            return f"too many pages ({pages} > limit {max_pages})", pages
        text = 0
        for page in pages_of(pdf):
            text += len(page.textpage.get_text_range().strip())
            if text >= MIN_TEXT_CHARS:
                break
        if text < MIN_TEXT_CHARS:
            return "scanned PDF without a text layer (no OCR is done)", pages
    return None, pages
