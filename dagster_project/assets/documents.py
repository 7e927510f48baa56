"""The inbox's documents: scanned, extracted in parallel by a few worker steps that share the new
documents out among themselves (store/work_queue.py), stored by one writer into the run's working copy
of the warehouse. The logic is in store.ingest, store.plan and store.work_queue.

    scan_inbox ──plan──────────────────────────────────────────────┐
        └─shares (DynamicOut, one per worker: as many as the executor runs steps at once, at most
          one per new document)──> extract_documents (mapped, parallel; each takes the next file
                                   no worker has taken, largest first)
                                     └─collect─> store_documents = raw_documents
"""

# No `from __future__ import annotations` in asset modules: Dagster inspects the real type hints.

import os
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    AssetSpec,
    DynamicOut,
    DynamicOutput,
    DynamicPartitionsDefinition,
    MetadataValue,
    OpExecutionContext,
    Out,
    Output,
    TableColumn,
    TableRecord,
    TableSchema,
    graph_asset,
    op,
)

from dagster_project.resources import ExtractionLimits, WarehousePaths
from extract.names import shown
from store.fingerprints import dbt_project_fingerprint
from store.ingest import PreparedFile, extract_file, store_files
from store.outcomes import FileOutcome, with_refused
from store.plan import InboxFile, RunPlan, assess, idle_outcomes
from store.publish import Workspace
from store.report import RunSummary, count_findings, idle_summary
from store.work_queue import claims_folder, largest_first, take

PUBLISHED_KEY = AssetKey("published_warehouse")
SUMMARY_TAG = "budget/summary"

documents_partitions = DynamicPartitionsDefinition(name="documents")

inbox_document = AssetSpec(
    key="inbox_document",
    partitions_def=documents_partitions,
    group_name="extraction",
    kinds={"pdf"},
    description=(
        "One partition per document version (document_id = sha256[:16]). Each run that extracts it "
        "records an observation (pages, seconds, extracted or rejected); a materialization records "
        "the status it was published with (loaded, quarantined, rejected, superseded)."
    ),
)


@dataclass(frozen=True)
class StoredRun:
    """raw_documents' value: the plan and what the writer did with every inbox file."""

    plan: RunPlan
    outcomes: list[FileOutcome]


