"""Ingesting one inbox file: identify it, extract it, load it whole or record why not."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract import EXTRACTOR_VERSION
from extract.isolation import ExtractionCrashed, ExtractionTimeout, Limits, run_isolated
from extract.pdf.document import document_id_for, sha256_of
from extract.pipeline import ExtractedDocument, extract_document
from store.load import (
    NARRATIVE_REASON,
    connect,
    load_document,
    record_sighting,
    record_status,
    seen_with_version,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    document_id: str
    file_name: str
    sha256: str
    status: str  # loaded | narrative | unchanged | duplicate | rejected
    reason: str | None
    pages: int
    tables_found: int
    line_items: int


def ingest_pdf(pdf_path: Path, warehouse_path: Path, limits: Limits | None = None) -> IngestOutcome:
    """Extract and load one PDF unless this exact file was already seen by this extractor version."""
    sha = sha256_of(pdf_path)
    document_id = document_id_for(sha)
    with connect(warehouse_path) as con:
        first_name = record_sighting(con, pdf_path.name, sha, document_id)
        if seen_with_version(con, document_id) == EXTRACTOR_VERSION:
            if first_name is not None:
                return IngestOutcome(
                    document_id, pdf_path.name, sha, "duplicate", f"same bytes as {first_name}", 0, 0, 0
                )
            return IngestOutcome(document_id, pdf_path.name, sha, "unchanged", None, 0, 0, 0)
    prepared = prepare(pdf_path, limits or Limits())
    return store(prepared, pdf_path.name, sha, warehouse_path)


@dataclass(frozen=True)
class Prepared:
    """The result of extracting one file, ready to load: a document, or the reason it is rejected."""

    doc: ExtractedDocument | None
    reason: str | None
    pages: int = 0


def prepare(pdf_path: Path, limits: Limits) -> Prepared:
    """Cheap checks first (no parsing), then extraction in a child process with time and memory limits."""
    reason, pages = _unreadable_reason(pdf_path, limits)
    if reason is not None:
        return Prepared(None, reason, pages)
    try:
        doc = run_isolated(extract_document, pdf_path, limits=limits)
    except ExtractionTimeout as error:
        return Prepared(None, str(error), pages)
    except ExtractionCrashed as error:
        return Prepared(None, str(error), pages)
    except Exception as error:  # noqa: BLE001 - any failure of one file is recorded, never fatal
        log.warning("extraction failed for %s: %s", pdf_path.name, error)
        return Prepared(None, f"could not parse the PDF ({type(error).__name__}: {error})", pages)
    if not doc.recognized_tables and not is_narrative_part(doc):
        return Prepared(doc, "no budget tables", doc.pages)
    return Prepared(doc, None, doc.pages)


def is_narrative_part(doc: ExtractedDocument) -> bool:
    """A budget's narrative published as a file of its own (Jiangsu's …文本 beside …公开表, Beijing's
    情况说明 beside 报表): no tables, but whose budget it is, and figures to check against them."""
    meta = doc.metadata
    known = meta.department_name and meta.fiscal_year and meta.doc_kind
    return bool(known and doc.narrative)


def store(prepared: Prepared, file_name: str, sha: str, warehouse_path: Path) -> IngestOutcome:
    """Load a prepared document in one transaction, or record why it was rejected."""
    document_id = document_id_for(sha)
    doc = prepared.doc
    with connect(warehouse_path) as con:
        if prepared.reason is not None or doc is None:
            record_status(
                con, document_id, file_name, sha, "rejected", prepared.reason, doc, pages=prepared.pages
            )
            return IngestOutcome(
                document_id, file_name, sha, "rejected", prepared.reason, prepared.pages, 0, 0
            )
        items = load_document(con, doc, document_id, sha)
    if not doc.recognized_tables:
        return IngestOutcome(document_id, file_name, sha, "narrative", NARRATIVE_REASON, doc.pages, 0, 0)
    return IngestOutcome(
        document_id, file_name, sha, "loaded", None, doc.pages, len(doc.recognized_tables), items
    )


# A page of a real budget document carries hundreds of characters; a scan carries none.
_MIN_TEXT_CHARS = 20


def _unreadable_reason(path: Path, limits: Limits) -> tuple[str | None, int]:
    """Why a file cannot be a budget document we can read, in words a person understands."""
    if path.stat().st_size == 0:
        return "empty file", 0
    with path.open("rb") as handle:
        if b"%PDF" not in handle.read(1024):
            return "not a PDF (no %PDF header)", 0
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            return "PDF is encrypted with a user password", 0
        return f"corrupt or truncated PDF ({message})", 0
    try:
        pages = len(pdf)
        if pages == 0:
            return "corrupt or truncated PDF (no pages)", 0
        if pages > limits.max_pages:
            return f"too many pages ({pages} > limit {limits.max_pages})", pages
        text = 0
        for index in range(pages):
            page = pdf[index]
            textpage = page.get_textpage()
            text += len(textpage.get_text_range().strip())
            textpage.close()
            page.close()
            if text >= _MIN_TEXT_CHARS:
                break
        if text < _MIN_TEXT_CHARS:
            return "scanned PDF without a text layer (no OCR is done)", pages
    finally:
        pdf.close()
    return None, pages
