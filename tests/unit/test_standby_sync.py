"""The standby's audit tables are made equal to the published ones by writing only the rows that
differ (store/standby.py `_sync_rows`): NULLs compare equal, and repeated rows still end up equal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from store.standby import _PUBLISHED, _sync_rows

DDL = "create schema audit; create table audit.runs (run_id varchar, note varchar, n integer)"


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> Counter:
    return Counter(con.execute(f"select * from {table}").fetchall())


def _sync(tmp_path: Path, ours: list[tuple], theirs: list[tuple]) -> tuple[Counter, Counter, int]:
    published = tmp_path / "published.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute(DDL)
        if theirs:
            con.executemany("insert into audit.runs values (?, ?, ?)", theirs)
    with duckdb.connect(str(tmp_path / "standby.duckdb")) as con:
        con.execute(DDL)
        if ours:
            con.executemany("insert into audit.runs values (?, ?, ?)", ours)
        kept = con.execute("select rowid from audit.runs where run_id = 'same'").fetchall()
        con.execute(f"attach '{published}' as {_PUBLISHED} (read_only)")
        _sync_rows(con, "standby", "audit.runs")
        unchanged = con.execute("select rowid from audit.runs where run_id = 'same'").fetchall()
        return _rows(con, "audit.runs"), _rows(con, f"{_PUBLISHED}.audit.runs"), int(kept == unchanged)


def test_only_the_differing_rows_are_written(tmp_path: Path) -> None:
    ours = [("same", None, 1), ("gone", "x", 2), ("changed", None, 3)]
    theirs = [("same", None, 1), ("changed", None, 4), ("new", "y", None)]
    standby, published, kept_in_place = _sync(tmp_path, ours, theirs)
    assert standby == published
    assert kept_in_place  # the equal row (NULL included) was not deleted and copied again


def test_repeated_rows_end_up_equal(tmp_path: Path) -> None:
    standby, published, _ = _sync(tmp_path, [("a", None, 1)], [("a", None, 1), ("a", None, 1), ("b", "z", 2)])
    assert standby == published
