"""The scale benchmark: a nightly run on warehouses of N replicated documents (issue 16).

Run through `python -m benchmarks.bench scale` (benchmarks/bench.py). Once: a few dozen synthetic
budgets (every table printing its codes, as the query benchmark's) are extracted into a source
warehouse, and 10 more synthetic budgets with other seeds are generated: the nightly run's new
documents. Then for each N, in its own folder under --work-dir and in its own child process (its
own session: killed whole when it passes --timeout, the size reported as such):

1. replicate — the source's raw.* / audit.* rows under N new document ids (benchmarks/replicate.py);
2. full build — `dbt build --full-refresh` of the whole project on them, with the code fingerprint
   a run passes (what `budget-etl run --full-refresh` costs in dbt, and what makes the next
   builds incremental);
3. nightly, 10 new (first) — `budget-etl run --inbox INBOX --warehouse FILE` with 10 new PDFs in
   INBOX: the first run on the replicated file also creates the standby copy (store/standby.py, a
   whole-file copy once);
4. nightly, 10 new — 10 other new PDFs in INBOX (the first 10 taken out, as a drop folder does):
   the steady state, the standby caught up by the rows of the documents it lacks;
5. nightly, nothing new — the same command again;
6. queries — the analysts' example questions (benchmarks/queries.py) on the published warehouse.

The inbox holds only the 10 new files, as a drop folder does: a run looks only at the files in its
inbox (store/plan.py: a document the warehouse holds and the inbox does not is neither retired nor
rejected — nothing happens to it), so the replicated documents stay as they are, and the run's
hashing costs what a drop folder of 10 files costs (an inbox that kept every PDF would add the
hashing of all of them, ≈ the inbox's bytes at disk speed, to every run).

Per step: seconds; peak memory of the whole process tree (PSS sum, benchmarks/memory.py); bytes
written by the process tree (the kernel's write_bytes of every waited-for descendant:
getrusage(RUSAGE_CHILDREN).ru_oublock × 512, the child being the subreaper of its tree so that
orphaned workers are waited for too; replicate: of the child itself); the warehouse file
after the step. For the runs, Dagster's step timings (dbt, publish) from the run's event log.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.machine import REPO, load_average

NEW_DOCUMENTS = 10
RUNS = ("nightly, 10 new (first)", "nightly, 10 new", "nightly, nothing new")
STEPS = ("replicate", "full build", *RUNS, "queries")


@dataclass
class Step:
    seconds: float = 0.0
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    written_mb: float = 0.0
    warehouse_mb: float = 0.0
    note: str = ""


@dataclass
class SizeResult:
    documents: int
    steps: dict[str, Step] = field(default_factory=dict)
    status: str = "running"  # done, timeout, failed: …
    load: str = ""


def _written_bytes(who: int) -> int:
    """Block output (bytes written to storage, per the kernel's write_bytes) so far."""
    return resource.getrusage(who).ru_oublock * 512


def _adopt_orphans() -> None:
    """Become the subreaper of this process's tree (Linux prctl PR_SET_CHILD_SUBREAPER): processes
    whose parent exits without waiting (Dagster's forkserver and its step processes) are handed to
    this process, and `_reap` collects them, so their write_bytes count in RUSAGE_CHILDREN."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def _reap(patience: float = 60.0) -> None:
    """Wait for the adopted processes (a run's workers exit a little after the run) for at most
    `patience` seconds, so that their writes count in this step, not the next."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:  # none left
            return
        time.sleep(0.5)


def _size_mb(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def _save(result: SizeResult, out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(asdict(result)), encoding="utf-8")
    os.replace(tmp, out)


def one_size(documents: int, sources: Path, new_pdfs: Path, folder: Path, out: Path) -> None:
    """Steps 1–6 for one N in `folder`; the result saved to `out` after every step."""
    from benchmarks.pipeline_bench import budget_etl_run, dbt_build, run_steps
    from benchmarks.queries import QUERIES, guide_questions, time_queries
    from benchmarks.replicate import replicate
    from store.fingerprints import CODE_FINGERPRINT_ENV, dbt_project_fingerprint
    from store.limits import DUCKDB_MEMORY_ENV, build_settings, full_refresh_threads

    result = SizeResult(documents)
    warehouse = folder / "budget.duckdb"
    _adopt_orphans()

    before = _written_bytes(resource.RUSAGE_SELF)
    started = time.perf_counter()
    replicated = replicate(sources, warehouse, documents)
    result.steps["replicate"] = Step(
        time.perf_counter() - started,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        0.0,
        (_written_bytes(resource.RUSAGE_SELF) - before) / 2**20,
        _size_mb(warehouse),
        f"{replicated.rows.get('raw.cells', 0):,} raw.cells from {replicated.sources} sources",
    )
    _save(result, out)

    before = _written_bytes(resource.RUSAGE_CHILDREN)
    try:
        # as a run's full refresh does (dagster_project/assets/dbt.py)
        threads = full_refresh_threads(warehouse, build_settings(warehouse)[DUCKDB_MEMORY_ENV])
        extra = ("--full-refresh", *(("--threads", str(threads)) if threads else ()))
        dbt = dbt_build(warehouse, folder, extra, {CODE_FINGERPRINT_ENV: dbt_project_fingerprint()})
    except OSError:  # no run_results.json: dbt stopped before building (its log says why)
        log = folder / "dbt_logs" / "dbt.log"
        tail = log.read_text(encoding="utf-8", errors="replace")[-600:] if log.exists() else "no log"
        result.steps["full build"] = Step(note=f"failed: {' '.join(tail.split())}")
        _save(result, out)
        raise
    peak = dbt.memory
    result.steps["full build"] = Step(
        dbt.wall_s,
        peak.pss_mb if peak else 0.0,
        peak.rss_mb if peak else 0.0,
        (_written_bytes(resource.RUSAGE_CHILDREN) - before) / 2**20,
        _size_mb(warehouse),
        f"{dbt.execute_s:.1f} s executing nodes{dbt.failures_note()}",
    )
    _save(result, out)

    inbox = folder / "inbox"
    home = folder / "dagster_home"
    home.mkdir()
    batches = sorted(new_pdfs.glob("*.pdf"))
    for number, name in enumerate(RUNS):
        if number < 2:  # a drop folder: this run's new PDFs only
            shutil.rmtree(inbox, ignore_errors=True)
            inbox.mkdir()
            for pdf in batches[number * NEW_DOCUMENTS : (number + 1) * NEW_DOCUMENTS]:
                shutil.copy(pdf, inbox / pdf.name)
        before = _written_bytes(resource.RUSAGE_CHILDREN)
        try:
            run = budget_etl_run(inbox, warehouse, home)
        except RuntimeError as error:
            result.steps[name] = Step(note=f"failed: {str(error)[-300:]}")
            _save(result, out)
            raise
        _reap()
        peak = run.memory
        result.steps[name] = Step(
            run.wall_s,
            peak.pss_mb if peak else 0.0,
            peak.rss_mb if peak else 0.0,
            (_written_bytes(resource.RUSAGE_CHILDREN) - before) / 2**20,
            _size_mb(warehouse),
        )
        _save(result, out)
    history = run_steps(home)[-len(RUNS) :]
    for name, (run_s, steps) in zip(RUNS, history, strict=False):
        parts = [f"run {run_s:.1f} s" if run_s else ""]
        for step, (count, total, _) in steps.items():
            short = step.replace("warehouse_dbt_assets", "dbt").replace("raw_documents.", "")
            parts.append(f"{short} {total:.1f} s" + (f" ×{count}" if count > 1 else ""))
        result.steps[name].note = "; ".join(p for p in parts if p)
    _save(result, out)

    started = time.perf_counter()
    timings = time_queries(warehouse, questions={**QUERIES, **guide_questions()})
    slowest = max(timings, key=lambda t: t.median_ms)
    result.steps["queries"] = Step(
        time.perf_counter() - started,
        note=f"{len(timings)} questions; slowest median {slowest.median_ms:.0f} ms ({slowest.name}); "
        "per question rows / median ms with every row fetched into Python / computed in DuckDB / "
        "as pandas: "
        + ", ".join(
            f"{t.name} {t.rows:,} / {t.median_ms:.0f} / {t.computed_ms:.0f} / {t.pandas_ms:.0f}"
            for t in timings
        ),
    )
    result.status = "done"
    result.load = load_average()
    _save(result, out)


def prepare(work: Path, sources: int, seed: int) -> tuple[Path, Path, float]:
    """The source warehouse (`sources` synthetic budgets extracted) and two batches of 10 new PDFs."""
    from benchmarks.pipeline_bench import dbt_build, stage_times, synthetic_inbox

    pdfs = synthetic_inbox(work / "source_pdfs", sources, seed, coded=True)
    warehouse = work / "sources" / "budget.duckdb"
    started = time.perf_counter()
    stage_times(pdfs, warehouse)
    extraction_s = time.perf_counter() - started
    dbt_build(warehouse, work / "sources")  # audit.identity_findings: replicate() skips quarantined sources
    synthetic_inbox(work / "new_pdfs", 2 * NEW_DOCUMENTS, seed + 100_000, coded=True)
    return warehouse, work / "new_pdfs", extraction_s


def run_size(documents: int, sources: Path, new_pdfs: Path, args: argparse.Namespace) -> SizeResult:
    """One size in a child process and a temporary folder, within args.timeout seconds."""
    folder = Path(tempfile.mkdtemp(prefix=f"budget-scale-{documents}-", dir=args.work_dir))
    out = folder / "result.json"
    command = [sys.executable, "-m", "benchmarks.scale_bench", str(documents), str(sources), str(new_pdfs)]
    command += [str(folder), str(out)]
    print(f"N = {documents}: {folder}", flush=True)
    process = subprocess.Popen(command, cwd=REPO, start_new_session=True)
    status = "done"
    try:
        process.wait(timeout=args.timeout)
        if process.returncode != 0:
            status = f"failed (exit {process.returncode})"
    except subprocess.TimeoutExpired:
        status = f"timeout: not done after {args.timeout:.0f} s"
        os.killpg(process.pid, signal.SIGKILL)  # the child's session: dbt, Dagster's workers too
        process.wait()
    try:
        saved = json.loads(out.read_text(encoding="utf-8"))
        result = SizeResult(saved["documents"], {k: Step(**v) for k, v in saved["steps"].items()})
        result.load = saved.get("load", "")
    except (OSError, ValueError, KeyError):
        result = SizeResult(documents)
    result.status = status
    result.load = result.load or load_average()
    if args.keep:
        print(f"kept: {folder}", flush=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return result


@dataclass
class ScaleReport:
    sources: int
    extraction_s: float
    work_dir: str
    timeout: float
    results: list[SizeResult]

    def lines(self) -> list[str]:
        rows = [
            f"## scale: a nightly run on N replicated documents ({self.sources} extracted sources, "
            f"sources extracted in {self.extraction_s:.0f} s; work dir {self.work_dir}, "
            f"timeout {self.timeout:.0f} s per size)",
            "",
            "DuckDB settings from the environment (store/limits.py; unset = its defaults, 1GB / 2 / "
            "beside the file): "
            + (
                ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BUDGET_DUCKDB_"))
                or "none"
            ),
            "",
            "| N | step | seconds | peak memory: tree PSS (RSS sum), MiB | written MiB | warehouse MiB "
            "| notes |",
            "|---:|---|---:|---:|---:|---:|---|",
        ]
        for r in self.results:
            for name in STEPS:
                s = r.steps.get(name)
                if s is None:
                    rows.append(f"| {r.documents:,} | {name} | — | — | — | — | not reached ({r.status}) |")
                    continue
                rss = f" ({s.peak_rss_mb:.0f})" if s.peak_rss_mb else ""
                note = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", s.note).replace("|", "/").split())
                if note.startswith("failed"):
                    rows.append(f"| {r.documents:,} | {name} | — | — | — | — | {note[:400]} |")
                    continue
                rows.append(
                    f"| {r.documents:,} | {name} | {s.seconds:.1f} | {s.peak_pss_mb:.0f}{rss} | "
                    f"{s.written_mb:.0f} | {s.warehouse_mb:.0f} | {note} |"
                )
            rows.append(f"| {r.documents:,} | (size) | | | | | {r.status}; load average {r.load} |")
        rows += [
            "",
            "replicate: peak = the replicating process's max RSS. full build = `dbt build --full-refresh`"
            " (what a full refresh costs in dbt). The nightly runs' notes: Dagster's step seconds; the"
            " first also creates the standby copy. queries: seconds for all of them (a fresh read-only"
            " connection each, then 9 timed runs); peak not measured.",
        ]
        return rows


def scale(args: argparse.Namespace, work: Path) -> ScaleReport:
    sizes = [int(n) for n in str(args.documents).split(",") if n.strip()]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    sources, new_pdfs, extraction_s = prepare(work, args.sources, args.seed)
    print(f"extracted {args.sources} sources in {extraction_s:.1f} s", flush=True)
    results = []
    for documents in sizes:
        result = run_size(documents, sources, new_pdfs, args)
        print(json.dumps(asdict(result)), flush=True)
        results.append(result)
    return ScaleReport(args.sources, extraction_s, str(args.work_dir), args.timeout, results)


if __name__ == "__main__":  # one size, in the child process run_size starts
    n, src, new, folder_arg, out_arg = sys.argv[1:6]
    one_size(int(n), Path(src), Path(new), Path(folder_arg), Path(out_arg))