def run_started_at(context: OpExecutionContext | AssetExecutionContext) -> float:
    """When the run started (epoch seconds): the summary's elapsed time counts from there."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    start = record.start_time if record is not None else None
    return start if start is not None else time.time()


def outcomes_table(outcomes: list[FileOutcome]) -> MetadataValue:
    columns = [
        ("file_name", "string"),
        ("document_id", "string"),
        ("status", "string"),
        ("reason", "string"),
        ("pages", "int"),
        ("tables_found", "int"),
        ("seconds", "float"),
    ]
    records = [
        TableRecord({name: getattr(o, name) if getattr(o, name) is not None else "" for name, _ in columns})
        for o in outcomes
    ]
    schema = TableSchema(columns=[TableColumn(name, kind) for name, kind in columns])
    return MetadataValue.table(records=records, schema=schema)


def summary_metadata(summary: RunSummary, warehouse: str) -> dict[str, object]:
    return {
        **summary.metadata(),
        "summary": summary.line(),
        "warehouse": MetadataValue.path(warehouse),
        "documents": outcomes_table(summary.rows()),
    }


@op(out={"plan": Out(RunPlan, is_required=False), "shares": DynamicOut()})
def scan_inbox(context: OpExecutionContext, paths: WarehousePaths):
    """Hash the inbox, compare with the published warehouse (read-only); no work, no outputs."""
    started = run_started_at(context)
    plan, knowledge = assess(paths.inbox_path, paths.warehouse_path, dbt_project_fingerprint())
    files = list(plan.files)
    registered = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    new_keys = sorted({f.document_id for f in files} - registered)
    if new_keys:
        context.instance.add_dynamic_partitions(documents_partitions.name, new_keys)

    # A run of raw_documents alone (what `budget-etl run` and the schedule launch when a look at the
    # inbox found nothing new) only reports: loading without a dbt build and a publish is pointless.
    selection = context.run.asset_selection  # None or empty: the whole job
    scan_only = bool(selection) and PUBLISHED_KEY not in selection
    if scan_only or not plan.has_work:
        outcomes = with_refused(idle_outcomes(files, knowledge), plan.refused)
        summary = idle_summary(outcomes, None, time.time() - started)
        if paths.warehouse_path.exists():
            with duckdb.connect(str(paths.warehouse_path), read_only=True) as con:
                summary = replace(summary, findings=count_findings(con, [f.document_id for f in files]))
        if plan.has_work:
            context.log.warning("New work (" + "; ".join(plan.reasons) + ") is left for the next full run")
        else:
            context.log.info(f"Nothing new: {summary.line()}; extraction and dbt skipped")
        context.instance.add_run_tags(context.run.run_id, {SUMMARY_TAG: "nothing new: " + summary.line()})
        yield AssetObservation(asset_key=PUBLISHED_KEY, metadata=summary_metadata(summary, paths.warehouse))
        return

    # The job's executor claimed the copy for this run already (jobs.holding_the_warehouse): then a
    # no-op. Run some other way (in process, e.g. `materialize`), this process claims it for the run.
    Workspace(paths.warehouse_path).claim(context.run.run_id)
    context.log.info(f"{len(files)} PDF(s) in {paths.inbox_path}: " + "; ".join(plan.reasons))
    yield Output(
        plan,
        "plan",
        metadata={
            "seen": len(files) + len(plan.refused),
            "to_extract": len(plan.to_extract),
            "why": "; ".join(plan.reasons),
        },
    )
    files = largest_first(plan.to_extract)
    claims = str(claims_folder(Workspace(paths.warehouse_path).building, context.run.run_id))
    for worker in range(extraction_workers(context.run_config, len(files))):
        yield DynamicOutput(
            ExtractionShare(files, claims), output_name="shares", mapping_key=f"worker_{worker}"
        )


@dataclass(frozen=True)
class ExtractionShare:
    """What one extraction worker gets: every new file, largest first, and where taking one is recorded."""

    files: tuple[InboxFile, ...]
    claims: str


def extraction_workers(run_config: Mapping[str, Any], documents: int) -> int:
    """How many extraction workers a run gets: as many as its executor runs steps at once (its
    `max_concurrent`; a multiprocess executor without one: one per core; in process: one), never
    more than there are documents. An executor with no such limit (Celery, whose workers set their
    own concurrency) gets one worker per document, as many steps as it may spread out."""
    executor = (run_config.get("execution") or {}).get("config") or {}
    # {"multiprocess": {"max_concurrent": …}} (a choice of executors), or the settings themselves (k8s)
    name, settings = next(iter(executor.items())) if len(executor) == 1 else (None, executor)
    if not isinstance(settings, Mapping) or name == "max_concurrent":
        name, settings = None, executor
    given = settings.get("max_concurrent")
    if isinstance(given, int) and given > 0:
        workers = given
    elif name == "in_process":
        workers = 1
    elif name == "multiprocess" or not executor:  # no config: the default, multiprocess
        workers = os.cpu_count() or 1
    else:
        workers = documents
    return max(1, min(workers, documents))


@op
def extract_documents(context: OpExecutionContext, share: ExtractionShare, limits: ExtractionLimits):
    """The new documents no other worker has taken, one at a time: `extract_file` (cheap checks, then
    Camelot, in a child with time and memory limits); an observation of each as it is done."""
    results = []
    for file in share.files:
        if not take(Path(share.claims), file.document_id):
            continue
        result = extract_file(file, limits.limits)
        prepared = result.prepared
        status = "changed" if result.changed else "extracted" if prepared.reason is None else "rejected"
        log = context.log.info if status == "extracted" else context.log.warning
        log(
            f"{shown(file.file_name)}: {status}" + (f" ({shown(prepared.reason)})" if prepared.reason else "")
        )
        yield AssetObservation(
            asset_key=inbox_document.key,
            partition=file.document_id,
            metadata={
                "file_name": file.file_name,
                "sha256": file.sha256,
                "status": status,
                "reason": prepared.reason or "",
                "pages": prepared.pages,
                "seconds": round(result.seconds, 2),
            },
        )
        results.append(result)
    yield Output(results)


@op
def store_documents(
    context: OpExecutionContext, plan: RunPlan, extracted: list[list[PreparedFile]], paths: WarehousePaths
):
    """The single writer: copy the published warehouse, then every file in name order."""
    workspace = Workspace(paths.warehouse_path)
    building = workspace.begin(context.run.run_id)
    by_document = {p.file.document_id: p for share in extracted for p in share}
    stored = store_files(plan.files, by_document, building, lambda: workspace.check_owner(context.run.run_id))
    outcomes = with_refused(stored, plan.refused)
    for o in outcomes:
        if o.status not in ("unchanged",):
            log = context.log.info if o.status == "loaded" else context.log.warning
            log(f"{shown(o.file_name)}: {o.status}" + (f" ({shown(o.reason)})" if o.reason else ""))
    counts = Counter(o.status for o in outcomes)
    yield Output(
        StoredRun(plan, outcomes),
        metadata={
            "inbox": MetadataValue.path(plan.inbox),
            "working_copy": MetadataValue.path(str(building)),
            "documents": len(outcomes),
            **{
                status: counts.get(status, 0)
                for status in ("loaded", "narrative", "unchanged", "duplicate", "rejected")
            },
            "outcomes": outcomes_table(outcomes),
        },
    )


@graph_asset(group_name="extraction", kinds={"python", "duckdb"})
def raw_documents() -> StoredRun:
    """Every PDF in the inbox, extracted with Camelot (worker steps in parallel, each taking the next
    new document) and loaded into raw.* / audit.* of the run's working copy, one transaction per
    document."""
    plan, shares = scan_inbox()
    return store_documents(plan, shares.map(extract_documents).collect())


def idle_selection(inbox: Path, warehouse: Path) -> list[AssetKey] | None:
    """What a run should select: raw_documents alone when a look at the inbox and the published
    warehouse finds nothing to do (its scan then reports and stops), else None (the whole job)."""
    plan, _ = assess(inbox, warehouse, dbt_project_fingerprint())
    return None if plan.has_work else [raw_documents.key]
