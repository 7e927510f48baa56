"""A full refresh of a big warehouse runs dbt's models one at a time (store/limits.py): dbt's
threads share one DuckDB memory limit, and four heavy full-rebuild queries at once ran out of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.limits import full_refresh_threads, memory_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1GB", 10**9), ("512MiB", 512 * 2**20), ("1.5 GiB", int(1.5 * 2**30)), ("2048", 2048), ("lots", None)],
)
def test_memory_settings_in_bytes(text: str, expected: int | None) -> None:
    assert memory_bytes(text) == expected


def test_one_thread_once_the_file_is_a_quarter_of_the_limit(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    database.write_bytes(b"\0" * 300)
    assert full_refresh_threads(database, "1000") == 1  # 300 bytes > a quarter of 1000
    assert full_refresh_threads(database, "2000") is None
    assert full_refresh_threads(database, "no idea") is None
    assert full_refresh_threads(tmp_path / "missing.duckdb", "1000") is None
