"""The inbox sensor: a run when a PDF appears or changes (by sha256). Starts STOPPED, like the
schedule: turn it on in the Dagster UI (Automation) or `dagster sensor start inbox_sensor`."""

import hashlib
import json

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from dagster_project.jobs import warehouse_job
from dagster_project.resources import WarehousePaths
from extract.names import shown
from store.plan import InboxFile, hash_inbox
from store.publish import Workspace


def read_cursor(cursor: str | None) -> dict[str, InboxFile]:
    """The cursor: every inbox file's name → [size, mtime_ns, sha256] as of the last request."""
    entries = json.loads(cursor) if cursor else {}
    return {name: InboxFile("", name, sha, size, mtime) for name, (size, mtime, sha) in entries.items()}


def write_cursor(files: list[InboxFile]) -> str:
    return json.dumps({f.file_name: [f.size, f.mtime_ns, f.sha256] for f in files}, sort_keys=True)


@sensor(
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Runs warehouse_job when a PDF in the inbox is new or changed (sha256).",
)
def inbox_sensor(context: SensorEvaluationContext, paths: WarehousePaths):
    known = read_cursor(context.cursor)
    files = hash_inbox(paths.inbox_path, known)
    new = [f for f in files if f.file_name not in known or known[f.file_name].sha256 != f.sha256]
    if not new:
        # Files removed from the inbox are forgotten; the warehouse keeps their documents.
        return SensorResult(skip_reason=SkipReason("no new or changed PDF"), cursor=write_cursor(files))
    running = Workspace(paths.warehouse_path).busy()
    if running is not None:
        # The cursor stays: the next tick after that run asks again.
        return SkipReason(f"{len(new)} new or changed PDF(s); waiting for run {running}, which is writing")
    key = hashlib.sha256("\n".join(f"{f.file_name}\0{f.sha256}" for f in new).encode()).hexdigest()[:16]
    names = ", ".join(shown(f.file_name) for f in new[:5]) + (", …" if len(new) > 5 else "")
    return SensorResult(
        run_requests=[RunRequest(run_key=key, tags={"budget/trigger": "inbox_sensor", "budget/new": names})],
        cursor=write_cursor(files),
    )
