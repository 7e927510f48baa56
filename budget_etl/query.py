"""`budget-etl query` and `budget-etl export`: the analysts' read-only access to the warehouse.

Both read through the sandboxed read-only connection of budget_etl.sandbox, and only for as long as
they read: a run builds the other version of the warehouse and switches to it atomically, so an
open connection keeps reading the version it opened.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from budget_etl.output import FORMATS, render
from budget_etl.sandbox import (
    QueryRefused,
    WarehouseUnavailable,
    friendly_error,
    open_read_only,
    run_read_only,
    sql_string,
)
from store.paths import warehouse_path

EXPORT_FORMATS = ("parquet", "csv")
MARTS_SCHEMA = "marts"


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportedTable:
    table: str
    path: Path
    rows: int
    seconds: float


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_catalog = current_database() order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def export_marts(
    warehouse: Path, out_dir: Path, fmt: str, echo: Callable[[str], None] = print
) -> list[ExportedTable]:
    """COPY every table of `marts` to `out_dir/<table>.<fmt>` (written to a temporary name, then renamed)."""
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    written: list[ExportedTable] = []
    # No user SQL runs here; still, the connection may write into out_dir only.
    with open_read_only(warehouse, writable_dir=out_dir) as con:
        tables = mart_tables(con)
        if not tables:
            raise WarehouseUnavailable(f"{warehouse} has no {MARTS_SCHEMA} tables (run `budget-etl run`)")
        out_dir.mkdir(parents=True, exist_ok=True)
        echo(f"Exporting {len(tables)} {MARTS_SCHEMA} tables from {warehouse} to {out_dir} as {fmt}")
        for table in tables:
            started = time.monotonic()
            path = out_dir / f"{table}.{fmt}"
            partial = path.with_name(path.name + ".partial")
            (rows,) = con.execute(
                f'COPY "{MARTS_SCHEMA}"."{table}" TO {sql_string(str(partial))} ({options})'
            ).fetchone() or (0,)
            os.replace(partial, path)
            item = ExportedTable(f"{MARTS_SCHEMA}.{table}", path, int(rows), time.monotonic() - started)
            written.append(item)
            rows_text = f"{item.rows} row{'' if item.rows == 1 else 's'}"
            echo(f"  {item.table} -> {path.name}: {rows_text}, {size_text(path)}, {item.seconds:.2f} s")
    return written


def size_text(path: Path) -> str:
    size = path.stat().st_size
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} kB"


# ---------------------------------------------------------------- commands


def cmd_query(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        result = run_read_only(warehouse_path(args.warehouse), args.sql)
    except (QueryRefused, WarehouseUnavailable) as exc:
        print(f"budget-etl query: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"budget-etl query: {friendly_error(exc)}", file=sys.stderr)
        return 1
    if result.columns:
        print(render(result.columns, result.rows, args.format))
    return 0


def cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    started = time.monotonic()
    out_dir = Path(args.dir).resolve()
    warehouse = warehouse_path(args.warehouse)

    def echo(line: str) -> None:
        print(line, flush=True)

    try:
        written = export_marts(warehouse, out_dir, args.format, echo)
    except (WarehouseUnavailable, duckdb.Error, OSError) as exc:
        print(f"budget-etl export: {exc}", file=sys.stderr)
        return 1
    rows = sum(item.rows for item in written)
    echo(f"Wrote {len(written)} files ({rows} rows) to {out_dir} in {time.monotonic() - started:.1f} s")
    return 0


def add_query_parser(sub: Any, warehouse_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("query", help="run SQL on the warehouse, read-only")
    p.add_argument("sql", metavar="SQL", help="one or more statements; the last one's rows are printed")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_query)


def add_export_parser(sub: Any, warehouse_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("export", help="write every marts table to DIR (one file per table)")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("dir", metavar="DIR")
    warehouse_flag(p)
    p.set_defaults(func=cmd_export)
