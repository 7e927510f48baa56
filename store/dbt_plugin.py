"""The dbt-duckdb plugin named in dbt_project/profiles.yml: how dbt opens the warehouse.

- The file: the profile's `path` is the file's name only ("budget.duckdb": DuckDB names the catalog,
  and dbt its relations, after its first part), so the profile, and with it dbt's partial-parse
  state, is the same for a warehouse in any folder: dbt re-parses a whole project (≈ 5 s here)
  whenever a value of the profile changes. The plugin opens the file $BUDGET_WAREHOUSE names (a
  relative path against dbt's working folder; by default `../warehouse/budget.duckdb`).
- Its limits: memory, threads and spill folder of store/limits.py:build_settings (the same
  variables and defaults the run hands dbt), given when the database opens.
- Ownership: when $BUDGET_RUN_ID is set (the dbt step sets it), dbt refuses to open the working copy
  unless that run owns it, and exits when the run stops owning it (store/owner_guard.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from store.limits import DUCKDB_MEMORY_ENV, DUCKDB_TEMP_ENV, DUCKDB_THREADS_ENV, build_settings
from store.owner_guard import RUN_ID_ENV, exit_now, watch_owner, workspace_of
from store.paths import WAREHOUSE_ENV

# dbt's working folder is its project folder, beside the repository's warehouse folder.
DEFAULT_WAREHOUSE = "../warehouse/budget.duckdb"


def warehouse_file(environ: dict[str, str] | os._Environ[str]) -> Path:
    return Path(os.path.abspath(environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE))


def duckdb_config(database: Path, environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """DuckDB's settings for the build on `database` (its config when the database opens: DuckDB
    refuses to switch its temp directory once a query has spilled)."""
    settings = build_settings(database, environ)
    return {
        "memory_limit": settings[DUCKDB_MEMORY_ENV],
        "threads": settings[DUCKDB_THREADS_ENV],
        "temp_directory": settings[DUCKDB_TEMP_ENV],
    }


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # Called just before dbt-duckdb opens creds.path with `config`.
        database = warehouse_file(os.environ)
        creds.path = str(database)
        config.update(duckdb_config(database, os.environ))
        run_id = os.environ.get(RUN_ID_ENV)
        workspace = workspace_of(database)
        if not run_id or workspace is None:
            return
        workspace.check_owner(run_id)  # NotOwner: dbt fails without opening the file
        watch_owner(workspace, run_id, exit_now)
