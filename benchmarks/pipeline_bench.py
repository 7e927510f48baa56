"""The pipeline benchmark: stages in this process, `dbt build`, `budget-etl run` end to end, plain Camelot.

Run through `python -m benchmarks.bench pipeline` (benchmarks/bench.py says what it measures).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks.machine import DBT_PROJECT, REPO, STAGES
from benchmarks.memory import TreePeak, TreeSampler
from extract.pdf.document import sha256_of
from extract.pipeline import extract_document
from store.ingest import Prepared, store
from store.load import connect


@dataclass(frozen=True)
class DbtTiming:
    wall_s: float
    execute_s: float  # dbt's elapsed time for the nodes (run_results.json); the rest is start-up and parsing
    failed: tuple[str, ...]  # nodes that errored or failed (a test that fails still counts as a build)
    memory: TreePeak | None = None

    def failures_note(self) -> str:
        return f"; failed: {', '.join(self.failed)}" if self.failed else ""


@dataclass
class RunTiming:
    """One `budget-etl run`: wall time of the command and what its Dagster run recorded."""

    wall_s: float
    run_s: float | None = None  # Dagster run start → end (event log)
    steps: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # step → (count, Σ s, max s)
    memory: TreePeak | None = None
    stdout_tail: str = ""


@dataclass
class PipelineReport:
    label: str
    documents: int = 0
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    stage_process_peak_mb: float = 0.0
    dbt: DbtTiming | None = None
    end_to_end: RunTiming | None = None  # first run into a new warehouse: dbt parses from scratch
    rerun: RunTiming | None = None  # the same inbox again: nothing new
    warm: RunTiming | None = None  # every document again, warehouse path and dbt state as in a nightly run
    plain_camelot_s: float = 0.0

    @property
    def extraction_s(self) -> float:
        return sum(self.stages.values())

    def lines(self) -> list[str]:
        pages = self.pages or 1
        extraction = self.extraction_s
        rows = [
            f"## {self.label}: {self.documents} documents, {self.pages} pages",
            "",
            "| measure | seconds | notes |",
            "|---|---:|---|",
        ]
        for name in STAGES:
            seconds = self.stages.get(name, 0.0)
            share = 100 * seconds / extraction if extraction else 0
            rows.append(f"| stage {name} | {seconds:.2f} | {share:.0f} % of the stages |")
        rows.append(
            f"| stages total (one process, sequential) | {extraction:.2f} | "
            f"{self.pages / extraction if extraction else 0:.1f} pages/s; "
            f"process peak {self.stage_process_peak_mb:.0f} MiB |"
        )
        dbt = self.dbt or DbtTiming(0.0, 0.0, ())
        rows.append(
            f"| dbt build (standalone, same documents) | {dbt.wall_s:.2f} | "
            f"{dbt.execute_s:.2f} s executing nodes, the rest start-up and parsing; "
            f"peak {dbt.memory.rss_mb if dbt.memory else 0:.0f} MiB{dbt.failures_note()} |"
        )
        e2e = self.end_to_end
        if e2e is not None:
            overhead = e2e.wall_s - extraction - dbt.wall_s
            rows.append(
                f"| end to end `budget-etl run`, first run (new warehouse, dbt parses fully) | "
                f"{e2e.wall_s:.2f} | {self.pages / e2e.wall_s:.1f} pages/s |"
            )
            rows.append(
                f"| Dagster overhead = end to end − stages − dbt build | {overhead:.2f} | "
                "extraction runs in parallel there, so this is a lower bound |"
            )
        if self.rerun is not None:
            rows.append(f"| second run, nothing new (nightly) | {self.rerun.wall_s:.2f} | |")
        if self.warm is not None:
            rows.append(
                f"| end to end, steady state (same warehouse path, dbt partial parse; every document "
                f"new again) | {self.warm.wall_s:.2f} | {self.pages / self.warm.wall_s:.1f} pages/s |"
            )
        if self.plain_camelot_s:
            rows.append(
                f"| plain Camelot lattice, same files | {self.plain_camelot_s:.2f} | "
                f"{self.plain_camelot_s / pages:.3f} s/page |"
            )
            if extraction:
                ratio = self.plain_camelot_s / extraction
                rows.append(f"| ratio plain Camelot / extraction stages | {ratio:.1f}x | |")
            if e2e is not None:
                ratio = self.plain_camelot_s / e2e.wall_s
                rows.append(f"| ratio plain Camelot / end to end, first run | {ratio:.1f}x | |")
            if self.warm is not None:
                rows.append(
                    f"| ratio plain Camelot / end to end, steady state | "
                    f"{self.plain_camelot_s / self.warm.wall_s:.1f}x | |"
                )
        if e2e is not None and e2e.memory is not None:
            m = e2e.memory
            rows.append(
                f"| peak memory, end to end (process tree) | {m.pss_mb:.0f} MiB PSS | "
                f"RSS sum {m.rss_mb:.0f} MiB, largest process {m.largest_process_mb:.0f} MiB, "
                f"up to {m.processes} processes |"
            )
        for title, run in (("first", e2e), ("second (nothing new)", self.rerun), ("steady-state", self.warm)):
            if run is None or run.run_s is None:
                continue
            rows += [
                "",
                f"Dagster's view of the {title} run: command {run.wall_s:.2f} s, run {run.run_s:.2f} s "
                f"(the rest: process start-up, loading the code location, launching the run)",
                "",
            ]
            rows += ["| step | count | Σ seconds | max seconds |", "|---|---:|---:|---:|"]
            for step, (count, total, longest) in run.steps.items():
                rows.append(f"| {step} | {count} | {total:.2f} | {longest:.2f} |")
        return rows


def synthetic_inbox(folder: Path, count: int, seed: int, coded: bool = False) -> list[Path]:
    """`count` synthetic budgets with random layouts; `coded`: every table prints its codes.

    (A layout that prints names only leaves codes `unknown`, so its facts repeat one key.)
    """
    sys.path.insert(0, str(REPO))
    from tests.support.synthetic import generate, random_layout

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"synthetic_{seed}_{i:04d}.pdf"
        layout = random_layout(seed + i)
        if coded and layout.code_layout == "names_only":
            layout = replace(layout, code_layout="joined")
        generate(path, seed + i, layout)
        paths.append(path)
    return paths


def stage_times(pdfs: list[Path], warehouse: Path) -> tuple[dict[str, float], int]:
    """Extract and load every PDF in this process, one at a time; seconds per stage and pages."""
    timings: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    pages = 0
    for pdf in pdfs:
        doc = extract_document(pdf, timings)
        pages += doc.pages
        started = time.perf_counter()
        sha = sha256_of(pdf)
        with connect(warehouse) as con:
            store(
                Prepared(doc, None if doc.recognized_tables else "no budget tables", doc.pages),
                pdf.name,
                sha,
                con,
            )
        timings["load"] += time.perf_counter() - started
    return timings, pages


def dbt_build(
    warehouse: Path, work: Path, extra: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> DbtTiming:
    """`dbt build` on the warehouse, as the pipeline runs it (its own target folder); `extra`: more
    arguments, `env`: more environment (the scale benchmark's `--full-refresh` with the run's code
    fingerprint)."""
    target = work / "dbt_target"
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--exclude-resource-type",  # as the pipeline runs it (unit tests run in CI)
            "unit_test",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(target),
            "--log-path",
            str(work / "dbt_logs"),
            *extra,
        ],
        env={
            **os.environ,
            **(env or {}),
            "BUDGET_WAREHOUSE": str(warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        stdout=subprocess.DEVNULL,
    )
    with TreeSampler(process.pid) as sampler:
        process.wait()
    wall = time.perf_counter() - started
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    failed = tuple(
        r["unique_id"].split(".")[2] + (f" ({r['failures']} rows)" if r.get("failures") else "")
        for r in results["results"]
        if r["status"] in ("error", "fail")
    )
    return DbtTiming(wall, float(results.get("elapsed_time", 0.0)), failed, sampler.peak)


def plain_camelot(pdfs: list[Path]) -> float:
    import camelot

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for pdf in pdfs:
            camelot.read_pdf(str(pdf), pages="all", flavor="lattice")
    return time.perf_counter() - started


@contextlib.contextmanager
def dagster_home(home: Path) -> Iterator[Any]:
    from dagster import DagsterInstance

    saved = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with DagsterInstance.get() as instance:
            yield instance
    finally:
        if saved is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = saved


def run_steps(home: Path) -> list[tuple[float | None, dict[str, tuple[int, float, float]]]]:
    """Per run in `home` (oldest first): the run's seconds and its steps' (count, Σ s, max s).

    Partitioned or mapped steps (`extract[doc_3]`) are counted under their name without the key.
    Best effort: the run history's shape belongs to Dagster, so nothing here may fail the benchmark.
    """
    out: list[tuple[float | None, dict[str, tuple[int, float, float]]]] = []
    try:
        with dagster_home(home) as instance:
            for run in reversed(instance.get_runs(limit=10)):
                stats = instance.get_run_stats(run.run_id)
                run_s = stats.end_time - stats.start_time if stats.start_time and stats.end_time else None
                steps: dict[str, tuple[int, float, float]] = {}
                for step in instance.get_run_step_stats(run.run_id):
                    if not (step.start_time and step.end_time):
                        continue
                    name = step.step_key.split("[", 1)[0]
                    count, total, longest = steps.get(name, (0, 0.0, 0.0))
                    seconds = step.end_time - step.start_time
                    steps[name] = (count + 1, total + seconds, max(longest, seconds))
                out.append((run_s, steps))
    except Exception as error:  # noqa: BLE001 - diagnostics only
        print(f"(could not read the Dagster run history: {error})", file=sys.stderr)
    return out


def budget_etl_run(inbox: Path, warehouse: Path, home: Path) -> RunTiming:
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    command = [
        str(Path(sys.executable).parent / "budget-etl"),
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
    ]
    with tempfile.TemporaryFile() as stderr, tempfile.TemporaryFile() as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr)
        with TreeSampler(process.pid) as sampler:
            process.wait()
        wall = time.perf_counter() - started
        stdout.seek(0)
        out = stdout.read().decode("utf-8", "replace")
        if process.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-4000:]
            raise RuntimeError(f"budget-etl run failed ({process.returncode}):\n{out[-2000:]}\n{tail}")
    return RunTiming(wall, memory=sampler.peak, stdout_tail="\n".join(out.strip().splitlines()[-8:]))


def end_to_end(inbox: Path, work: Path) -> tuple[RunTiming, RunTiming, RunTiming]:
    """Three `budget-etl run`s: the first loads the inbox into a new warehouse, the second finds
    nothing new, the third loads everything again into the same path after the published file is
    deleted — a nightly run's conditions (dbt's partial-parse state matches the warehouse path)."""
    home = work / "dagster_home"
    home.mkdir(exist_ok=True)
    warehouse = work / "e2e" / "budget.duckdb"
    first = budget_etl_run(inbox, warehouse, home)
    second = budget_etl_run(inbox, warehouse, home)
    warehouse.unlink()
    third = budget_etl_run(inbox, warehouse, home)
    runs = run_steps(home)
    for timing, (run_s, steps) in zip((first, second, third), runs[-3:], strict=False):
        timing.run_s, timing.steps = run_s, steps
    return first, second, third


def pipeline(args: argparse.Namespace, work: Path) -> PipelineReport:
    inbox = work / "inbox"
    if args.real:
        inbox.mkdir()
        pdfs = []
        for pdf in sorted(Path(args.real).glob("*.pdf")):
            shutil.copy(pdf, inbox / pdf.name)
            pdfs.append(inbox / pdf.name)
        label = f"real documents ({args.real})"
    else:
        started = time.perf_counter()
        pdfs = synthetic_inbox(inbox, args.documents, args.seed, coded=args.coded)
        print(
            f"generated {len(pdfs)} synthetic documents in {time.perf_counter() - started:.1f} s", flush=True
        )
        label = f"synthetic documents (seed {args.seed}{', codes printed' if args.coded else ''})"
    report = PipelineReport(label, len(pdfs))
    stages_warehouse = work / "stages" / "budget.duckdb"
    report.stages, report.pages = stage_times(pdfs, stages_warehouse)
    report.stage_process_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stages: {report.extraction_s:.1f} s for {report.pages} pages", flush=True)
    report.dbt = dbt_build(stages_warehouse, work)
    print(f"dbt build: {report.dbt.wall_s:.1f} s", flush=True)
    if not args.skip_end_to_end:
        report.end_to_end, report.rerun, report.warm = end_to_end(inbox, work)
        print(
            f"end to end: {report.end_to_end.wall_s:.1f} s, rerun {report.rerun.wall_s:.1f} s, "
            f"steady state {report.warm.wall_s:.1f} s",
            flush=True,
        )
        print(report.end_to_end.stdout_tail, flush=True)
    if not args.skip_plain:
        report.plain_camelot_s = plain_camelot(pdfs)
    return report
