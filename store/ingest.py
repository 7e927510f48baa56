"""Ingesting inbox files: each extracted in one child process with limits, then stored by one writer.

A run (dagster_project/assets/documents.py) extracts every new file in parallel (`extract_file`),
then stores every inbox file in name order (`store_files`); `ingest_pdf` is those two steps for one
PDF. Storing notes the file name (audit.files), skips bytes this extractor version already handled
(unchanged) or holds under another name (duplicate), else stores the prepared document: one DuckDB
transaction per document with its load outcome (audit.document_loads); which version counts (an
older one becomes `superseded`) dbt decides (int_document_status). A document whose load fails for
any reason still gets its load outcome (rejected, with the error).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from extract import EXTRACTOR_VERSION
from extract.isolation import IsolationFailed, Limits, report, run_isolated
from extract.pdf.document import document_id_for, sha256_of
from extract.pdf.files import NotRegularFile, open_regular
from extract.pdf.readability import unreadable_reason
from extract.pipeline import ExtractedDocument, extract_document
from store.load import (
    NARRATIVE_REASON,
    connect,
    load_document,
    open_warehouse,
    record_sighting,
    record_status,
    seen_with_version,
)
from store.outcomes import FileOutcome, outcome
from store.plan import InboxFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """The result of extracting one file, ready to load: a document, or the reason it is rejected."""

    doc: ExtractedDocument | None
    reason: str | None
    pages: int = 0


@dataclass(frozen=True)
class PreparedFile:
    """An inbox file after extraction: `prepared.reason` is None when it can be loaded.

    `changed` means the file's bytes were no longer those the run planned for: nothing is
    recorded for it, the next run picks up the new bytes.
    """

    file: InboxFile
    prepared: Prepared
    seconds: float
    changed: bool = False


def ingest_pdf(pdf_path: Path, warehouse_path: Path, limits: Limits | None = None) -> FileOutcome:
    """Extract and load one PDF unless this exact file was already seen by this extractor version."""
    info = pdf_path.stat()
    file = InboxFile(str(pdf_path), pdf_path.name, sha256_of(pdf_path), info.st_size, info.st_mtime_ns)
    with connect(warehouse_path) as con:
        handled = seen_with_version(con, file.document_id) == EXTRACTOR_VERSION
    prepared = {} if handled else {file.document_id: extract_file(file, limits or Limits())}
    return store_files([file], prepared, warehouse_path)[0]


# ---------------------------------------------------------------- extracting


def extract_file(file: InboxFile, limits: Limits) -> PreparedFile:
    """Extract a private copy of the file, after checking it still holds the planned bytes."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="budget-extract-") as tmp:
        copy = Path(tmp) / file.file_name  # same name: raw.documents records it
        try:
            with open_regular(Path(file.path)) as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
        except FileNotFoundError:
            return PreparedFile(file, Prepared(None, "file disappeared"), time.monotonic() - started, True)
        except NotRegularFile as error:  # swapped for a link or a FIFO since the scan: never followed
            reason = f"no longer a regular file ({error.strerror})"
            return PreparedFile(file, Prepared(None, reason), time.monotonic() - started, True)
        if sha256_of(copy) != file.sha256:
            return PreparedFile(file, Prepared(None, "file changed"), time.monotonic() - started, True)
        prepared = prepare(copy, limits)
    return PreparedFile(file, prepared, time.monotonic() - started)


def prepare(pdf_path: Path, limits: Limits) -> Prepared:
    """`check_and_extract` in one forked child with the time and memory limits, so that nothing a PDF
    does (an exception, a segfault, the memory limit, a hang) reaches the caller: every file ends
    with a `Prepared`, a rejection at worst."""
    try:
        return run_isolated(check_and_extract, pdf_path, limits, limits=limits)
    except IsolationFailed as error:  # time or memory limit, a crash: the pages if the checks counted them
        return Prepared(None, str(error), error.progress or 0)
    except Exception as error:  # noqa: BLE001 - every failure becomes the file's rejection
        return Prepared(None, f"unexpected error while reading the PDF ({type(error).__name__}: {error})")


