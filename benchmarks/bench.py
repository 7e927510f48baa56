"""Benchmarks: the pipeline against plain Camelot on the same files, and analysts' queries on a big
warehouse. Prints numbers (Markdown); asserts nothing. `make bench` runs `all`.

    .venv/bin/python -m benchmarks.bench pipeline --real ../shared/real   # the real published PDFs
    .venv/bin/python -m benchmarks.bench pipeline --documents 100         # synthetic documents
    .venv/bin/python -m benchmarks.bench query --documents 1000           # 1,000-document warehouse
    .venv/bin/python -m benchmarks.bench all                              # the three above
    .venv/bin/python -m benchmarks.bench scale --documents 1000,10000     # nightly runs at scale
    .venv/bin/python -m benchmarks.bench publish --sizes-gb 1,4.5         # ways to publish a file

pipeline — stages in this process, one document at a time: classify (text layer and drawings of
every page), camelot (table grids), parse (stitching, headers, typed rows), load (DuckDB), then
`dbt build` once on that warehouse. Then the same files end to end through `budget-etl run`
(Dagster run: parallel extraction, load, dbt build, publish) while the memory of its process tree
is sampled, a second run with nothing new (the nightly run on a quiet day) and a third that loads
every document again into the same warehouse path (a nightly run's steady state); Dagster overhead =
end to end − (stages + dbt build), and the run's own step timings from its event log. Last, plain
`camelot.read_pdf(pages="all", flavor="lattice")` on the same files, and the ratios.

query — extracts a few dozen synthetic documents, replicates their raw rows into a warehouse of N
documents (benchmarks/replicate.py), runs `dbt build` once, and times the analyst questions of
benchmarks/queries.py with a read-only connection (first run, then the median of several).

scale — warehouses of N replicated documents: full build, a nightly run with 10 new documents and
one with nothing new (benchmarks/scale_bench.py). publish — what making a built file visible
costs, by way of copying and renaming, and the A/B alternative (benchmarks/publish_bench.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import DEFAULT_REAL, load_average, machine
from benchmarks.pipeline_bench import pipeline
from benchmarks.publish_bench import publish
from benchmarks.query_bench import query
from benchmarks.scale_bench import scale


def emit(lines: list[str], command: str, results: Path | None) -> None:
    header = [
        f"### {time.strftime('%Y-%m-%d %H:%M %Z')} — `{command}`",
        "",
        f"Machine: {machine()}; load average at the end {load_average()}",
        "",
    ]
    text = "\n".join([*header, *lines]) + "\n"
    print("\n" + text, flush=True)
    if results:
        with results.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--results", type=Path, help="also append the report to this Markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed) for inspection")
    sub = parser.add_subparsers(dest="command", required=True)

    def pipeline_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--skip-end-to-end", action="store_true", help="no `budget-etl run`")
        p.add_argument("--skip-plain", action="store_true", help="no plain Camelot comparison")

    p = sub.add_parser("pipeline", help="stage timings, end to end, plain Camelot")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--real", type=Path, help="benchmark the PDFs in this folder")
    source.add_argument("--documents", type=int, default=20, help="synthetic documents to generate (20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--coded", action="store_true", help="synthetic layouts that print their codes")
    pipeline_flags(p)

    q = sub.add_parser("query", help="analyst queries on a warehouse of replicated documents")
    q.add_argument("--documents", type=int, default=1000, help="documents in the warehouse (1000)")
    q.add_argument("--sources", type=int, default=30, help="synthetic documents extracted (30)")
    q.add_argument("--years", type=int, default=5, help="fiscal years per department (5)")
    q.add_argument("--runs", type=int, default=9, help="timed runs per query after the first (9)")
    q.add_argument("--seed", type=int, default=1000)
    q.add_argument("--real", type=Path, help="also replicate the PDFs in this folder")

    s = sub.add_parser("scale", help="nightly runs on warehouses of N replicated documents")
    s.add_argument("--documents", default="1000,10000,100000", help="sizes N, comma-separated")
    s.add_argument("--sources", type=int, default=30, help="synthetic documents extracted (30)")
    s.add_argument("--seed", type=int, default=1000)
    s.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()), help="where sizes are built")
    s.add_argument("--timeout", type=float, default=3600, help="seconds per size (3600)")

    pub = sub.add_parser("publish", help="the cost of publishing a big warehouse file, by way")
    pub.add_argument("--sizes-gb", default="1,4.5", help="file sizes in GB, comma-separated")
    pub.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()))
    pub.add_argument("--changed", type=int, default=10, help="documents an A/B catch-up copies (10)")

    a = sub.add_parser("all", help="pipeline --real, pipeline --documents 100, query --documents 1000")
    a.add_argument("--real", type=Path, default=DEFAULT_REAL)
    a.add_argument("--documents", type=int, default=100)
    a.add_argument("--query-documents", type=int, default=1000)
    pipeline_flags(a)
    args = parser.parse_args()

    def one(command: str, namespace: argparse.Namespace) -> None:
        work = Path(tempfile.mkdtemp(prefix="budget-bench-"))
        try:
            if command == "query":
                lines = query(namespace, work).lines()
            elif command == "scale":
                lines = scale(namespace, work).lines()
            elif command == "publish":
                lines = publish(namespace, work)
            else:
                lines = pipeline(namespace, work).lines()
        finally:
            if args.keep:
                print(f"work folder kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        emit(lines, f"python -m benchmarks.bench {' '.join(describe(command, namespace))}", args.results)

    if args.command == "all":
        flags = {
            "skip_end_to_end": args.skip_end_to_end,
            "skip_plain": args.skip_plain,
            "seed": 1,
            "coded": False,
        }
        if args.real and args.real.is_dir():
            one("pipeline", argparse.Namespace(real=args.real, documents=None, **flags))
        else:
            print(f"no real documents at {args.real}: skipped", file=sys.stderr)
        one("pipeline", argparse.Namespace(real=None, documents=args.documents, **flags))
        one(
            "query",
            argparse.Namespace(
                documents=args.query_documents,
                sources=30,
                years=5,
                runs=9,
                seed=1000,
                real=args.real if args.real and args.real.is_dir() else None,
            ),
        )
    else:
        one(args.command, args)
    return 0


def describe(command: str, namespace: argparse.Namespace) -> list[str]:
    """The equivalent command line of one benchmark (for the report's header)."""
    words = [command]
    if command == "pipeline":
        words += (
            ["--real", str(namespace.real)] if namespace.real else ["--documents", str(namespace.documents)]
        )
        words += ["--skip-end-to-end"] if namespace.skip_end_to_end else []
        words += ["--skip-plain"] if namespace.skip_plain else []
        words += ["--coded"] if getattr(namespace, "coded", False) else []
    elif command == "scale":
        words += ["--documents", str(namespace.documents), "--sources", str(namespace.sources)]
        words += ["--work-dir", str(namespace.work_dir), "--timeout", f"{namespace.timeout:.0f}"]
    elif command == "publish":
        words += ["--sizes-gb", namespace.sizes_gb, "--work-dir", str(namespace.work_dir)]
    else:
        words += ["--documents", str(namespace.documents), "--sources", str(namespace.sources)]
        words += ["--real", str(namespace.real)] if namespace.real else []
    return words


if __name__ == "__main__":
    raise SystemExit(main())
