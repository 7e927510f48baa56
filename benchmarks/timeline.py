"""Where the time of one `budget-etl run` goes: the phases of a steady-state run, from its Dagster
event log, with the command's own start and end. Prints numbers; asserts nothing.

    .venv/bin/python -m benchmarks.timeline                  # the six PDFs in ../shared/real
    .venv/bin/python -m benchmarks.timeline --inbox DIR

A first run loads the inbox into a scratch warehouse (and leaves dbt's partial-parse state for that
path); the published file is deleted and a second run, timed here, loads everything again: the
conditions of a nightly run that finds new documents.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.machine import DEFAULT_REAL
from benchmarks.pipeline_bench import budget_etl_run, dagster_home

STEPS = (
    "raw_documents.scan_inbox",
    "raw_documents.extract_documents",
    "raw_documents.store_documents",
    "warehouse_dbt_assets",
    "published_warehouse",
)


def timed_run(inbox: Path, warehouse: Path, home: Path) -> tuple[float, float]:
    """One `budget-etl run` (as the benchmark runs it): its start and end, in epoch seconds."""
    started = time.time()
    budget_etl_run(inbox, warehouse, home)
    return started, time.time()


def timeline(home: Path, started: float, ended: float) -> list[str]:
    with dagster_home(home) as instance:
        run = instance.get_runs(limit=1)[0]
        records = instance.all_logs(run.run_id)
    first: dict[tuple[str, str], float] = {}
    last: dict[tuple[str, str], float] = {}
    for record in records:
        event = record.dagster_event
        if event is None:
            continue
        key = ((event.step_key or "-").split("[", 1)[0], event.event_type_value)
        first.setdefault(key, record.timestamp)
        last[key] = record.timestamp
    planned = sum(
        1 for r in records if r.dagster_event and r.dagster_event.event_type_value.endswith("PLANNED")
    )
    rows = [
        "| phase | from (s) | to (s) | seconds |",
        "|---|---:|---:|---:|",
        f"| start-up: imports, inbox hashing, step server | 0.00 | {records[0].timestamp - started:.2f} | "
        f"{records[0].timestamp - started:.2f} |",
    ]
    run_start = first.get(("-", "PIPELINE_START"), records[0].timestamp)
    rows.append(
        f"| run created and launched ({planned} planned events) | {records[0].timestamp - started:.2f} | "
        f"{run_start - started:.2f} | {run_start - records[0].timestamp:.2f} |"
    )
    for step in STEPS:
        begin = first.get((step, "STEP_WORKER_STARTING"))
        end = last.get((step, "STEP_SUCCESS"))
        if begin is None or end is None:
            continue
        rows.append(f"| {step} | {begin - started:.2f} | {end - started:.2f} | {end - begin:.2f} |")
    finished = first.get(("-", "PIPELINE_SUCCESS"), ended)
    rows.append(
        f"| summary and exit | {finished - started:.2f} | {ended - started:.2f} | {ended - finished:.2f} |"
    )
    rows.append(f"| **command** | 0.00 | {ended - started:.2f} | {ended - started:.2f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.timeline", description=__doc__)
    parser.add_argument("--inbox", type=Path, default=DEFAULT_REAL)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="budget-timeline-"))
    try:
        home = work / "dagster_home"
        home.mkdir()
        warehouse = work / "budget.duckdb"
        timed_run(args.inbox, warehouse, home)
        warehouse.unlink()
        started, ended = timed_run(args.inbox, warehouse, home)
        print("\n".join(timeline(home, started, ended)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
