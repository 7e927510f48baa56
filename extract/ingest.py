"""Ingesting one inbox file: identify it, extract it, load it whole or record why not."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract import EXTRACTOR_VERSION
from extract.document import document_id_for, sha256_of
from extract.load import connect, load_document, loaded_version, record_status
from extract.pipeline import extract_document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    document_id: str
    file_name: str
    sha256: str
    status: str  # loaded | unchanged | rejected
    reason: str | None
    pages: int
    tables_found: int
    line_items: int


def list_inbox(inbox: Path) -> list[Path]:
    """PDF files directly in the inbox folder, in name order."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def ingest_pdf(pdf_path: Path, warehouse_path: Path) -> IngestOutcome:
    """Extract and load one PDF unless this exact file was already loaded by this extractor version."""
    sha = sha256_of(pdf_path)
    document_id = document_id_for(sha)
    with connect(warehouse_path) as con:
        previous = loaded_version(con, document_id)
    if previous and previous[0] == EXTRACTOR_VERSION:
        return IngestOutcome(document_id, pdf_path.name, sha, "unchanged", None, 0, 0, 0)

    reason = _unreadable_reason(pdf_path)
    doc = None
    if reason is None:
        try:
            doc = extract_document(pdf_path)
        except Exception as error:  # noqa: BLE001 - any failure of one file is recorded, never fatal
            log.exception("extraction failed for %s", pdf_path.name)
            reason = f"extraction failed: {type(error).__name__}: {error}"
    if doc is not None and not doc.recognized_tables:
        reason = "no budget tables"
    with connect(warehouse_path) as con:
        if reason is not None or doc is None:
            record_status(con, document_id, pdf_path.name, sha, "rejected", reason, doc)
            return IngestOutcome(
                document_id, pdf_path.name, sha, "rejected", reason, doc.pages if doc else 0, 0, 0
            )
        items = load_document(con, doc, document_id, sha)
    return IngestOutcome(
        document_id, pdf_path.name, sha, "loaded", None, doc.pages, len(doc.recognized_tables), items
    )


def _unreadable_reason(path: Path) -> str | None:
    """Why a file cannot be read as a PDF at all, in words a person understands."""
    if path.stat().st_size == 0:
        return "empty file"
    with path.open("rb") as handle:
        if b"%PDF" not in handle.read(1024):
            return "not a PDF (no %PDF header)"
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            return "PDF is encrypted with a user password"
        return f"corrupt or truncated PDF ({message})"
    pdf.close()
    return None