def check_and_extract(pdf_path: Path, limits: Limits) -> Prepared:
    """Cheap checks first (no parsing), then extraction; run by `prepare` in its child."""
    reason, pages = unreadable_reason(pdf_path, limits.max_pages)
    if reason is not None:
        return Prepared(None, reason, pages)
    report(pages)  # a timeout or a crash from here on still knows the page count
    try:
        doc = extract_document(pdf_path)
    except MemoryError:
        raise  # run_isolated's rejection: the memory limit
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


# ---------------------------------------------------------------- storing


def store(prepared: Prepared, file_name: str, sha: str, con: duckdb.DuckDBPyConnection) -> FileOutcome:
    """Load a prepared document in one transaction, or record why it was rejected."""
    document_id = document_id_for(sha)
    doc = prepared.doc
    if prepared.reason is not None or doc is None:
        reason, pages = prepared.reason, prepared.pages
        record_status(con, document_id, file_name, sha, "rejected", reason, doc, pages=pages)
        return FileOutcome(file_name, document_id, sha, "rejected", prepared.reason, prepared.pages)
    items = load_document(con, doc, document_id, sha)
    if not doc.recognized_tables:
        return FileOutcome(file_name, document_id, sha, "narrative", NARRATIVE_REASON, doc.pages)
    tables = len(doc.recognized_tables)
    return FileOutcome(file_name, document_id, sha, "loaded", None, doc.pages, tables, items)


def _store_one(
    prepared: PreparedFile, con: duckdb.DuckDBPyConnection, warehouse: Path
) -> tuple[FileOutcome, duckdb.DuckDBPyConnection]:
    """The file's outcome, and the connection for the next file: a new one after a failed load (a
    DuckDB error can leave a connection unusable; no other document may inherit that)."""
    f = prepared.file
    try:
        out = store(prepared.prepared, f.file_name, f.sha256, con)
        return replace(out, seconds=prepared.seconds), con
    except Exception as error:  # noqa: BLE001 - one document's failure is recorded, never fatal
        log.exception("loading %s failed", f.file_name)
        con.close()
        con = open_warehouse(warehouse)
        reason = f"could not be loaded ({type(error).__name__}: {error})"
        pages = prepared.prepared.pages
        record_status(con, f.document_id, f.file_name, f.sha256, "rejected", reason, pages=pages)
        outcome_ = FileOutcome(
            f.file_name, f.document_id, f.sha256, "rejected", reason, pages, seconds=prepared.seconds
        )
        return outcome_, con


def store_files(
    files: Iterable[InboxFile],
    prepared: Mapping[str, PreparedFile],
    warehouse: Path,
    before_each: Callable[[], None] = lambda: None,
) -> list[FileOutcome]:
    """Record every file and store what was extracted; `prepared` is keyed by document_id.

    `before_each` runs before every file (the run checks it still owns the working copy). One
    connection for the batch (one transaction per document): opening the file and checkpointing
    it on close, per file, cost ≈0.1 s each.
    """
    outcomes = []
    # Creates raw.* / audit.* even for an empty inbox: dbt reads them.
    con = open_warehouse(warehouse)
    try:
        for f in sorted(files, key=lambda f: f.file_name):
            before_each()
            done = prepared.get(f.document_id)
            if done is not None and done.changed:
                # Its bytes changed after the scan: record nothing, the next run sees the new bytes.
                outcomes.append(outcome(f, "skipped", done.prepared.reason))
                continue
            first_name = record_sighting(con, f.file_name, f.sha256, f.document_id)
            handled = seen_with_version(con, f.document_id) == EXTRACTOR_VERSION
            if handled:
                if first_name:
                    outcomes.append(outcome(f, "duplicate", f"same bytes as {first_name}"))
                else:
                    outcomes.append(outcome(f, "unchanged"))
            elif done is None:
                # Planned as already handled, but this copy of the warehouse says otherwise (another
                # run published in between): the next run extracts it.
                outcomes.append(outcome(f, "skipped", "not extracted in this run"))
            else:
                stored, con = _store_one(done, con, warehouse)
                outcomes.append(stored)
    finally:
        con.close()
    return outcomes
