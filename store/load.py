"""Writing one extracted document into the DuckDB warehouse: raw.* and its load outcome
(audit.document_loads; the tables are created by store/schema.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from extract import EXTRACTOR_VERSION
from extract.pipeline import ExtractedDocument
from extract.tables.rows import column_keys  # noqa: F401 - re-exported for inspection
from store.duckdb_format import CONFIG as STORAGE_CONFIG
from store.schema import DDL, NARRATIVE_REASON, RAW_TABLES, create_schema


def open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse file (created, in the clients' format, when missing) with the
    raw.* / audit.* schema in place. The caller closes it."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), config=STORAGE_CONFIG)
    try:
        create_schema(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def connect(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(warehouse)
    try:
        yield con
    finally:
        con.close()


def seen_with_version(con: duckdb.DuckDBPyConnection, document_id: str) -> str | None:
    """The extractor version that last produced an outcome (loaded or rejected) for this file.

    A retired document counts as handled even without raw rows (one rejected when extracted again).
    """
    row = con.execute(
        "select a.extractor_version from audit.document_loads a where a.document_id = ? "
        "and (a.outcome = 'rejected' "
        "or exists (select 1 from audit.retirements r where r.document_id = a.document_id) "
        "or exists (select 1 from raw.documents d where d.document_id = a.document_id))",
        [document_id],
    ).fetchone()
    return row[0] if row else None


def load_document(
    con: duckdb.DuckDBPyConnection, doc: ExtractedDocument, document_id: str, sha256: str
) -> int:
    """Replace the document's rows in raw.* and record its load outcome, `loaded` (a narrative part:
    `narrative`), in one transaction. Returns line items. Whether an older version of it is now
    superseded is dbt's to say (model int_document_status)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    meta = doc.metadata
    frames = {
        "documents": pd.DataFrame(
            [
                {
                    "document_id": document_id,
                    "sha256": sha256,
                    "file_name": doc.file_name,
                    "department_name": meta.department_name,
                    "region": meta.region,
                    "fiscal_year": meta.fiscal_year,
                    "doc_kind": meta.doc_kind,
                    "doc_scope": meta.doc_scope,
                    "title": meta.title,
                    "parent_department_name": meta.parent_department_name,
                    "pages": doc.pages,
                    "tables_found": len(doc.recognized_tables),
                    "extractor_version": EXTRACTOR_VERSION,
                    "extracted_at": now,
                }
            ]
        ),
        "tables": pd.DataFrame(_table_rows(doc, document_id)),
        "cells": pd.DataFrame(_cell_rows(doc, document_id)),
        "line_items": pd.DataFrame(_line_item_rows(doc, document_id)),
        "performance_indicators": pd.DataFrame(
            [
                {"document_id": document_id, **vars(i), "amount_unit": doc.tables[i.table_index].unit}
                for i in doc.indicators
            ]
        ),
        "narrative_mentions": pd.DataFrame([{"document_id": document_id, **vars(m)} for m in doc.narrative]),
        "extraction_issues": pd.DataFrame([{"document_id": document_id, **vars(i)} for i in doc.issues]),
    }
    con.execute("begin transaction")
    try:
        # A document has rows in raw.* only beside its raw.documents row (this transaction writes them
        # all): a new one has none to replace, which spares a scan of every big raw table per document.
        replacing = con.execute("select count(*) from raw.documents where document_id = ?", [document_id])
        stored_before = replacing.fetchall()[0][0] > 0
        for name in RAW_TABLES:
            if stored_before:
                con.execute(f"delete from raw.{name} where document_id = ?", [document_id])
            _insert(con, f"raw.{name}", frames[name])
        if doc.recognized_tables:
            record_status(con, document_id, doc.file_name, sha256, "loaded", None, doc, now)
        else:
            record_status(con, document_id, doc.file_name, sha256, "narrative", NARRATIVE_REASON, doc, now)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(doc.line_items)


