"""What making a built warehouse visible costs, by way of doing it, on files of 1 and 4.5 GB.

Run through `python -m benchmarks.bench publish` (benchmarks/bench.py). Per size, a warehouse of
replicated documents (benchmarks/replicate.py: raw.* and audit.* rows keyed by document_id; a
filler table tops the file up to the size) in a temporary folder under --work-dir, then:

- the copy a run makes today (store/publish.py: published → `.building`): shutil.copyfile,
  os.copy_file_range, `cp --reflink=auto` (a real copy on ext4, which has no reflinks), each
  followed by the fsync that publishing does, timed apart (the copy is from the page cache: the
  file was just written; the fsync is what the disk pays); then shutil.copyfile once more with the
  source evicted from the page cache first, as a nightly run may find it;
- the rename that publishes (os.replace over the published file + fsync of the folder);
- A/B: two files, the stale one brought up to date by copying only the documents changed since it
  was last published (--changed documents: per table keyed by document_id, delete them and insert
  them from the published file; the few tables without a document_id copied whole), then
  switched to by renaming a symbolic link over the published name; and the same with hard links
  (the previous version kept as `budget.duckdb.previous`, the published name a plain file).

Bytes written: this process's write_bytes (/proc/self/io; it includes the reaped `cp`'s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks.replicate import replicate
from store.standby import fsync

GB = 10**9


def _written() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def _copy_file_range(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        remaining = os.fstat(src.fileno()).st_size
        while remaining > 0:
            done = os.copy_file_range(src.fileno(), dst.fileno(), min(remaining, 1 << 30))
            if done == 0:
                break
            remaining -= done


def _cp_reflink(source: Path, target: Path) -> None:
    subprocess.run(["cp", "--reflink=auto", str(source), str(target)], check=True)


def make_file(sources: Path, target: Path, size_gb: float, probe_documents: int = 1000) -> str:
    """A warehouse of replicated documents of about `size_gb` GB; what it holds, in words."""
    probe = target.with_name("probe.duckdb")
    replicate(sources, probe, probe_documents)
    per_document = probe.stat().st_size / probe_documents
    probe.unlink()
    documents = max(probe_documents, min(100_000, int(size_gb * GB / per_document)))
    started = time.perf_counter()
    replicate(sources, target, documents)
    replicated_gb = target.stat().st_size / GB
    with duckdb.connect(str(target)) as con:  # random doubles: DuckDB cannot compress them much
        con.execute("create table main.filler (x double, y double, z double, w double)")
        while target.stat().st_size < size_gb * GB:
            rows = int(min(50_000_000, max(1_000_000, (size_gb * GB - target.stat().st_size) / 40)))
            con.execute(
                f"insert into main.filler select random(), random(), random(), random() from range({rows})"
            )
            con.execute("checkpoint")
    return (
        f"{documents:,} replicated documents ({replicated_gb:.2f} GB) + filler = "
        f"{target.stat().st_size / GB:.2f} GB, made in {time.perf_counter() - started:.0f} s"
    )


def add_documents(published: Path, sources: Path, changed: int) -> list[str]:
    """What a run changes in the published file: `changed` new documents (replicas of sources)."""
    extra = published.with_name("extra.duckdb")
    replicate(sources, extra, changed)
    with duckdb.connect(str(published)) as con:
        con.execute("attach ? as extra (read_only)", [str(extra)])
        ids = [r[0] for r in con.execute("select document_id || '-new' from extra.raw.documents").fetchall()]
        for schema, table in keyed_tables(con, "extra"):
            columns = {r[0] for r in con.execute(f'describe extra."{schema}"."{table}"').fetchall()}
            renamed = ["document_id || '-new' as document_id"]
            renamed += ["sha256 || '-new' as sha256"] if "sha256" in columns else []
            con.execute(
                f'insert into "{schema}"."{table}" by name select * replace ({", ".join(renamed)}) '
                f'from extra."{schema}"."{table}"'
            )
        con.execute("detach extra")
        con.execute("checkpoint")
    extra.unlink()
    return ids


def keyed_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "select distinct table_schema, table_name from information_schema.columns where table_catalog = ? "
        "and column_name = 'document_id' and table_schema in ('raw', 'audit') order by 1, 2",
        [catalog],
    ).fetchall()


def catch_up(stale: Path, current: Path, changed: list[str]) -> None:
    """Bring `stale` up to `current` for the documents `changed` since it was published."""
    with duckdb.connect(str(stale)) as con:
        con.execute("attach ? as cur (read_only)", [str(current)])
        con.execute("create temp table changed (document_id varchar primary key)")
        con.executemany("insert into changed values (?)", [[i] for i in changed])
        con.execute("begin")
        for schema, table in keyed_tables(con, "cur"):
            name = f'"{schema}"."{table}"'
            con.execute(f"delete from {name} where document_id in (select document_id from changed)")
            con.execute(
                f"insert into {name} by name select * from cur.{name} "
                "where document_id in (select document_id from changed)"
            )
        con.execute("commit")
        con.execute("checkpoint")


def _timed(action: Callable[[], object]) -> tuple[float, int]:
    before = _written()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started, _written() - before


def one_size(sources: Path, folder: Path, size_gb: float, changed: int) -> list[str]:
    published = folder / "budget.a.duckdb"
    made = make_file(sources, published, size_gb)
    size = published.stat().st_size
    rows = [
        f"### {size / GB:.2f} GB: {made}",
        "",
        "| way | seconds | fsync after (s) | written MB | note |",
        "|---|---:|---:|---:|---|",
    ]
    copy = folder / "budget.duckdb.building"
    for label, way in (
        ("shutil.copyfile (today)", shutil.copyfile),
        ("os.copy_file_range", _copy_file_range),
        ("cp --reflink=auto", _cp_reflink),
    ):
        times = []
        for _ in range(2):
            seconds, written = _timed(lambda way=way: way(published, copy))
            fsync_s, _ = _timed(lambda: fsync(copy))
            times.append((seconds, fsync_s))
            copy.unlink()
        rows.append(
            f"| {label} | {' / '.join(f'{t[0]:.2f}' for t in times)} | "
            f"{' / '.join(f'{t[1]:.2f}' for t in times)} | {written / 1e6:.0f} | two tries |"
        )
    # A nightly run finds the published file cold: evicted from the page cache (this file only).
    fsync(published)
    fd = os.open(published, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
    seconds, written = _timed(lambda: shutil.copyfile(published, copy))
    fsync_s, _ = _timed(lambda: fsync(copy))
    rows.append(
        f"| shutil.copyfile, the published file cold (posix_fadvise DONTNEED first) | {seconds:.2f} | "
        f"{fsync_s:.2f} | {written / 1e6:.0f} | reads the file from disk |"
    )
    copy.unlink()
    # The rename that publishes: a built copy over the published file (whose blocks are then freed).
    shutil.copyfile(published, copy)
    target = folder / "budget.duckdb"
    shutil.copyfile(published, target)
    fsync(copy)
    fsync(target)
    seconds, _ = _timed(lambda: (os.replace(copy, target), fsync(folder)))
    rows.append(f"| os.replace over the published file + fsync of the folder | {seconds:.3f} | | | |")
    target.unlink()

    # A/B: budget.b.duckdb is the stale twin (published before the last run); the run adds
    # `changed` documents to budget.a.duckdb; the next run first brings b up to date.
    stale = folder / "budget.b.duckdb"
    shutil.copyfile(published, stale)
    ids = add_documents(published, sources, changed)
    before = stale.stat().st_size
    seconds, written = _timed(lambda: catch_up(stale, published, ids))
    fsync_s, _ = _timed(lambda: fsync(stale))
    grown = (stale.stat().st_size - before) / 1e6
    rows.append(
        f"| A/B catch-up: {changed} documents' rows into the stale file | {seconds:.2f} | {fsync_s:.2f} | "
        f"{written / 1e6:.0f} | file grew {grown:.0f} MB |"
    )
    link = folder / "budget.duckdb"
    os.symlink(published.name, link)

    def switch() -> None:
        tmp = folder / "budget.duckdb.switch"
        os.symlink(stale.name, tmp)
        os.replace(tmp, link)
        fsync(folder)

    seconds, _ = _timed(switch)
    rows.append(
        f"| A/B switch: symlink renamed over `budget.duckdb` + fsync of the folder | {seconds:.4f} | | | |"
    )
    link.unlink()
    os.replace(published, folder / "budget.duckdb")
    previous = folder / "budget.duckdb.previous"

    def rotate() -> None:
        os.link(folder / "budget.duckdb", previous)
        os.replace(stale, folder / "budget.duckdb")
        fsync(folder)

    seconds, _ = _timed(rotate)
    rows.append(
        "| hard-link rotation: published linked as `.previous`, built file renamed over it | "
        f"{seconds:.4f} | | | the old version stays on disk for the next catch-up |"
    )
    return rows


def catalog_checks(folder: Path) -> list[str]:
    """How DuckDB names the catalog of a file opened through a symlink or under another name."""
    built = folder / "x.b.duckdb"
    with duckdb.connect(str(built)) as con:
        con.execute("create schema marts; create table marts.t as select 1 as a")
        con.execute('create view marts.v as select * from "x".marts.t')  # qualified, as dbt writes it
        built_name = con.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        stored = con.execute("select sql from duckdb_views() where view_name = 'v'").fetchone()[0]  # type: ignore[index]
    os.symlink(built.name, folder / "budget.duckdb")
    with duckdb.connect(str(folder / "budget.duckdb"), read_only=True) as con:
        via_link = con.execute("select current_database(), (select count(*) from marts.v)").fetchone()
        path = con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    shutil.copyfile(built, folder / "other.duckdb")
    with duckdb.connect(str(folder / "other.duckdb"), read_only=True) as con:
        renamed = con.execute("select current_database(), (select count(*) from marts.v)").fetchone()
    return [
        f'- a view `marts.v` over `"x".marts.t` built in `x.b.duckdb` (catalog `{built_name}`) is stored '
        f"as `{stored.strip()}`",
        f"- opened through the symlink `budget.duckdb` → `x.b.duckdb`: catalog `{via_link[0]}` "  # type: ignore[index]
        f"(path `{Path(path[0]).name}`), the view answers {via_link[1]} row(s)",  # type: ignore[index]
        f"- the same file copied to `other.duckdb`: catalog `{renamed[0]}`, "  # type: ignore[index]
        f"the view answers {renamed[1]} row(s)",  # type: ignore[index]
    ]


def publish(args: argparse.Namespace, work: Path) -> list[str]:
    from benchmarks.scale_bench import prepare

    sources, _, extraction_s = prepare(work, 30, 1000)
    rows = [
        "## publish: making a built warehouse file visible",
        "",
        f"Sources: 30 synthetic budgets extracted in {extraction_s:.0f} s. Filesystem of "
        f"{args.work_dir}: {_filesystem(args.work_dir)}.",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="budget-catalog-", dir=args.work_dir) as folder:
        rows += ["Catalog names:", "", *catalog_checks(Path(folder)), ""]
    for size_gb in (float(s) for s in args.sizes_gb.split(",") if s.strip()):
        with tempfile.TemporaryDirectory(prefix=f"budget-publish-{size_gb}-", dir=args.work_dir) as folder:
            rows += one_size(sources, Path(folder), size_gb, args.changed)
            rows.append("")
            print("\n".join(rows[-12:]), flush=True)
    return rows


def _filesystem(path: Path) -> str:
    out = subprocess.run(["df", "-T", str(path)], capture_output=True, text=True, check=False).stdout
    fields = out.splitlines()[-1].split() if out else []
    return f"{fields[1]} on {fields[0]}" if len(fields) > 1 else "?"
