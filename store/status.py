"""Reading documents' statuses: dbt computes them (model `documents`, the view audit.documents, from
audit.document_loads, audit.files, raw.documents, audit.identity_findings and people's decisions in
audit.acceptances and audit.retirements); Python only reads them.

A warehouse dbt has not built yet (a first run before its build) has no audit.documents: there the
status is the load outcome with people's decisions on top (retired, accepted), without the rules
only dbt applies (superseded, quarantined).
"""

from __future__ import annotations

import duckdb

# What audit.documents would say, before dbt built it: the same columns.
FALLBACK_SQL = """
select l.document_id, l.file_name, l.sha256,
    case when r.document_id is not null then 'retired'
        when l.outcome = 'loaded' and a.document_id is not null then 'accepted'
        else l.outcome end as status,
    case when r.document_id is not null then r.reason
        when l.outcome = 'loaded' and a.document_id is not null then a.reason
        else l.reason end as reason,
    l.department_name, l.fiscal_year, l.doc_kind, l.pages, l.tables_found, l.loaded_at,
    l.extractor_version
from audit.document_loads l
left join (
    select document_id, arg_max(reason, retired_at) as reason from audit.retirements group by document_id
) r on r.document_id = l.document_id
left join (
    select document_id, arg_max(reason, accepted_at) as reason, max(accepted_at) as accepted_at
    from audit.acceptances group by document_id
) a on a.document_id = l.document_id and a.accepted_at >= l.loaded_at
"""


def has_status_model(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether dbt has built audit.documents in this warehouse."""
    return bool(
        con.execute(
            "select 1 from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'audit' and table_name = 'documents'"
        ).fetchone()
    )


def documents_relation(con: duckdb.DuckDBPyConnection) -> str:
    """SQL for the documents with their status: audit.documents, or the fallback before dbt built it."""
    return "audit.documents" if has_status_model(con) else f"({FALLBACK_SQL})"


def read_statuses(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None, str]]:
    """document_id -> (status, reason, file_name) of every document version."""
    rows = con.execute(
        f"select document_id, status, reason, file_name from {documents_relation(con)} as d"
    ).fetchall()
    return {doc: (status, reason, name) for doc, status, reason, name in rows}
