"""The single writer: every inbox file's outcome, in name order, on the run's working copy.

Mirrors `store.ingest.ingest_pdf` with the extraction done beforehand (in parallel): note the
file name (audit.files), skip bytes this extractor version already handled (unchanged) or holds
under another name (duplicate), else store the prepared document — one DuckDB transaction per
document, older versions of the same department/year/kind become `superseded`. A document whose
load fails for any reason still gets its audit row (rejected, with the error).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from extract import EXTRACTOR_VERSION
from store.extraction import PreparedFile
from store.ingest import store
from store.load import connect, record_sighting, record_status, seen_with_version
from store.outcomes import FileOutcome, outcome
from store.plan import InboxFile

log = logging.getLogger(__name__)


def _store_one(prepared: PreparedFile, warehouse: Path) -> FileOutcome:
    f = prepared.file
    try:
        out = store(prepared.prepared, f.file_name, f.sha256, warehouse)
        return FileOutcome(
            f.file_name,
            f.document_id,
            f.sha256,
            out.status,
            out.reason,
            out.pages,
            out.tables_found,
            out.line_items,
            prepared.seconds,
        )
    except Exception as error:  # noqa: BLE001 - one document's failure is recorded, never fatal
        log.exception("loading %s failed", f.file_name)
        reason = f"could not be loaded ({type(error).__name__}: {error})"
        pages = prepared.prepared.pages
        with connect(warehouse) as con:
            record_status(con, f.document_id, f.file_name, f.sha256, "rejected", reason, pages=pages)
        return FileOutcome(
            f.file_name, f.document_id, f.sha256, "rejected", reason, pages, seconds=prepared.seconds
        )


def store_files(
    files: Iterable[InboxFile],
    prepared: Mapping[str, PreparedFile],
    warehouse: Path,
    before_each: Callable[[], None] = lambda: None,
) -> list[FileOutcome]:
    """Record every file and store what was extracted; `prepared` is keyed by document_id.

    `before_each` runs before every file (the run checks it still owns the working copy).
    """
    with connect(warehouse):  # creates raw.* / audit.* even for an empty inbox: dbt reads them
        pass
    outcomes = []
    for f in sorted(files, key=lambda f: f.file_name):
        before_each()
        done = prepared.get(f.document_id)
        if done is not None and done.changed:
            # Its bytes changed after the scan: record nothing, the next run sees the new bytes.
            outcomes.append(outcome(f, "skipped", done.prepared.reason))
            continue
        with connect(warehouse) as con:
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
            outcomes.append(_store_one(done, warehouse))
    return outcomes
