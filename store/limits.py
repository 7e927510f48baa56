"""Limits from the environment: extraction (time, memory, pages; the `budget-etl run` flags set these)
and the dbt build's DuckDB (memory, threads, where it spills), so a build of any size stays within
the run's memory by spilling to disk."""

from __future__ import annotations

import os
import re
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


_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS.update({"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40})


def memory_bytes(text: str) -> int | None:
    """A DuckDB memory setting ('1GB', '512MiB', …) in bytes; None when it does not parse."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if match is None or match.group(2).lower() not in _UNITS:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


# A full refresh runs dbt's models one at a time once the file is this share of DuckDB's memory limit.
FULL_REFRESH_SERIAL_SHARE = 0.25


def full_refresh_threads(database: Path, memory_limit: str) -> int | None:
    """dbt threads for a full refresh of `database`: 1 when the file is over a quarter of DuckDB's
    memory limit (the intermediate tables of a full build are several times the raw rows), else
    None (the profile's 4). dbt's threads share the one DuckDB instance and its limit: at 100,000
    documents (0.7 GB of raw rows) four heavy queries at once ran out of memory with 1GB (an
    operator that cannot spill far enough); one at a time they spill and pass. Incremental builds
    process a few documents and keep the profile's threads."""
    limit = memory_bytes(memory_limit)
    try:
        size = database.stat().st_size
    except OSError:
        return None
    return 1 if limit is not None and size > limit * FULL_REFRESH_SERIAL_SHARE else None
