"""The end of `budget-etl run`: the run summary (from the run's Dagster events), the fact tables'
row counts, failed checks, and for a failed run its id and how to open it in the Dagster UI."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from extract.names import shown
from store.paths import default_dagster_home

if TYPE_CHECKING:
    from dagster import JobExecutionResult

PUBLISH_STEP = "published_warehouse"
MAX_ERROR_LINES = 8
UI_URL = "http://127.0.0.1:3000"


def metadata_value(metadata: Mapping[str, Any], key: str, default: Any = None) -> Any:
    entry = metadata.get(key)
    return default if entry is None else getattr(entry, "value", entry)


def summary_metadata(result: JobExecutionResult) -> Mapping[str, Any]:
    """The run summary: published_warehouse's materialization, or the idle scan's observation."""
    found: Mapping[str, Any] = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            data = event.step_materialization_data.materialization
        elif event.event_type_value == "ASSET_OBSERVATION":
            data = event.asset_observation_data.asset_observation
        else:
            continue
        if data.asset_key.to_user_string() == "published_warehouse":
            found = data.metadata
    return found


def fact_counts(warehouse: Path) -> dict[str, str]:
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        return {"marts": f"unavailable ({exc})"}
    with con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_name like 'fct\\_%' escape '\\' order by 1"
            ).fetchall()
        ]
        return {
            f"marts.{t}": f"{con.execute(f'select count(*) from marts.{t}').fetchone()[0]} rows"
            for t in tables
        }


def print_summary(result: JobExecutionResult, warehouse: Path, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    meta = summary_metadata(result)
    if meta:
        idle = result.success and not any(
            e.step_key == PUBLISH_STEP for e in result.get_step_success_events()
        )
        prefix = "Nothing new: extraction and dbt skipped. " if idle else ""
        print(f"{prefix}Documents: {metadata_value(meta, 'summary', '')}", file=out)
        table = meta.get("documents")
        for record in table.records if table is not None else []:
            row = record.data
            if row["status"] not in ("loaded", "unchanged"):
                reason = shown(row["reason"] or "no reason given")
                print(f"  {row['status']}: {shown(row['file_name'])}: {reason}", file=out)
        findings = metadata_value(meta, "findings")
        if findings is not None:
            print(f"Identity findings: {findings} (audit.identity_findings, `budget-etl findings`)", file=out)
        print(f"Elapsed: {float(metadata_value(meta, 'elapsed_s', 0)):.1f} s", file=out)

    if warehouse.exists():
        print("Facts:", file=out)
        for table_name, count in fact_counts(warehouse).items():
            print(f"  {table_name}: {count}", file=out)

    checks = result.get_asset_check_evaluations()
    if checks:
        failed = [c for c in checks if not c.passed]
        print(f"dbt tests (asset checks): {len(checks) - len(failed)} passed, {len(failed)} failed", file=out)
        for c in failed:
            print(
                f"  failed [{c.severity.value.lower()}]: {c.asset_key.to_user_string()} {c.check_name}",
                file=out,
            )

    print(f"Warehouse: {warehouse}", file=out)
    print(f"Run: {result.run_id} {'SUCCESS' if result.success else 'FAILURE'}", file=out)
    if not result.success:
        step_failures = result.get_step_failure_events()
        for event in step_failures:
            error = event.step_failure_data.error
            if error is not None and error.cls_name == "DagsterExecutionStepExecutionError" and error.cause:
                error = error.cause  # Dagster's wrapper around the asset's own exception
            lines = error.message.strip().splitlines() if error else ["unknown error"]
            print(f"  step {event.step_key} failed: " + "\n    ".join(lines[:MAX_ERROR_LINES]), file=out)
        run_failures = [e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE"]
        run_error = run_failures[0].job_failure_data.error if run_failures else None
        if not step_failures and run_error is not None:  # e.g. the executor's claim of the warehouse
            lines = run_error.message.strip().splitlines()
            print("  the run failed: " + "\n    ".join(lines[:MAX_ERROR_LINES]), file=out)
        print(
            "The published warehouse was left as it was. Open the run in the Dagster UI:\n"
            f"  DAGSTER_HOME={default_dagster_home()} .venv/bin/dagster dev -w workspace.yaml\n"
            f"  then {UI_URL}/runs/{result.run_id}",
            file=out,
        )
