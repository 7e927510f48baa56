"""The inbox's documents: scanned, extracted in parallel (one mapped step per document), stored by
one writer into the run's working copy of the warehouse. The logic is in store.ingest and store.plan.

    scan_inbox ──plan──────────────────────────────────┐
        └─documents (DynamicOut, one per new sha256)──> extract_document (mapped, parallel)
                                                         └─collect─> store_documents = raw_documents
"""

# No `from __future__ import annotations` in asset modules: Dagster inspects the real type hints.

import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

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


@op(out={"plan": Out(RunPlan, is_required=False), "documents": DynamicOut(InboxFile)})
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
    for f in plan.to_extract:
        yield DynamicOutput(f, output_name="documents", mapping_key=f.document_id)


@op
def extract_document(context: OpExecutionContext, file: InboxFile, limits: ExtractionLimits):
    """One document: `extract_file` (cheap checks, then Camelot, in a child with time/memory limits)."""
    result = extract_file(file, limits.limits)
    prepared = result.prepared
    status = "changed" if result.changed else "extracted" if prepared.reason is None else "rejected"
    log = context.log.info if status == "extracted" else context.log.warning
    log(f"{shown(file.file_name)}: {status}" + (f" ({shown(prepared.reason)})" if prepared.reason else ""))
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
    yield Output(result)


@op
def store_documents(
    context: OpExecutionContext, plan: RunPlan, prepared: list[PreparedFile], paths: WarehousePaths
):
    """The single writer: copy the published warehouse, then every file in name order."""
    workspace = Workspace(paths.warehouse_path)
    building = workspace.begin(context.run.run_id)
    by_document = {p.file.document_id: p for p in prepared}
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
    """Every PDF in the inbox, extracted with Camelot (one step per new document, in parallel) and
    loaded into raw.* / audit.* of the run's working copy, one transaction per document."""
    plan, documents = scan_inbox()
    return store_documents(plan, documents.map(extract_document).collect())


def idle_selection(inbox: Path, warehouse: Path) -> list[AssetKey] | None:
    """What a run should select: raw_documents alone when a look at the inbox and the published
    warehouse finds nothing to do (its scan then reports and stops), else None (the whole job)."""
    plan, _ = assess(inbox, warehouse, dbt_project_fingerprint())
    return None if plan.has_work else [raw_documents.key]
