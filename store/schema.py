"""Every table the Python side writes: raw.* (extracted rows) and audit.* (load-time facts and people's
decisions), created by `create_schema`, the one function loaders and `accept` / `retire` call before
they write and before dbt runs.

audit.document_loads holds what the load step found (outcome `loaded`, `narrative` or `rejected`);
audit.acceptances and audit.retirements hold what people decided. A document's status is computed
from them by dbt (model `documents`, the view audit.documents; docs/raw_contract.md); no Python code
writes a status.
"""

from __future__ import annotations

import functools

import duckdb

RAW_DDL = """
create schema if not exists raw;
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
"""

AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.document_loads (
    document_id varchar primary key, file_name varchar, sha256 varchar, outcome varchar, reason varchar,
    department_name varchar, fiscal_year integer, doc_kind varchar, pages integer, tables_found integer,
    loaded_at timestamp, extractor_version varchar
);
create table if not exists audit.files (
    file_name varchar, sha256 varchar, document_id varchar, first_seen_at timestamp, last_seen_at timestamp,
    primary key (file_name, sha256)
);
create table if not exists audit.acceptances (
    document_id varchar not null, reason varchar, accepted_by varchar, accepted_at timestamp
);
create table if not exists audit.retirements (
    document_id varchar not null, reason varchar, retired_by varchar, retired_at timestamp
);
create table if not exists audit.runs (
    run_id varchar primary key, started_at timestamp, finished_at timestamp, inbox varchar,
    seen integer, loaded integer, unchanged integer, superseded integer, duplicate integer,
    quarantined integer, rejected integer, accepted integer, skipped integer, findings integer,
    elapsed_s double, state_hash varchar
);
"""

DDL = RAW_DDL + AUDIT_DDL

RAW_TABLES = (
    "documents",
    "tables",
    "cells",
    "line_items",
    "performance_indicators",
    "narrative_mentions",
    "extraction_issues",
)

# The audit tables the Python side writes (dbt builds the others: identity_findings, documents).
AUDIT_TABLES = ("document_loads", "files", "acceptances", "retirements", "runs")

# audit.document_loads.outcome: what the load step found (a document's status is dbt's).
LOAD_OUTCOMES = ("loaded", "narrative", "rejected")

NARRATIVE_REASON = (
    "the narrative part of a publication (no tables of its own): its figures are checked against the "
    "tables of the same department, year, kind and scope"
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or bring up to date) every raw.* and audit.* table; idempotent. The loaders call it
    before they write, so every table dbt reads as a source exists before dbt runs.

    Migrations of older warehouses: raw tables whose columns changed are re-created (their documents
    are extracted again); an audit.documents table written by Python (it held statuses) becomes
    audit.document_loads.
    """
    _drop_outdated_raw_tables(con)
    con.execute(RAW_DDL)
    create_audit_tables(con)


def create_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The audit.* part of `create_schema`, for writers outside a run (`accept`, `retire`, the run
    record): they leave raw.* alone."""
    _migrate_audit_documents(con)
    con.execute(AUDIT_DDL)


def _drop_outdated_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """raw.* is re-derivable from the PDFs: tables whose columns changed are dropped and re-created.

    The other raw tables are then emptied too, so that every document is extracted again into
    the new layout on the next run (and no document keeps rows without its raw.documents row:
    store/load.py relies on it).
    """
    expected = _expected_columns()
    outdated = [name for name in RAW_TABLES if _columns(con, "raw", name) not in ([], expected[name])]
    for name in outdated:
        con.execute(f"drop table raw.{name} cascade")
    if outdated:
        for name in RAW_TABLES:
            if name not in outdated and _columns(con, "raw", name):
                con.execute(f"delete from raw.{name}")


@functools.cache
def _expected_columns() -> dict[str, list[str]]:
    """The raw tables' columns as the DDL declares them (read once from a scratch database)."""
    scratch = duckdb.connect(":memory:")
    try:
        scratch.execute(RAW_DDL)
        return {name: _columns(scratch, "raw", name) for name in RAW_TABLES}
    finally:
        scratch.close()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = current_database() and table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _is_base_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select 1 from information_schema.tables where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? and table_type = 'BASE TABLE'",
            [schema, table],
        ).fetchone()
    )


def _migrate_audit_documents(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse from before statuses were computed by dbt: its audit.documents table (status written
    by Python) becomes audit.document_loads (the load outcome; the status is dbt's view now).

    The outcome is what the load found: rejected (no tables_found: nothing was loaded), narrative (no
    tables of its own) or loaded; decisions are already in audit.acceptances / audit.retirements.
    """
    if not _is_base_table(con, "audit", "documents"):
        return
    if "extractor_version" not in _columns(con, "audit", "documents"):  # older still
        con.execute("alter table audit.documents add column extractor_version varchar")
    con.execute("begin transaction")
    try:
        if not _columns(con, "audit", "document_loads"):
            con.execute(AUDIT_DDL)
            con.execute(
                """
                insert into audit.document_loads
                select document_id, file_name, sha256, outcome,
                    case outcome when 'loaded' then null when 'narrative' then ? else reason end,
                    department_name, fiscal_year, doc_kind, pages, tables_found, loaded_at,
                    extractor_version
                from (
                    select *,
                        case when status in ('rejected', 'narrative') then status
                            when tables_found is null then 'rejected'
                            when tables_found = 0 then 'narrative'
                            else 'loaded' end as outcome,
                        row_number() over (partition by document_id order by loaded_at desc nulls last)
                            as recency
                    from audit.documents
                )
                where recency = 1
                """,
                [NARRATIVE_REASON],
            )
        con.execute("drop table audit.documents")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
