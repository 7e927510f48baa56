"""Extraction speed per page, document by document: seconds per page by stage (classify, Camelot,
parse), and the documents slower than a threshold with where their time went. Prints numbers;
asserts nothing.

    .venv/bin/python -m benchmarks.pages                          # ../shared/real and ../shared/real2
    .venv/bin/python -m benchmarks.pages --slow 0.2 DIR [DIR ...]

Each document is extracted in this process (no isolation child, no DuckDB), twice when --repeat 2,
keeping the faster time: the machine's other load shows up as noise otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.machine import DEFAULT_REAL, load_average, machine
from extract.pipeline import extract_document

DEFAULT_FOLDERS = (DEFAULT_REAL, DEFAULT_REAL.parent / "real2")


def timed(pdf: Path, repeat: int) -> tuple[float, dict[str, float], int, int]:
    """Best wall time of `repeat` extractions, its stage times, pages and tables found."""
    best: tuple[float, dict[str, float], int, int] | None = None
    for _ in range(repeat):
        stages: dict[str, float] = {}
        started = time.perf_counter()
        doc = extract_document(pdf, stages)
        seconds = time.perf_counter() - started
        if best is None or seconds < best[0]:
            best = (seconds, stages, doc.pages, len(doc.recognized_tables))
    assert best is not None
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--slow", type=float, default=0.2, help="report documents over this s/page")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    pdfs = sorted(pdf for folder in args.folders if folder.is_dir() for pdf in folder.glob("*.pdf"))
    print(f"machine: {machine()}; load average {load_average()}")
    print(f"{'document':52} {'pages':>5} {'tables':>6} {'s':>6} {'s/page':>7}  classify / camelot / parse")
    rates = []
    slow = []
    for pdf in pdfs:
        seconds, stages, pages, tables = timed(pdf, args.repeat)
        rate = seconds / max(pages, 1)
        rates.append(rate)
        split = " / ".join(f"{stages.get(stage, 0.0):.2f}" for stage in ("classify", "camelot", "parse"))
        print(f"{pdf.name[:52]:52} {pages:5d} {tables:6d} {seconds:6.2f} {rate:7.3f}  {split}")
        if rate > args.slow:
            slow.append((pdf.name, rate, max(stages, key=stages.get) if stages else "?"))
    if rates:
        print(f"median {statistics.median(rates):.3f} s/page over {len(rates)} documents")
    for name, rate, stage in slow:
        print(f"over {args.slow} s/page: {name} ({rate:.3f} s/page; most of it in {stage})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
