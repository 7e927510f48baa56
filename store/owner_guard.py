"""A process that writes a run's working copy stops as soon as that run no longer owns it.

The run's own process holds the owner lock (store/publish.py); when it dies (kill -9 included), the
processes it started live on: the forkserver, a step process, and the `dbt build` that step began.
Such a dbt, still importing when its run died, would open the working copy seconds later, and by
then the next run may have made a new standby under the same name: its lock would block that run's
own dbt build ("Could not set lock on file … budget.duckdb.a"). So dbt checks, when it opens the
database and every POLL_SECONDS after, that its run still holds the lock, and exits when it does not
(store.dbt_plugin.py). The next run claims the copy only after the old run's process is gone,
and needs seconds more before it writes: a fifth of a second of polling is well inside that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from store.publish import BUILDING_SUFFIX, NotOwner, Workspace

# The run a process works for: set by the dbt step for its dbt process (dagster_project/assets/dbt.py).
RUN_ID_ENV = "BUDGET_RUN_ID"
POLL_SECONDS = 0.2
# dbt's exit status when its run lost the working copy (dbt's own are 0, 1 and 2).
LOST_EXIT_STATUS = 75


def workspace_of(building: Path) -> Workspace | None:
    """The warehouse whose working copy `building` is (None: not a run's working copy)."""
    if not building.name.endswith(BUILDING_SUFFIX):
        return None
    return Workspace(building.with_name(building.name.removesuffix(BUILDING_SUFFIX)))


def watch_owner(
    workspace: Workspace, run_id: str, on_lost: Callable[[NotOwner], None], poll_seconds: float = POLL_SECONDS
) -> threading.Event:
    """Call `on_lost` (from a daemon thread) once `run_id` no longer owns `workspace`'s working
    copy; setting the returned event stops the watch."""
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(poll_seconds):
            try:
                workspace.check_owner(run_id)
            except NotOwner as lost:
                on_lost(lost)
                return

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()
    return stop


def exit_now(lost: NotOwner) -> None:
    """Leave at once, writing nothing more: the copy is another run's now (or nobody's)."""
    os.write(2, f"stopping: {lost}\n".encode())
    os._exit(LOST_EXIT_STATUS)
