"""`budget-etl query` and `budget-etl export`: the analysts' read-only access to the warehouse.

Both open the DuckDB file read-only and only for as long as they read: a run builds a working copy
and swaps it in atomically, so an open connection keeps reading the version it opened.

Read-only means the warehouse and nothing else: the connection (`connect_sandboxed`) can reach no
other file, no network and no extension, and its settings are locked; `check_read_only` refuses,
with a reason, every statement that would write or change a setting before it gets there.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from store.paths import default_warehouse

FORMATS = ("table", "csv", "json")
EXPORT_FORMATS = ("parquet", "csv")
LOCK_WAIT_S = 10.0
MARTS_SCHEMA = "marts"

# What the statement check lets through. SELECT covers WITH, FROM, VALUES, DESCRIBE, SHOW and
# SUMMARIZE; EXPLAIN [ANALYZE] only of those (ANALYZE runs the statement). The SET kind covers USE
# and SET VARIABLE, which only change this session; every other SET / RESET changes a setting, and
# some settings (profiling_output, log_query_path, ...) write files. PRAGMAs: those that only read
# the catalog. Everything else (COPY, EXPORT, ATTACH, INSTALL / LOAD, CALL, ...) is refused.
EXPLAIN_WORDS = frozenset({"explain", "analyze", "analyse", "verbose"})
SESSION_SETS = (("use",), ("set", "variable"), ("reset", "variable"))
CATALOG_PRAGMAS = frozenset(
    {
        "collations",
        "database_list",
        "database_size",
        "functions",
        "metadata_info",
        "platform",
        "show",
        "show_databases",
        "show_tables",
        "show_tables_expanded",
        "storage_info",
        "table_info",
        "user_agent",
        "version",
    }
)
WHY_REFUSED = {
    "SET": "settings cannot be changed here (some, like profiling_output, write files)",
    "PRAGMA": "this PRAGMA changes a setting or the database",
    "LOAD": "extensions are neither installed nor loaded here",
    "ATTACH": "only this warehouse is read, no other database",
    "COPY": "no file is written here",
    "EXPORT": "no file is written here",
    "CALL": "CALL runs procedures, some of which write; call a table function with SELECT * FROM f(...)",
}
# DuckDB settings of every analyst connection: no extension is fetched or loaded behind a query.
NO_EXTENSIONS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
# ... and no file but the warehouse (DuckDB still opens the file itself), nothing changeable after.
SANDBOXED = {**NO_EXTENSIONS, "enable_external_access": False, "lock_configuration": True}


class QueryRefused(Exception):
    """A statement that would change the warehouse (or write files)."""


class WarehouseUnavailable(Exception):
    """No warehouse file, or another process holds it open for writing."""


# ---------------------------------------------------------------- read-only access


def refusal(kind: str, number: int, text: str, why: str | None = None) -> str:
    snippet = " ".join(text.split())[:60]
    message = (
        f"refused {kind} statement #{number} ({snippet!r}): queries are read-only"
        f"{': ' + why if why else ''}. Only reading statements run here (SELECT / WITH / FROM / "
        "DESCRIBE / SHOW / SUMMARIZE, EXPLAIN [ANALYZE] of those, USE, SET VARIABLE, PRAGMA table_info "
        "and the other catalog PRAGMAs); the warehouse is changed by `budget-etl run` and "
        "`budget-etl accept`."
    )
    if kind in ("COPY", "EXPORT"):
        message += " To write the marts to files, use `budget-etl export --format parquet|csv DIR`."
    return message


def statement_kind(statement: duckdb.Statement) -> str:
    try:
        return statement.type.name
    except ValueError:  # a kind the Python client has no name for (e.g. UPDATE EXTENSIONS)
        return "UNKNOWN"


def words(text: str) -> list[tuple[int, str]]:
    """(byte offset, lower-case text) of each token of `text` that is not a comment."""
    raw = text.encode()
    tokens = duckdb.tokenize(text)
    ends = [start for start, _ in tokens[1:]] + [len(raw)]
    return [
        (start, raw[start:end].decode().strip().lower())
        for (start, kind), end in zip(tokens, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]


def explained(text: str) -> duckdb.Statement | None:
    """The statement an EXPLAIN explains, or None if it cannot be cut out of `text`.

    It starts after EXPLAIN [ANALYZE], or after an option list: EXPLAIN (ANALYZE, FORMAT json) ...
    """
    tokens = words(text)
    first = next((i for i, (_, word) in enumerate(tokens) if word not in EXPLAIN_WORDS), len(tokens))
    starts = [start for start, _ in tokens[first : first + 1]]
    if starts and tokens[first][1] == "(":  # "(select 1)" is a statement too, so try both
        close = next((i for i in range(first, len(tokens)) if tokens[i][1] == ")"), len(tokens))
        starts += [start for start, _ in tokens[close + 1 : close + 2]]
    raw = text.encode()
    for start in starts:
        try:
            statements = duckdb.extract_statements(raw[start:].decode())
        except duckdb.Error:
            continue
        if len(statements) == 1:
            return statements[0]
    return None


def why_explain_refused(text: str) -> str | None:
    """None if the explained statement is a read: EXPLAIN ANALYZE runs it."""
    inner = explained(text)
    if inner is None:
        return "the explained statement could not be checked"
    if why_refused(inner) is None:
        return None
    return f"it explains a {statement_kind(inner)} statement, which is not a read (EXPLAIN ANALYZE runs it)"


def why_refused(statement: duckdb.Statement) -> str | None:
    """None for a statement that only reads the warehouse; else why it is refused."""
    kind = statement_kind(statement)
    if kind == "SELECT":
        return None
    if kind == "EXPLAIN":
        return why_explain_refused(statement.query)
    leading = tuple(word for _, word in words(statement.query)[:2])
    if kind == "SET" and any(leading[: len(s)] == s for s in SESSION_SETS):
        return None
    if kind == "PRAGMA" and len(leading) == 2 and leading[1] in CATALOG_PRAGMAS:
        return None
    return WHY_REFUSED.get(kind, "")


def check_read_only(sql: str) -> None:
    """Raise QueryRefused for any statement that is not a read (parse errors propagate as duckdb.Error)."""
    for number, statement in enumerate(duckdb.extract_statements(sql), start=1):
        why = why_refused(statement)
        if why is not None:
            raise QueryRefused(refusal(statement_kind(statement), number, statement.query, why))


def friendly_error(exc: duckdb.Error) -> str:
    """DuckDB's message, with the read-only case explained."""
    text = str(exc)
    first = text.splitlines()[0]
    if "read-only mode" in text or "read only" in text.lower():
        return f"queries are read-only, the statement tried to change the warehouse ({first})"
    if isinstance(exc, duckdb.PermissionException):
        return (
            "queries read the warehouse and nothing else: other files, the network and extensions are "
            f"off ({first}). To query exported files, open them with DuckDB itself."
        )
    if "configuration has been locked" in text:
        return f"queries cannot change settings ({first})"
    return text


