"""`budget-etl`: a thin command line over the Dagster definitions and the warehouse.

Exit codes: 0 done, 1 failed (run failed, query error), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from budget_etl import docs_site, explain, query, review
from budget_etl import run as cli_run
from budget_etl import sandbox as analyst  # the analysts' read-only access: status reads through it
from budget_etl.output import format_table
from extract.names import shown
from store.paths import WAREHOUSE_ENV, warehouse_path
from store.status import FALLBACK_SQL

# ---------------------------------------------------------------- read-only commands


STATUS_SQL = """
select d.file_name, d.document_id, d.status, d.reason, d.department_name, d.fiscal_year, d.doc_kind,
       d.pages, d.tables_found, d.loaded_at,
       (select string_agg(f.file_name, ', ' order by f.file_name) from audit.files f
        where f.document_id = d.document_id and f.file_name <> d.file_name) as duplicates
from {documents} d
order by d.loaded_at, d.file_name
"""
STATUS_COUNTS_SQL = """
select status, count(*) as documents from {documents} d group by status
union all
select 'duplicate', count(*) from audit.files f
where exists (select 1 from audit.files o where o.document_id = f.document_id
              and (o.first_seen_at, o.file_name) < (f.first_seen_at, f.file_name))
order by 1
"""


def _status_rows(warehouse: Path, documents: str) -> tuple[analyst.QueryResult, list[tuple]]:
    return (
        analyst.run_read_only(warehouse, STATUS_SQL.format(documents=documents)),
        analyst.run_read_only(warehouse, STATUS_COUNTS_SQL.format(documents=documents)).rows,
    )


def cmd_status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Every document version with its status; `duplicates` lists other file names with the same bytes."""
    import duckdb

    warehouse = warehouse_path(args.warehouse)
    try:
        try:  # the statuses dbt computed (audit.documents); before its first build, the load outcomes
            documents, counts = _status_rows(warehouse, "audit.documents")
        except duckdb.CatalogException:
            documents, counts = _status_rows(warehouse, f"({FALLBACK_SQL})")
    except analyst.WarehouseUnavailable as exc:
        print(f"budget-etl status: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"budget-etl status: {analyst.friendly_error(exc)}", file=sys.stderr)
        return 1
    # File names (also inside reasons and duplicates) are whatever the inbox held: shown escaped.
    rows = [[shown(v) if isinstance(v, str) else v for v in row] for row in documents.rows]
    print(format_table(documents.columns, rows))
    print("By status: " + ", ".join(f"{n} {status}" for status, n in counts if n))
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budget-etl", description="Budget-disclosure warehouse: run the pipeline, inspect the results."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def warehouse_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--warehouse",
            metavar="FILE",
            help=f"DuckDB file (default: ${WAREHOUSE_ENV} or warehouse/budget.duckdb)",
        )

    cli_run.add_run_parser(sub, warehouse_flag)

    query.add_query_parser(sub, warehouse_flag)

    p = sub.add_parser("status", help="what happened to every file (audit.documents)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_status)

    review.add_review_parsers(sub, warehouse_flag)

    query.add_export_parser(sub, warehouse_flag)

    docs_site.add_docs_parser(sub, warehouse_flag)

    explain.add_explain_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args, parser))


if __name__ == "__main__":
    sys.exit(main())
