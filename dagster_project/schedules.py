"""Schedules. The nightly schedule starts STOPPED: turn it on in the Dagster UI (Automation)
or with `dagster schedule start nightly_warehouse -w workspace.yaml` (needs the daemon running)."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from dagster_project.assets.documents import idle_selection
from dagster_project.jobs import warehouse_job
from dagster_project.resources import WarehousePaths


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
def nightly_warehouse(context: ScheduleEvaluationContext, paths: WarehousePaths) -> RunRequest:
    selection = idle_selection(paths.inbox_path, paths.warehouse_path)
    return RunRequest(asset_selection=selection, tags={"budget/trigger": "nightly_warehouse"})
