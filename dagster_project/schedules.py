"""Schedules. The nightly schedule starts STOPPED: turn it on in the Dagster UI (Automation)
or with `dagster schedule start nightly_warehouse -w workspace.yaml` (needs the daemon running)."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from dagster_project.jobs import warehouse_job

nightly_warehouse = ScheduleDefinition(
    name="nightly_warehouse",
    job=warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Every night at 02:00 Beijing time: process the inbox and rebuild the warehouse.",
)
