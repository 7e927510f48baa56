"""The analysts' read-only access to the warehouse: a sandboxed connection and a statement check.

Read-only means the warehouse and nothing else: the connection (`connect_sandboxed`) can reach no
other file, no network and no extension, and its settings are locked; `check_read_only` refuses,
with a reason, every statement that would write or change a setting before it gets there.

The file is opened read-only and only for as long as a command reads: a run builds a working copy
and swaps it in atomically, so an open connection keeps reading the version it opened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

LOCK_WAIT_S = 10.0

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


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
