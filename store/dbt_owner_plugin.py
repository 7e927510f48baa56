"""A dbt-duckdb plugin (dbt_project/profiles.yml) that keeps a run's dbt build from outliving its run.

When $BUDGET_RUN_ID is set (the dbt step sets it), dbt refuses to open the working copy unless that
run owns it, and exits when the run stops owning it (store/owner_guard.py). Without the variable (a
dbt command by hand) it does nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from store.owner_guard import RUN_ID_ENV, exit_now, watch_owner, workspace_of


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # Called just before dbt-duckdb opens the database: check first, then keep watching.
        run_id = os.environ.get(RUN_ID_ENV)
        workspace = workspace_of(Path(os.path.abspath(creds.path)))
        if not run_id or workspace is None:
            return
        workspace.check_owner(run_id)  # NotOwner: dbt fails without opening the file
        watch_owner(workspace, run_id, exit_now)
