"""Limits from the environment: extraction (time, memory, pages; the `budget-etl run` flags set these)
and the dbt build's DuckDB (memory, threads, where it spills), so a build of any size stays within
the run's memory by spilling to disk."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from extract.isolation import Limits

MAX_PAGES_ENV = "BUDGET_MAX_PAGES"
TIMEOUT_ENV = "BUDGET_TIMEOUT_S"
MEMORY_ENV = "BUDGET_MEMORY_MB"


def _positive(environ: Mapping[str, str], name: str, kind: type[int] | type[float], default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a {'whole ' if kind is int else ''}number") from None
    if value <= 0:
        raise ValueError(f"{name}={text!r} must be positive")
    return value


def limits_from_env(environ: Mapping[str, str] | None = None) -> Limits:
    """Limits with BUDGET_MAX_PAGES / BUDGET_TIMEOUT_S / BUDGET_MEMORY_MB applied over the defaults."""
    env = os.environ if environ is None else environ
    default = Limits()
    return Limits(
        timeout_s=float(_positive(env, TIMEOUT_ENV, float, default.timeout_s)),
        memory_mb=int(_positive(env, MEMORY_ENV, int, default.memory_mb)),
        max_pages=int(_positive(env, MAX_PAGES_ENV, int, default.max_pages)),
    )


# The dbt build's DuckDB settings (profiles.yml reads these variables; its defaults are these).
DUCKDB_MEMORY_ENV = "BUDGET_DUCKDB_MEMORY"
DUCKDB_THREADS_ENV = "BUDGET_DUCKDB_THREADS"
DUCKDB_TEMP_ENV = "BUDGET_DUCKDB_TEMP"
# With the rest of a run (Dagster, dbt's Python, the extraction children), 1 GB for DuckDB keeps
# the whole process tree under the 2 GiB target; beyond it DuckDB spills to the temp directory.
DEFAULT_DUCKDB_MEMORY = "1GB"
DEFAULT_DUCKDB_THREADS = 2


def build_settings(database: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a dbt build on `database`: memory limit, threads and temp directory, each
    from its variable when set, else the default (threads: 2; temp: `<database>.tmp`, DuckDB's own
    default place, beside the file, never outside the warehouse folder)."""
    env = os.environ if environ is None else environ
    threads = int(_positive(env, DUCKDB_THREADS_ENV, int, DEFAULT_DUCKDB_THREADS))
    return {
        DUCKDB_MEMORY_ENV: env.get(DUCKDB_MEMORY_ENV, "").strip() or DEFAULT_DUCKDB_MEMORY,
        DUCKDB_THREADS_ENV: str(threads),
        DUCKDB_TEMP_ENV: env.get(DUCKDB_TEMP_ENV, "").strip() or f"{database}.tmp",
    }
