"""Dagster's SQLite storages commit without waiting for the disk (dagster_project/sqlite_commits.py),
at the level BUDGET_DAGSTER_SQLITE_SYNC asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import dagster_project  # noqa: F401  (importing the package installs the hook, as every process does)
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
