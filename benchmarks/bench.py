"""Benchmark: the whole pipeline against plain Camelot on the same files. Prints numbers; asserts nothing.

    .venv/bin/python -m benchmarks.bench --documents 100          # synthetic documents
    .venv/bin/python -m benchmarks.bench --real ../shared/real    # the real published PDFs

Stages (seconds, summed over documents, measured in this process one document
at a time): classify (text layer and drawings of every page), camelot (table
grids), parse (stitching, headers, typed rows), load (DuckDB). Then the same
files end to end through `budget-etl run` (Dagster run, parallel extraction,
dbt build), a second run with nothing new, and plain
`camelot.read_pdf(pages="all", flavor="lattice")` on the same files.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import camelot

from extract.document import sha256_of
from extract.ingest import Prepared, store
from extract.pipeline import extract_document

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Report:
    label: str
    documents: int = 0
    pages: int = 0
    stages: dict[str, float] | None = None
    end_to_end_s: float = 0.0
    rerun_s: float = 0.0
    camelot_plain_s: float = 0.0
    peak_rss_mb: float = 0.0

    def lines(self) -> list[str]:
        stages = self.stages or {}
        in_process = sum(stages.values())
        ratio = self.camelot_plain_s / self.end_to_end_s if self.end_to_end_s else 0.0
        rows = [
            f"## {self.label}: {self.documents} documents, {self.pages} pages",
            "",
            "| measure | value |",
            "|---|---|",
            *[f"| stage {name} | {seconds:.2f} s |" for name, seconds in stages.items()],
            f"| stages total (one process, sequential) | {in_process:.2f} s "
            f"({self.pages / in_process if in_process else 0:.1f} pages/s) |",
            f"| end to end `budget-etl run` (extract + load + dbt + Dagster) | {self.end_to_end_s:.2f} s "
            f"({self.pages / self.end_to_end_s if self.end_to_end_s else 0:.1f} pages/s) |",
            f"| second run, nothing new | {self.rerun_s:.2f} s |",
            f"| plain Camelot lattice, same files | {self.camelot_plain_s:.2f} s "
            f"({self.camelot_plain_s / self.pages if self.pages else 0:.3f} s/page) |",
            f"| ratio plain Camelot / end to end | {ratio:.1f}x |",
            f"| peak memory (largest process) | {self.peak_rss_mb:.0f} MiB |",
        ]
        return rows


def synthetic_inbox(folder: Path, count: int, seed: int) -> list[Path]:
    sys.path.insert(0, str(REPO))
    from tests.support.synthetic import generate, random_layout

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"synthetic_{seed}_{i:04d}.pdf"
        generate(path, seed + i, random_layout(seed + i))
        paths.append(path)
    return paths


def stage_times(pdfs: list[Path], warehouse: Path) -> tuple[dict[str, float], int]:
    timings: dict[str, float] = {}
    pages = 0
    for pdf in pdfs:
        doc = extract_document(pdf, timings)
        pages += doc.pages
        started = time.perf_counter()
        sha = sha256_of(pdf)
        store(
            Prepared(doc, None if doc.recognized_tables else "no budget tables", doc.pages),
            pdf.name,
            sha,
            warehouse,
        )
        timings["load"] = timings.get("load", 0.0) + time.perf_counter() - started
    return timings, pages


def plain_camelot(pdfs: list[Path]) -> float:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for pdf in pdfs:
            camelot.read_pdf(str(pdf), pages="all", flavor="lattice")
    return time.perf_counter() - started


def end_to_end(inbox: Path, work: Path) -> tuple[float, float]:
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home")}
    (work / "dagster_home").mkdir(exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "budget-etl"),
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(work / "e2e.duckdb"),
    ]
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        timings.append(time.perf_counter() - started)
    return timings[0], timings[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20, help="synthetic documents to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real", type=Path, help="benchmark these PDFs instead of synthetic ones")
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument("--results", type=Path, help="append the report to this Markdown file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    try:
        if args.real:
            inbox = work / "inbox"
            inbox.mkdir()
            pdfs = []
            for pdf in sorted(args.real.glob("*.pdf")):
                shutil.copy(pdf, inbox / pdf.name)
                pdfs.append(inbox / pdf.name)
            label = f"real documents ({args.real})"
        else:
            started = time.perf_counter()
            pdfs = synthetic_inbox(work / "inbox", args.documents, args.seed)
            print(f"generated {len(pdfs)} synthetic documents in {time.perf_counter() - started:.1f} s")
            inbox = work / "inbox"
            label = f"synthetic documents (seed {args.seed})"
        report = Report(label, len(pdfs))
        report.stages, report.pages = stage_times(pdfs, work / "stages.duckdb")
        if not args.skip_end_to_end:
            report.end_to_end_s, report.rerun_s = end_to_end(inbox, work)
        report.camelot_plain_s = plain_camelot(pdfs)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        report.peak_rss_mb = max(own, children) / 1024
        lines = report.lines()
        print("\n".join(lines))
        if args.results:
            machine = f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()})"
            header = f"\n### {time.strftime('%Y-%m-%d %H:%M')} on {machine}\n"
            with args.results.open("a", encoding="utf-8") as handle:
                handle.write(header + "\n".join(lines) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
