"""Writing one extracted document into the DuckDB warehouse: raw.* and audit.documents."""

from __future__ import annotations

import functools
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

DDL = """
create schema if not exists raw;
create schema if not exists audit;
create table if not exists raw.documents (
    document_id varchar primary key, sha256 varchar, file_name varchar, department_name varchar,
    region varchar, fiscal_year integer, doc_kind varchar, doc_scope varchar, title varchar,
    pages integer, tables_found integer, extractor_version varchar, extracted_at timestamp,
    parent_department_name varchar
);
create table if not exists raw.tables (
    document_id varchar, table_index integer, table_kind varchar, label varchar, title varchar,
    unit varchar, page_first integer, page_last integer, n_rows integer, n_cols integer, flavor varchar
);
create table if not exists raw.cells (
    document_id varchar, table_index integer, page integer, page_table_index integer,
    source_row integer, source_col integer, row_index integer, col_index integer,
    is_header boolean, raw_text varchar, text varchar
);
create table if not exists raw.line_items (
    document_id varchar, table_index integer, table_kind varchar, row_index integer, col_index integer,
    page integer, row_role varchar, item_code varchar, item_name varchar, item_key varchar,
    column_key varchar, amount_text varchar, is_blank boolean, raw_text varchar, unit varchar,
    other_codes varchar
);
create table if not exists raw.performance_indicators (
    document_id varchar, table_index integer, row_index integer, page integer, project_name varchar,
    amount_text varchar, amount_raw varchar, goal varchar, level1 varchar, level2 varchar,
    indicator varchar, operator varchar, target_value varchar, unit varchar, amount_unit varchar
);
create table if not exists raw.narrative_mentions (
    document_id varchar, page integer, sentence_index integer, subject varchar, amount_text varchar,
    unit varchar, base_amount_text varchar, base_unit varchar, share_pct varchar, change_direction varchar,
    change_amount_text varchar, change_unit varchar, change_pct varchar, sentence varchar
);
create table if not exists raw.extraction_issues (
    document_id varchar, page integer, table_index integer, row_index integer, col_index integer,
    issue_kind varchar, raw_text varchar, message varchar
);
create table if not exists audit.documents (
    document_id varchar primary key, file_name varchar, sha256 varchar, status varchar, reason varchar,
    department_name varchar, fiscal_year integer, doc_kind varchar, pages integer, tables_found integer,
    loaded_at timestamp, extractor_version varchar
);
alter table audit.documents add column if not exists extractor_version varchar;
create table if not exists audit.files (
    file_name varchar, sha256 varchar, document_id varchar, first_seen_at timestamp, last_seen_at timestamp,
    primary key (file_name, sha256)
);
"""

_RAW_TABLES = (
    "documents",
    "tables",
    "cells",
    "line_items",
    "performance_indicators",
    "narrative_mentions",
    "extraction_issues",
)


@contextmanager
def connect(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), config=STORAGE_CONFIG)  # a new warehouse: clients' format
    try:
        _drop_outdated_raw_tables(con)
        con.execute(DDL)
        yield con
    finally:
        con.close()


def _drop_outdated_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """raw.* is re-derivable from the PDFs: tables whose columns changed are dropped and re-created.

    raw.documents is then emptied too, so that every document is extracted again
    into the new layout on the next run.
    """
    expected = _expected_columns()
    outdated = [name for name in _RAW_TABLES if _columns(con, name) not in ([], expected[name])]
    for name in outdated:
        con.execute(f"drop table raw.{name} cascade")
    if outdated and _columns(con, "documents"):
        con.execute("delete from raw.documents")


@functools.cache
def _expected_columns() -> dict[str, list[str]]:
    """The raw tables' columns as the DDL declares them (read once from a scratch database)."""
    scratch = duckdb.connect(":memory:")
    try:
        scratch.execute(DDL)
        return {name: _columns(scratch, name) for name in _RAW_TABLES}
    finally:
        scratch.close()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]


