"""`budget-etl`: a thin command line over the Dagster definitions and the warehouse.

Exit codes: 0 done, 1 failed (run failed, query error), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from budget_etl import docs_site, explain
from budget_etl import query as analyst
from budget_etl import run as cli_run
from extract.names import shown
from store import review
from store.paths import WAREHOUSE_ENV, default_warehouse

NUMBER = (int, float, Decimal)


# ---------------------------------------------------------------- text tables


def display_width(text: str) -> int:
    """Terminal columns: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table; numbers right-aligned, NULL for None."""
    cells = [["NULL" if v is None else str(v) for v in row] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        any(r[i] is not None for r in rows)
        and all(isinstance(r[i], NUMBER) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str], align: Sequence[bool]) -> str:
        parts = []
        for value, width, right in zip(values, widths, align, strict=True):
            pad = " " * (width - display_width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    out = [line(columns, numeric), "  ".join("-" * w for w in widths)]
    out += [line(r, numeric) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


# ---------------------------------------------------------------- read-only commands


STATUS_SQL = """
select d.file_name, d.document_id, d.status, d.reason, d.department_name, d.fiscal_year, d.doc_kind,
       d.pages, d.tables_found, d.loaded_at,
       (select string_agg(f.file_name, ', ' order by f.file_name) from audit.files f
        where f.document_id = d.document_id and f.file_name <> d.file_name) as duplicates
from audit.documents d
order by d.loaded_at, d.file_name
"""
STATUS_COUNTS_SQL = """
select status, count(*) as documents from audit.documents group by status
union all
select 'duplicate', count(*) from audit.files f
where exists (select 1 from audit.files o where o.document_id = f.document_id
              and (o.first_seen_at, o.file_name) < (f.first_seen_at, f.file_name))
order by 1
"""


def cmd_status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Every document version with its status; `duplicates` lists other file names with the same bytes."""
    import duckdb

    warehouse = Path(args.warehouse).resolve() if args.warehouse else default_warehouse()
    try:
        documents = analyst.run_read_only(warehouse, STATUS_SQL)
        counts = analyst.run_read_only(warehouse, STATUS_COUNTS_SQL).rows
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

    analyst.add_query_parser(sub, warehouse_flag)

    p = sub.add_parser("status", help="what happened to every file (audit.documents)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_status)

    review.add_review_parsers(sub, warehouse_flag)

    analyst.add_export_parser(sub, warehouse_flag)

    docs_site.add_docs_parser(sub, warehouse_flag)

    explain.add_explain_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args, parser))


if __name__ == "__main__":
    sys.exit(main())
