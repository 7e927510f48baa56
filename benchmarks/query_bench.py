"""The analysts' query benchmark: a warehouse of replicated documents, `dbt build`, the questions timed.

Run through `python -m benchmarks.bench query` (benchmarks/bench.py says what it measures).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.pipeline_bench import DbtTiming, dbt_build, stage_times, synthetic_inbox
from benchmarks.queries import QueryTiming, time_queries
from benchmarks.replicate import Replicated, replicate


@dataclass
class QueryReport:
    replicated: Replicated
    source_extraction_s: float
    dbt: DbtTiming
    admitted: int
    fact_rows: dict[str, int]
    warehouse_mb: float
    timings: list[QueryTiming]

    def lines(self) -> list[str]:
        r = self.replicated
        rows = [
            f"## analyst queries: {r.documents} documents ({r.departments} departments × {r.years} years, "
            f"replicas of {r.sources} extracted documents)",
            "",
            f"- sources extracted in {self.source_extraction_s:.1f} s; replicated in {r.seconds:.1f} s "
            f"({r.rows.get('raw.cells', 0):,} raw.cells, {r.rows.get('raw.line_items', 0):,} raw.line_items)",
            f"- dbt build on {r.documents} documents: {self.dbt.wall_s:.1f} s ({self.dbt.execute_s:.1f} s "
            f"executing nodes{self.dbt.failures_note()}); {self.admitted} documents admitted to the marts; "
            f"warehouse {self.warehouse_mb:.0f} MB; dbt's peak memory "
            f"{self.dbt.memory.rss_mb if self.dbt.memory else 0:.0f} MiB",
            "- fact rows: " + ", ".join(f"{name} {count:,}" for name, count in self.fact_rows.items()),
            "",
            "| query | rows | first run (ms) | median (ms) | runs |",
            "|---|---:|---:|---:|---:|",
        ]
        for t in self.timings:
            rows.append(
                f"| {t.name}: {t.description} | {t.rows} | {t.first_ms:.1f} | {t.median_ms:.1f} | {t.runs} |"
            )
        return rows


def query(args: argparse.Namespace, work: Path) -> QueryReport:
    import duckdb

    pdfs = synthetic_inbox(work / "inbox", args.sources, args.seed, coded=True)
    if args.real:
        pdfs += sorted(Path(args.real).glob("*.pdf"))
    sources = work / "sources" / "budget.duckdb"
    started = time.perf_counter()
    stage_times(pdfs, sources)
    extraction_s = time.perf_counter() - started
    print(f"extracted {len(pdfs)} source documents in {extraction_s:.1f} s", flush=True)
    dbt_build(sources, work / "sources")  # audit.identity_findings: replicate() skips quarantined sources
    warehouse = work / "replicas" / "budget.duckdb"
    replicated = replicate(sources, warehouse, args.documents, args.years)
    print(f"replicated to {args.documents} documents in {replicated.seconds:.1f} s", flush=True)
    dbt = dbt_build(warehouse, work)
    print(f"dbt build: {dbt.wall_s:.1f} s", flush=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        admitted = con.execute("select count(*) from marts.dim_document").fetchone()
        facts = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_name like 'fct_%' order by 1"
            ).fetchall()
        ]
        fact_rows = {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in facts}
    timings = time_queries(warehouse, args.runs)
    return QueryReport(
        replicated,
        extraction_s,
        dbt,
        int(admitted[0]) if admitted else 0,
        fact_rows,
        warehouse.stat().st_size / 2**20,
        timings,
    )
