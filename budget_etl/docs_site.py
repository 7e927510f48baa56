"""`budget-etl docs [--serve]`: the dbt docs site, with the catalog of the real warehouse.

`dbt docs generate` runs on a snapshot (a file copy) of the warehouse, so it never locks the file a
run is about to replace, and writes into its own target directory (default
`dbt_project/target/docs/`), apart from the manifest Dagster reads. `--serve` serves that directory
on 127.0.0.1 with Python's http.server.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from store.paths import DBT_PROJECT_DIR, WAREHOUSE_ENV, warehouse_path
from store.standby import resolved

DEFAULT_DOCS_DIR = DBT_PROJECT_DIR / "target" / "docs"
DEFAULT_PORT = 8080
HOST = "127.0.0.1"
SITE_FILES = ("index.html", "manifest.json", "catalog.json")
SNAPSHOT_DIR = ".warehouse_snapshot"
ERROR_LINES = 40


class DocsError(Exception):
    """The docs could not be generated (no warehouse, dbt failed)."""


@dataclass(frozen=True)
class DocsSite:
    directory: Path
    models: int
    sources: int
    exposures: int
    catalog_tables: int


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def snapshot(warehouse: Path, directory: Path) -> Path:
    """Copy the warehouse (and its WAL, if any) under the same file name: dbt-duckdb names the database
    after the file, so the catalog reads like the real one."""
    if not warehouse.exists():
        raise DocsError(f"no warehouse at {warehouse} (run `budget-etl run` first)")
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / warehouse.name
    shutil.copyfile(warehouse, copy)
    version = resolved(warehouse) or warehouse  # the path is a link to the published version
    wal = version.with_name(version.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def run_dbt_docs_generate(warehouse_copy: Path, out_dir: Path, echo: Callable[[str], None]) -> None:
    """`dbt docs generate` into `out_dir`, its progress lines passed to `echo` as they come."""
    command = [
        dbt_executable(),
        "--no-use-colors",
        "docs",
        "generate",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(out_dir),
        "--log-path",
        str(out_dir / "logs"),
    ]
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse_copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    lines: deque[str] = deque(maxlen=ERROR_LINES)
    with subprocess.Popen(
        command,
        env=env,
        cwd=DBT_PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            echo(f"      dbt | {line.rstrip()}")
        returncode = proc.wait()
    if returncode != 0:
        tail = "\n".join(lines)
        raise DocsError(f"dbt docs generate failed (exit {returncode}):\n{tail}")


def describe_site(out_dir: Path) -> DocsSite:
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((out_dir / "catalog.json").read_text(encoding="utf-8"))
    nodes = manifest["nodes"].values()
    return DocsSite(
        directory=out_dir,
        models=sum(1 for n in nodes if n["resource_type"] == "model"),
        sources=len(manifest["sources"]),
        exposures=len(manifest["exposures"]),
        catalog_tables=len(catalog["nodes"]) + len(catalog["sources"]),
    )


def generate(warehouse: Path, out_dir: Path, echo: Callable[[str], None]) -> DocsSite:
    """dbt docs generate against a snapshot of `warehouse`, into `out_dir`; steps timed on `echo`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    snapshot_dir = out_dir / SNAPSHOT_DIR
    started = time.monotonic()
    try:
        copy = snapshot(warehouse, snapshot_dir)
        size_mb = copy.stat().st_size / 1e6
        echo(f"[1/3] snapshot of {warehouse} ({size_mb:.1f} MB): {time.monotonic() - started:.1f} s")
        step = time.monotonic()
        run_dbt_docs_generate(copy, out_dir, echo)
        echo(f"[2/3] dbt docs generate: {time.monotonic() - step:.1f} s")
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)
    step = time.monotonic()
    missing = [name for name in SITE_FILES if not (out_dir / name).exists()]
    if missing:
        raise DocsError(f"dbt docs generate wrote no {', '.join(missing)} in {out_dir}")
    site = describe_site(out_dir)
    echo(
        f"[3/3] site checked: {site.models} models, {site.sources} sources, {site.exposures} exposures, "
        f"{site.catalog_tables} tables in the catalog: {time.monotonic() - step:.1f} s"
    )
    return site


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, no per-request log lines."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def make_server(directory: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(directory))
    return ThreadingHTTPServer((HOST, port), handler)


def serve(directory: Path, port: int) -> None:
    """Serve `directory` on 127.0.0.1 until interrupted; prints the URL first (port 0: any free port)."""
    with make_server(directory, port) as server:
        url = f"http://{HOST}:{server.server_address[1]}/"
        print(f"Serving the docs site {directory} at {url} (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped.", flush=True)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535; 0: any free port)")
    return port


def cmd_docs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    out_dir = Path(args.target_dir).resolve() if args.target_dir else DEFAULT_DOCS_DIR
    warehouse = warehouse_path(args.warehouse)
    if args.no_generate and not args.serve:
        parser.error("--no-generate only makes sense with --serve")

    def echo(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if not args.no_generate:
        started = time.monotonic()
        try:
            site = generate(warehouse, out_dir, echo)
        except (DocsError, OSError) as exc:
            print(f"budget-etl docs: {exc}", file=sys.stderr)
            return 1
        print(f"Docs site: {site.directory / 'index.html'} ({time.monotonic() - started:.1f} s)", flush=True)
    elif not (out_dir / "index.html").exists():
        print(f"budget-etl docs: no docs site in {out_dir} (run `budget-etl docs` first)", file=sys.stderr)
        return 1
    if args.serve:
        try:
            serve(out_dir, args.port)
        except OSError as exc:
            print(f"budget-etl docs: cannot serve on {HOST}:{args.port}: {exc}", file=sys.stderr)
            return 1
    return 0


def add_docs_parser(sub: Any, warehouse_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("docs", help="generate the dbt docs site (catalog of the warehouse); --serve it")
    p.add_argument("--serve", action="store_true", help=f"then serve it on {HOST} until Ctrl-C")
    p.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port for --serve (default: {DEFAULT_PORT}; 0: any free port)",
    )
    p.add_argument(
        "--target-dir",
        metavar="DIR",
        help="where the site is written (default: dbt_project/target/docs/)",
    )
    p.add_argument("--no-generate", action="store_true", help="with --serve: serve the last generated site")
    warehouse_flag(p)
    p.set_defaults(func=cmd_docs)
