"""Dagster's SQLite storages (a DAGSTER_HOME without PostgreSQL) without a disk flush per event.

Dagster keeps its run history in SQLite files in WAL mode and writes every event in a transaction
of its own on a new connection; closing the file's last connection checkpoints the WAL. At SQLite's
default `synchronous=FULL` each of those waits for the disk: ≈ 9 s of a one-minute first run over
17 documents on this VM (~1,000 events; benchmarks/RESULTS.md). With `synchronous=OFF` a crash of
any process loses nothing (the operating system has the data); an operating-system crash or power
cut during a run can damage the run history, never the warehouse (DuckDB's own file). For a run
history that must survive those, set BUDGET_DAGSTER_SQLITE_SYNC=NORMAL or FULL, or keep Dagster's
storage in PostgreSQL (docs/scaling.md).
"""

import os
import sqlite3
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


def _set_sync_level(dbapi_connection: Any, _connection_record: Any) -> None:
    level = sync_level()
    if level is not None and isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA synchronous={level}")


def relax_sqlite_commits() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (and in processes forked
    from it) syncs at `sync_level()`. Idempotent; PostgreSQL connections are left alone."""
    if not event.contains(Engine, "connect", _set_sync_level):
        event.listen(Engine, "connect", _set_sync_level)
