"""The warehouse file's DuckDB storage format: one that the analysts' clients can open.

DuckDB 2.0 writes by default a format that DuckDB 1.x (the CLI, Python, the JDBC driver DBeaver
ships) refuses: "Trying to read a database file with version number …". A file *created* with
`storage_compatibility_version` keeps that format for good: later writes and checkpoints by
DuckDB 2.0 (our loads, dbt, publish) never upgrade it, whatever their own setting. So every place
that may create the warehouse passes `CONFIG` (store.load.connect, dbt's profiles.yml
`config_options`), and a run converts, once, a published file in a newer format
(`copy_warehouse`, the working copy of Workspace.begin).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# DuckDB 1.4 is the LTS line: its clients (and 1.5's) read this format; 1.3 and older do not.
STORAGE_VERSION = "v1.4.0"
OLDEST_CLIENT = "1.4.0"
CONFIG = {"storage_compatibility_version": STORAGE_VERSION}


def _version(text: str) -> tuple[int, ...]:
    """'v1.4.0+' (DuckDB's tag: this version or later can read it) -> (1, 4, 0)."""
    return tuple(int(part) for part in text.strip("v+").split("."))


def storage_version(path: Path) -> str:
    """The storage version of a DuckDB file, as DuckDB tags it (e.g. 'v1.4.0+')."""
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    return str(row[0]) if row and row[0] else "v0.0.0"


def readable_by_clients(path: Path) -> bool:
    """Whether DuckDB clients from OLDEST_CLIENT on can open the file."""
    return _version(storage_version(path)) <= _version(STORAGE_VERSION)


def copy_warehouse(source: Path, target: Path) -> bool:
    """Copy the DuckDB file `source` to `target` (absent), in STORAGE_VERSION's format.

    A byte copy when the clients can already read it; else every schema, table, view and macro is
    copied into a new file in that format (a warehouse published before the format was pinned).
    Returns whether it converted.
    """
    if readable_by_clients(source):
        shutil.copyfile(source, target)
        return False
    with duckdb.connect(":memory:") as con:
        con.execute("attach ? as source_db (read_only)", [str(source)])
        con.execute(f"attach ? as target_db (storage_version '{STORAGE_VERSION}')", [str(target)])
        con.execute("copy from database source_db to target_db")
    return True
