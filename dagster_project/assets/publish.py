"""The last step of a run: summarize, record audit.runs, and swap the working copy in atomically."""

# No `from __future__ import annotations` in asset modules: Dagster inspects the real type hints.

import time
from datetime import UTC, datetime

import duckdb
from dagster import AssetExecutionContext, AssetMaterialization, MaterializeResult, asset

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import (
    PUBLISHED_KEY,
    SUMMARY_TAG,
    StoredRun,
    inbox_document,
    run_started_at,
    summary_metadata,
)
from dagster_project.resources import WarehousePaths
from store.fingerprints import dbt_project_fingerprint
from store.publish import Workspace
from store.report import record_run, summarize


@asset(
    key=PUBLISHED_KEY,
    deps=[warehouse_dbt_assets],
    group_name="publish",
    kinds={"duckdb"},
)
def published_warehouse(
    context: AssetExecutionContext, raw_documents: StoredRun, paths: WarehousePaths
) -> MaterializeResult:
    """The warehouse analysts read: the run's version, after the dbt build, switched in atomically
    (the published link renamed to it, store/publish.py). Its metadata is the run summary (seen /
    loaded / unchanged / superseded / duplicate / quarantined / rejected, identity findings, elapsed
    seconds)."""
    workspace = Workspace(paths.warehouse_path)
    workspace.check_owner(context.run.run_id)
    started = run_started_at(context)
    with duckdb.connect(str(workspace.building)) as con:
        summary = summarize(
            con, raw_documents.outcomes, raw_documents.plan.statuses_before, time.time() - started
        )
        record_run(
            con,
            context.run.run_id,
            datetime.fromtimestamp(started, UTC),
            raw_documents.plan.inbox,
            summary,
            dbt_project_fingerprint(),
        )
    workspace.publish(context.run.run_id)
    context.log.info(f"Published {paths.warehouse_path}: {summary.line()}")

    # Every document this run stored, with the status it was published with: its partition history.
    for f in summary.files:
        if not f.document_id or f.status in ("unchanged", "duplicate", "skipped", "retired"):
            continue  # nothing stored (or, retired, nothing new) for this document in this run
        context.log_event(
            AssetMaterialization(
                asset_key=inbox_document.key,
                partition=f.document_id,
                metadata={
                    "file_name": f.file_name,
                    "status": f.status,
                    "reason": f.reason or "",
                    "pages": f.pages,
                    "tables_found": f.tables_found,
                },
            )
        )
    for document_id, file_name, status, reason in summary.changed:
        context.log_event(
            AssetMaterialization(
                asset_key=inbox_document.key,
                partition=document_id,
                metadata={"file_name": file_name, "status": status, "reason": reason or ""},
            )
        )
    context.instance.add_run_tags(context.run.run_id, {SUMMARY_TAG: summary.line()})
    return MaterializeResult(metadata=summary_metadata(summary, paths.warehouse))
