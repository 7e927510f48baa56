"""`budget-etl`: a thin command line over the Dagster definitions and the warehouse.

Exit codes: 0 done, 1 failed (run failed, query error), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster_project.paths import (
    DAGSTER_HOME_ENV,
    INBOX_ENV,
    WAREHOUSE_ENV,
    default_dagster_home,
    default_inbox,
    default_warehouse,
)

if TYPE_CHECKING:
    from dagster import ExecuteInProcessResult

FACT_TABLES = ("marts.fct_expenditure", "marts.fct_basic_expenditure")
DAGSTER_YAML = "telemetry:\n  enabled: false\n"
# Dagster logs go to stderr; INFO keeps step/dbt progress without the DEBUG event firehose.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
NUMBER = (int, float, Decimal)
MAIN_STATUSES = ("loaded", "unchanged", "rejected")
MAX_ERROR_LINES = 8


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


# ---------------------------------------------------------------- run


def prepare_dagster_home() -> Path:
    home = default_dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ[DAGSTER_HOME_ENV] = str(home)
    return home


def document_outcomes(result: ExecuteInProcessResult) -> list[dict[str, Any]]:
    """The per-document table that `raw_documents` attached to its materialization."""
    for mat in result.asset_materializations_for_node("raw_documents"):
        table = mat.metadata.get("outcomes")
        if table is not None:
            return [dict(record.data) for record in table.records]
    return []


def fact_counts(warehouse: Path) -> dict[str, str]:
    import duckdb

    counts: dict[str, str] = {}
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        return {table: f"unavailable ({exc})" for table in FACT_TABLES}
    with con:
        for table in FACT_TABLES:
            try:
                counts[table] = f"{con.execute(f'select count(*) from {table}').fetchone()[0]} rows"
            except duckdb.Error:
                counts[table] = "missing"
    return counts


def print_summary(result: ExecuteInProcessResult, warehouse: Path) -> None:
    outcomes = document_outcomes(result)
    by_status: dict[str, list[dict[str, Any]]] = {}
    for o in outcomes:
        by_status.setdefault(o["status"], []).append(o)
    statuses = list(MAIN_STATUSES) + sorted(set(by_status) - set(MAIN_STATUSES))
    counts = ", ".join(f"{len(by_status.get(s, []))} {s}" for s in statuses)
    print(f"Documents: {len(outcomes)} ({counts})")
    for o in outcomes:
        if o["status"] not in ("loaded", "unchanged"):
            print(f"  {o['status']}: {o['file_name']}: {o.get('reason') or 'no reason given'}")

    print("Facts:")
    for table, count in fact_counts(warehouse).items():
        print(f"  {table}: {count}")

    checks = result.get_asset_check_evaluations()
    failed = [c for c in checks if not c.passed]
    print(f"dbt tests (asset checks): {len(checks) - len(failed)} passed, {len(failed)} failed")
    for c in failed:
        print(f"  failed [{c.severity.value.lower()}]: {c.asset_key.to_user_string()} {c.check_name}")

    print(f"Warehouse: {warehouse}")
    print(f"Run: {result.run_id} {'SUCCESS' if result.success else 'FAILURE'}")
    if not result.success:
        for event in result.get_step_failure_events():
            error = event.step_failure_data.error
            if error is not None and error.cls_name == "DagsterExecutionStepExecutionError" and error.cause:
                error = error.cause  # Dagster's wrapper around the asset's own exception
            lines = error.message.strip().splitlines() if error else ["unknown error"]
            print(f"  step {event.step_key} failed: " + "\n    ".join(lines[:MAX_ERROR_LINES]))


def cmd_run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    inbox = Path(args.inbox).resolve() if args.inbox else default_inbox()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else default_warehouse()
    if not inbox.is_dir():
        parser.error(f"inbox {inbox} is not a directory")
    # The Definitions read these when imported, and dbt's profiles.yml reads BUDGET_WAREHOUSE.
    os.environ[INBOX_ENV] = str(inbox)
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    prepare_dagster_home()

    from dagster import DagsterInstance

    try:
        from dagster_project.definitions import defs
    except Exception as exc:  # e.g. the dbt project does not parse: say so instead of a traceback
        print(f"budget-etl run: cannot load the definitions: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1

    job = defs.resolve_job_def("warehouse_job")
    print(f"Processing {inbox} into {warehouse}", file=sys.stderr)
    # dbt's console output is progress, like Dagster's logs: stderr. stdout is the summary.
    with DagsterInstance.get() as instance, contextlib.redirect_stdout(sys.stderr):
        result = job.execute_in_process(instance=instance, run_config=RUN_CONFIG, raise_on_error=False)
    print_summary(result, warehouse)
    return 0 if result.success else 1


# ---------------------------------------------------------------- read-only commands


def run_query(warehouse: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run SQL on a read-only connection: the warehouse cannot be changed from here."""
    import duckdb

    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse} (run `budget-etl run` first)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall() if columns else []
    return columns, rows


def cmd_query(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import duckdb

    warehouse = Path(args.warehouse).resolve() if args.warehouse else default_warehouse()
    try:
        columns, rows = run_query(warehouse, args.sql)
    except (duckdb.Error, FileNotFoundError) as exc:
        print(f"budget-etl query: {exc}", file=sys.stderr)
        return 1
    if columns:
        print(format_table(columns, rows))
    return 0


STATUS_SQL = """
select file_name, document_id, status, reason, department_name, fiscal_year, doc_kind,
       pages, tables_found, loaded_at
from audit.documents
order by loaded_at, file_name
"""


def cmd_status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import duckdb

    warehouse = Path(args.warehouse).resolve() if args.warehouse else default_warehouse()
    try:
        columns, rows = run_query(warehouse, STATUS_SQL)
    except (duckdb.Error, FileNotFoundError) as exc:
        print(f"budget-etl status: {exc}", file=sys.stderr)
        return 1
    print(format_table(columns, rows))
    return 0


def cmd_not_implemented(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(f"budget-etl {args.command}: not implemented yet", file=sys.stderr)
    return 2


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

    p = sub.add_parser("run", help="one Dagster run over the inbox: extract, load, dbt build")
    p.add_argument("--inbox", metavar="DIR", help=f"folder of PDFs (default: ${INBOX_ENV} or sample_inbox/)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("query", help="run SQL on the warehouse, read-only")
    p.add_argument("sql", metavar="SQL")
    warehouse_flag(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("status", help="what happened to every file (audit.documents)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("findings", help="failed identities (not implemented yet)")
    p.add_argument("document", nargs="?", metavar="DOCUMENT")
    p.set_defaults(func=cmd_not_implemented)

    p = sub.add_parser("accept", help="accept a quarantined document (not implemented yet)")
    p.add_argument("document", metavar="DOCUMENT")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(func=cmd_not_implemented)

    p = sub.add_parser("export", help="export the marts (not implemented yet)")
    p.add_argument("--format", choices=("parquet", "csv"), required=True)
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_not_implemented)

    p = sub.add_parser("docs", help="dbt docs (not implemented yet)")
    p.add_argument("--serve", action="store_true")
    p.set_defaults(func=cmd_not_implemented)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args, parser))


if __name__ == "__main__":
    sys.exit(main())
