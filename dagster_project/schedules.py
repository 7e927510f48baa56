"""Schedules. The nightly schedule starts STOPPED: turn it on in the Dagster UI (Automation)
or with `dagster schedule start nightly_warehouse -w workspace.yaml` (needs the daemon running)."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from dagster_project.assets.documents import idle_selection, raw_documents
from dagster_project.jobs import IN_PROCESS_RUN_CONFIG, warehouse_job
from dagster_project.resources import WarehousePaths
from store.publish import Workspace


@schedule(
    name="nightly_warehouse",
    job=warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.STOPPED,
    description=(
        "Every night at 02:00 Beijing time: process the inbox and rebuild the warehouse. When nothing "
        "is new, the run only scans the inbox and records that (a few seconds)."
    ),
)
def nightly_warehouse(context: ScheduleEvaluationContext, paths: WarehousePaths) -> RunRequest | SkipReason:
    running = Workspace(paths.warehouse_path).busy()
    if running is not None:  # it processes the inbox as it is now; a second run would be refused
        return SkipReason(f"run {running} is writing the warehouse")
    tags = {"budget/trigger": "nightly_warehouse"}
    if idle_selection(paths.inbox_path, paths.warehouse_path) is None:
        return RunRequest(tags=tags)
    # Nothing new: a run that only scans (and records that), in process, in seconds.
    return RunRequest(asset_selection=[raw_documents.key], run_config=IN_PROCESS_RUN_CONFIG, tags=tags)