def record_sighting(
    con: duckdb.DuckDBPyConnection, file_name: str, sha256: str, document_id: str
) -> str | None:
    """Note which file name holds these bytes; returns a name the same bytes were first seen under."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        "insert into audit.files values (?, ?, ?, ?, ?) "
        "on conflict (file_name, sha256) do update set last_seen_at = excluded.last_seen_at",
        [file_name, sha256, document_id, now, now],
    )
    row = con.execute(
        "select o.file_name from audit.files o join audit.files t on t.file_name = ? and t.sha256 = ? "
        "where o.document_id = ? and o.file_name <> t.file_name and o.first_seen_at <= t.first_seen_at "
        "order by o.first_seen_at, o.file_name limit 1",
        [file_name, sha256, document_id],
    ).fetchone()
    return row[0] if row else None


def record_status(
    con: duckdb.DuckDBPyConnection,
    document_id: str,
    file_name: str,
    sha256: str,
    status: str,
    reason: str | None,
    doc: ExtractedDocument | None = None,
    when: datetime | None = None,
    pages: int | None = None,
) -> None:
    """Upsert the document's load outcome in audit.document_loads: `status` is the outcome, `loaded`,
    `narrative` or `rejected` (with its reason). A document's status (superseded, quarantined,
    accepted, retired...) is computed by dbt from these outcomes and people's decisions."""
    meta = doc.metadata if doc else None
    con.execute("delete from audit.document_loads where document_id = ?", [document_id])
    con.execute(
        "insert into audit.document_loads (document_id, file_name, sha256, outcome, reason, department_name, "
        "fiscal_year, doc_kind, pages, tables_found, loaded_at, extractor_version) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            file_name,
            sha256,
            status,
            reason,
            meta.department_name if meta else None,
            meta.fiscal_year if meta else None,
            meta.doc_kind if meta else None,
            doc.pages if doc else pages,
            len(doc.recognized_tables) if doc else None,
            when or datetime.now(UTC).replace(tzinfo=None),
            EXTRACTOR_VERSION,
        ],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("incoming", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from incoming")
    finally:
        con.unregister("incoming")


def _table_rows(doc: ExtractedDocument, document_id: str) -> list[dict]:
    return [
        {
            "document_id": document_id,
            "table_index": index,
            "table_kind": t.kind,
            "label": t.label,
            "title": t.title,
            "unit": t.unit,
            "page_first": t.page_first,
            "page_last": t.page_last,
            "n_rows": len(t.rows),
            "n_cols": t.n_cols,
            "flavor": t.parts[0].flavor,
        }
        for index, t in enumerate(doc.tables)
    ]


def _cell_rows(doc: ExtractedDocument, document_id: str) -> list[dict]:
    rows = []
    for index, table in enumerate(doc.tables):
        data_rows = {(r.page, r.page_table_index, r.source_row): i for i, r in enumerate(table.rows)}
        data_rows.update(table.joined)
        for part in table.parts:
            for r, grid_row in enumerate(part.grid):
                row_index = data_rows.get((part.page, part.index_on_page, r))
                for c, cell in enumerate(grid_row):
                    rows.append(
                        {
                            "document_id": document_id,
                            "table_index": index,
                            "page": part.page,
                            "page_table_index": part.index_on_page,
                            "source_row": r,
                            "source_col": c,
                            "row_index": row_index,
                            "col_index": c,
                            "is_header": row_index is None,
                            "raw_text": cell.raw_text,
                            "text": cell.text,
                        }
                    )
    return rows


def _line_item_rows(doc: ExtractedDocument, document_id: str) -> list[dict]:
    kinds = {i: t.kind for i, t in enumerate(doc.tables)}
    units = {i: t.unit for i, t in enumerate(doc.tables)}
    return [
        {
            "document_id": document_id,
            **vars(item),
            "table_kind": kinds[item.table_index],
            "unit": units[item.table_index],
        }
        for item in doc.line_items
    ]


__all__ = [
    "DDL",
    "NARRATIVE_REASON",
    "column_keys",
    "connect",
    "load_document",
    "record_status",
    "seen_with_version",
]
