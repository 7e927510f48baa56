"""Fingerprints that tell an idle run it may skip everything.

The warehouse's state = the audit statuses and reasons, the acceptances and retirements, the
extractor version and the dbt project's files. A completed run records the fingerprint of the
state it left in `audit.runs`; when the inbox brings nothing new and the state still has that
fingerprint, the next run has nothing to extract and nothing to rebuild.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

from extract import EXTRACTOR_VERSION
from store.paths import DBT_PROJECT_DIR, dbt_sources
from store.status import documents_relation


def files_fingerprint(root: Path, paths: Iterable[Path]) -> str:
    """sha256 over the relative names and contents of the files among `paths`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def dbt_project_fingerprint() -> str:
    """The dbt project's files (once per process): a changed model means the marts must be rebuilt."""
    return files_fingerprint(DBT_PROJECT_DIR, dbt_sources(DBT_PROJECT_DIR))


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []


def state_fingerprint(con: duckdb.DuckDBPyConnection, code_fingerprint: str) -> str:
    digest = hashlib.sha256(f"{EXTRACTOR_VERSION}\0{code_fingerprint}\0".encode())
    relation = documents_relation(con)  # dbt's audit.documents, or its fallback before a build
    documents = _rows(
        con, f"select document_id, status, coalesce(reason, '') from {relation} as d order by all"
    )
    acceptances = _rows(con, "select * from audit.acceptances order by all")
    retirements = _rows(con, "select * from audit.retirements order by all")
    digest.update(repr(documents).encode() + b"\0" + repr(acceptances).encode())
    if retirements:  # only then: a warehouse built before `retire` existed keeps its fingerprint
        digest.update(b"\0" + repr(retirements).encode())
    return digest.hexdigest()


def last_built_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = _rows(con, "select state_hash from audit.runs order by finished_at desc limit 1")
    return rows[0][0] if rows else None


# `budget-etl run --full-refresh` sets it for the run's processes: the dbt step rebuilds everything.
FULL_REFRESH_ENV = "BUDGET_FULL_REFRESH"
# Set for the dbt build's process: the fingerprint the build records beside the documents' build
# keys (intermediate.int_built_document_keys.code_fingerprint), and, for an incremental build, the
# switch that scopes the generic data tests to the build's changed documents
# (dbt_project/macros/test_scope.sql). Environment variables rather than dbt `--vars`: dbt re-parses
# the whole project whenever its command-line vars differ from the last parse's (≈3 s a run), and
# the models read these only while executing, so no parse depends on them.
CODE_FINGERPRINT_ENV = "BUDGET_CODE_FINGERPRINT"
TEST_SCOPE_ENV = "BUDGET_TEST_CHANGED_ONLY"


def full_refresh_reason(warehouse: Path, code_fingerprint: str) -> str | None:
    """Why the next dbt build must be `--full-refresh` rather than incremental (None: it may be
    incremental): asked for ($BUDGET_FULL_REFRESH), no complete incremental build recorded in
    `warehouse`, or the dbt project's files changed since it (a changed model, macro or seed can
    change the rows of documents that did not change: they are rebuilt, all of them)."""
    if os.environ.get(FULL_REFRESH_ENV, "") not in ("", "0"):
        return "asked for (--full-refresh)"
    if not warehouse.exists():
        return "no warehouse yet"
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(
                "select distinct code_fingerprint from intermediate.int_built_document_keys"
            ).fetchall()
    except duckdb.Error:
        return "no incremental build recorded"
    if rows and [r[0] for r in rows] != [code_fingerprint]:
        return "the dbt project changed since the last build"
    return None