def seen_with_version(con: duckdb.DuckDBPyConnection, document_id: str) -> str | None:
    """The extractor version that last produced an outcome (loaded or rejected) for this file.

    A retired document counts as handled even without raw rows (one rejected when extracted again).
    """
    row = con.execute(
        "select a.extractor_version from audit.documents a where a.document_id = ? "
        "and (a.status in ('rejected', 'retired') "
        "or exists (select 1 from raw.documents d where d.document_id = a.document_id))",
        [document_id],
    ).fetchone()
    return row[0] if row else None


NARRATIVE_REASON = (
    "the narrative part of a publication (no tables of its own): its figures are checked against the "
    "tables of the same department, year, kind and scope"
)


def load_document(
    con: duckdb.DuckDBPyConnection, doc: ExtractedDocument, document_id: str, sha256: str
) -> int:
    """Replace the document's rows in raw.* and mark it loaded (a narrative part: `narrative`), in one
    transaction. Returns line items."""
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
        for name in _RAW_TABLES:
            con.execute(f"delete from raw.{name} where document_id = ?", [document_id])
            _insert(con, f"raw.{name}", frames[name])
        if doc.recognized_tables:
            record_status(con, document_id, doc.file_name, sha256, "loaded", None, doc, now)
        else:
            record_status(con, document_id, doc.file_name, sha256, "narrative", NARRATIVE_REASON, doc, now)
        supersede_older_versions(con, document_id)
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


def supersede_older_versions(con: duckdb.DuckDBPyConnection, document_id: str) -> str | None:
    """Of the files for one department, year, kind and scope, only the newest counts (tables and a
    narrative published as two files are two parts of one publication, not versions of each other).

    Newest = first seen last (re-extracting an old file does not make it new); retired versions
    (`budget-etl retire`) do not count at all. The others become `superseded`, so the marts never
    count two versions. Returns the document made current again, if its newer versions were
    retired (it was `superseded`, it is `loaded` now).
    """
    versions = con.execute(
        """
        select d.document_id, min(f.first_seen_at) as first_seen_at, a.status, any_value(a.file_name)
        from raw.documents d
        join raw.documents this on this.document_id = ?
            and d.department_name = this.department_name and d.fiscal_year = this.fiscal_year
            and d.doc_kind = this.doc_kind and d.doc_scope is not distinct from this.doc_scope
            and (coalesce(d.tables_found, 0) > 0) = (coalesce(this.tables_found, 0) > 0)
        join audit.files f on f.document_id = d.document_id
        join audit.documents a on a.document_id = d.document_id
        where a.status <> 'retired'
        group by d.document_id, a.status
        order by first_seen_at desc, d.document_id desc
        """,
        [document_id],
    ).fetchall()
    if not versions:
        return None
    newest_id, _, newest_status, newest_file = versions[0]
    for other_id, _, status, _ in versions[1:]:
        if status in ("loaded", "quarantined", "accepted", "narrative"):
            con.execute(
                "update audit.documents set status = 'superseded', reason = ? where document_id = ?",
                [f"superseded by {newest_file}", other_id],
            )
    if newest_status == "superseded":  # its newer copy was withdrawn
        narrative = con.execute(
            "select tables_found = 0 from raw.documents where document_id = ?", [newest_id]
        ).fetchone()[0]
        con.execute(
            "update audit.documents set status = ?, reason = ? where document_id = ?",
            ["narrative", NARRATIVE_REASON, newest_id] if narrative else ["loaded", None, newest_id],
        )
        return newest_id
    return None


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
    """Upsert the document's row in audit.documents; a retired document keeps its status and reason
    (a person retired it: extracting it again, e.g. by a new extractor version, does not undo that)."""
    previous = con.execute(
        "select status, reason from audit.documents where document_id = ?", [document_id]
    ).fetchone()
    if previous is not None and previous[0] == "retired":
        status, reason = previous
    meta = doc.metadata if doc else None
    con.execute("delete from audit.documents where document_id = ?", [document_id])
    con.execute(
        "insert into audit.documents (document_id, file_name, sha256, status, reason, department_name, "
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


__all__ = ["DDL", "column_keys", "connect", "load_document", "record_status", "seen_with_version"]
