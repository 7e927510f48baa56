"""Dagster's SQLite storages commit without waiting for the disk (dagster_project/sqlite_commits.py),
at the level BUDGET_DAGSTER_SQLITE_SYNC asks for."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import dagster_project  # noqa: F401  (importing the package installs the hook, as every process does)
from dagster_project import sqlite_commits
from dagster_project.sqlite_commits import SYNC_ENV

# PRAGMA synchronous reads back as a number.
LEVELS = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}


def _synchronous(path: Path) -> int:
    # As Dagster's SQLite storages connect: a new engine, no pool.
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text("PRAGMA synchronous")).scalar_one()
    finally:
        engine.dispose()


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SYNC_ENV, raising=False)
    assert _synchronous(tmp_path / "runs.db") == LEVELS["OFF"]


@pytest.mark.parametrize("level", ["normal", "FULL"])
def test_the_variable_sets_the_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, level: str) -> None:
    monkeypatch.setenv(SYNC_ENV, level)
    assert _synchronous(tmp_path / "runs.db") == LEVELS[level.upper()]


def test_an_unknown_value_leaves_sqlite_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SYNC_ENV, "fast; DROP TABLE runs")
    assert _synchronous(tmp_path / "runs.db") == LEVELS["FULL"]


def _write_wal(path: Path) -> None:
    """An event as Dagster writes one: a new connection (no pool) to a WAL-mode file, a commit, a close."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("PRAGMA journal_mode=WAL"))
            connection.execute(text("create table if not exists events (id integer)"))
            connection.execute(text("insert into events values (1)"))
    finally:
        engine.dispose()


def test_a_connection_per_event_is_never_the_files_last(tmp_path: Path) -> None:
    """The process keeps one idle connection per file: closing Dagster's connection does not
    checkpoint and delete the WAL (which the next connection would have to rebuild its index from)."""
    path = tmp_path / "run.db"
    _write_wal(path)
    _write_wal(path)
    assert Path(f"{path}-wal").exists()
    assert str(path) in sqlite_commits._kept
    # Another process reads every committed row meanwhile.
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as reader:
        assert reader.execute("select count(*) from events").fetchone() == (2,)


def test_the_kept_connections_are_bounded(tmp_path: Path) -> None:
    for i in range(sqlite_commits.KEPT_FILES + 3):
        _write_wal(tmp_path / f"run{i}.db")
    assert len(sqlite_commits._kept) == sqlite_commits.KEPT_FILES
    assert str(tmp_path / f"run{sqlite_commits.KEPT_FILES + 2}.db") in sqlite_commits._kept
    assert str(tmp_path / "run0.db") not in sqlite_commits._kept
