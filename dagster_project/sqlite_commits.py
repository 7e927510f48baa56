"""Dagster's SQLite storages (a DAGSTER_HOME without PostgreSQL) without a disk flush per event.

Dagster keeps its run history in SQLite files in WAL mode and writes every event in a transaction
of its own on a new connection; closing the file's last connection checkpoints the WAL. At SQLite's
default `synchronous=FULL` each of those waits for the disk: ≈ 9 s of a one-minute first run over
17 documents on this VM (~1,000 events; benchmarks/RESULTS.md). With `synchronous=OFF` a crash of
any process loses nothing (the operating system has the data); an operating-system crash or power
cut during a run can damage the run history, never the warehouse (DuckDB's own file). For a run
history that must survive those, set BUDGET_DAGSTER_SQLITE_SYNC=NORMAL or FULL, or keep Dagster's
storage in PostgreSQL (docs/scaling.md).

Each process also keeps one idle connection to every SQLite file it writes (`_keep_open`), so that a
connection closing is never the file's last: the last one checkpoints the WAL and deletes it, and
the next to open rebuilds the WAL index (a first run over 17 documents: its Dagster run created
≈ 1 s sooner, its dbt step ≈ 1 s shorter; benchmarks/RESULTS.md).
"""

import os
import sqlite3
from collections import OrderedDict
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SYNC_ENV = "BUDGET_DAGSTER_SQLITE_SYNC"
DEFAULT_SYNC = "OFF"
SYNC_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


def sync_level() -> str | None:
    """The `PRAGMA synchronous` level asked for; None (SQLite's default) for an unknown value."""
    level = os.environ.get(SYNC_ENV, DEFAULT_SYNC).strip().upper()
    return level if level in SYNC_LEVELS else None


# Files of WAL-mode databases this process keeps one idle connection to: path -> connection.
_kept: OrderedDict[str, sqlite3.Connection] = OrderedDict()
_kept_by_pid = 0
KEPT_FILES = 8


def _keep_open(dbapi_connection: sqlite3.Connection) -> None:
    """Hold one idle connection to the database `dbapi_connection` opened, so that Dagster's
    connections, one per event, are never its last: the last connection to close checkpoints the WAL
    and deletes it, and the next one to open rebuilds the WAL index. Idle, it holds no lock that
    blocks a writer or a checkpoint. At most KEPT_FILES files (a long-lived process sees many runs'
    event logs), the least recently opened dropped first."""
    global _kept_by_pid
    if _kept_by_pid != os.getpid():  # forked: the parent's connections are the parent's
        _kept.clear()
        _kept_by_pid = os.getpid()
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    path = next((row[2] for row in rows if row[1] == "main"), "")
    if not path:  # in memory
        return
    keeper = _kept.get(path)
    if keeper is None:
        keeper = _kept[path] = sqlite3.connect(path, check_same_thread=False)
        while len(_kept) > KEPT_FILES:
            _kept.popitem(last=False)[1].close()
    _kept.move_to_end(path)
    # A read maps the WAL index: from then on the keeper counts as a connection of the WAL file. Read
    # again each time, since the file may have switched to WAL after the keeper opened (a new file).
    keeper.execute("PRAGMA schema_version").fetchall()


def _on_connect(dbapi_connection: Any, _connection_record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    level = sync_level()
    if level is not None:
        dbapi_connection.execute(f"PRAGMA synchronous={level}")
    _keep_open(dbapi_connection)


def relax_sqlite_commits() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (and in processes forked
    from it) syncs at `sync_level()` and is never its file's last (`_keep_open`). Idempotent;
    PostgreSQL connections are left alone."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