def connect_sandboxed(warehouse: Path, writable_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection that reaches no file but the warehouse (and, for export, `writable_dir`)
    and whose settings are locked. DuckDB refuses to open a second connection to the same file with
    other settings in this process, so an unlocked connection is never handed out by mistake."""
    if writable_dir is None:
        return duckdb.connect(str(warehouse), read_only=True, config=SANDBOXED)
    con = duckdb.connect(str(warehouse), read_only=True, config=NO_EXTENSIONS)
    try:
        # allowed_directories can only be set after the start and while external access is on.
        con.execute(f"set allowed_directories = [{sql_string(str(writable_dir) + os.sep)}]")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_read_only(
    warehouse: Path, wait_s: float = LOCK_WAIT_S, writable_dir: Path | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sandboxed read-only connection, closed on exit. Waits up to `wait_s` for a writer's lock."""
    if not warehouse.exists():
        raise WarehouseUnavailable(f"no warehouse at {warehouse} (run `budget-etl run` first)")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = connect_sandboxed(warehouse, writable_dir)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseUnavailable(
                    f"{warehouse} is held open for writing by another process (a DuckDB client?); "
                    f"close it and retry ({str(exc).splitlines()[0]})"
                ) from exc
            time.sleep(0.2)
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_read_only(warehouse: Path, sql: str) -> QueryResult:
    """Check, then run SQL on a sandboxed read-only connection; the result of the last statement."""
    check_read_only(sql)
    with open_read_only(warehouse) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall() if columns else []
    return QueryResult(columns, rows)


# ---------------------------------------------------------------- output formats


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    return str(value)


def to_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([csv_value(v) for v in row] for row in result.rows)
    return buffer.getvalue().rstrip("\n")


def json_value(value: Any) -> str:
    """JSON text of one value; decimals stay exact numbers (4211500.00), never floats."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, datetime | date | clock_time):
        return json.dumps(value.isoformat())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {json_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def to_json(result: QueryResult) -> str:
    """A JSON array with one object per row, one row per line."""
    if not result.rows:
        return "[]"
    keys = [json.dumps(c, ensure_ascii=False) for c in result.columns]
    lines = [
        "{" + ", ".join(f"{k}: {json_value(v)}" for k, v in zip(keys, row, strict=True)) + "}"
        for row in result.rows
    ]
    return "[\n" + ",\n".join(lines) + "\n]"


def render(result: QueryResult, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    from budget_etl.main import format_table  # the CLI's aligned table (CJK-aware)

    return format_table(result.columns, result.rows)


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportedTable:
    table: str
    path: Path
    rows: int
    seconds: float


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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


def warehouse_of(args: argparse.Namespace) -> Path:
    return Path(args.warehouse).resolve() if args.warehouse else default_warehouse()


def cmd_query(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        result = run_read_only(warehouse_of(args), args.sql)
    except (QueryRefused, WarehouseUnavailable) as exc:
        print(f"budget-etl query: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"budget-etl query: {friendly_error(exc)}", file=sys.stderr)
        return 1
    if result.columns:
        print(render(result, args.format))
    return 0


def cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    started = time.monotonic()
    out_dir = Path(args.dir).resolve()
    warehouse = warehouse_of(args)

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
