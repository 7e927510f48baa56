"""The warehouse as two files, and bringing the standby up to the published one by copying what
changed, not all.

    budget.duckdb               a symbolic link: what readers open, always a whole version
    budget.duckdb.a, .b         the two versions: the published one (the link's target) and the
                                standby, the version published before it
    budget.duckdb.b.unpublished the standby may hold writes never published (a run on it began)

A run builds on the standby (store/publish.py), so it first makes the standby's Python-written
tables (raw.*, audit.*: store/schema.py) equal to the published ones:

- raw.* rows are written a document at a time, in the transaction that records the document's load
  outcome (audit.document_loads, one row per document). So the documents whose raw rows may differ
  are those whose load row differs between the two files (new, reloaded, or only in the standby):
  their rows are deleted from the standby and copied from the published file, nothing else.
- audit.* tables (a row per document, file, decision or run): the rows that differ are deleted or
  copied (every column compared; a table holding a row twice is replaced whole).

dbt then builds the standby from its own last build (its models are the standby's); documents loaded
by the run come after. The cost follows the change, not the warehouse's size. When the two files
cannot be compared (their tables' columns differ: another extractor or schema version), `catch_up`
says so and the caller copies the whole file instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from store.duckdb_format import copy_warehouse
from store.schema import AUDIT_TABLES, RAW_TABLES

_PUBLISHED = "published_db"
VERSION_SUFFIXES = (".a", ".b")
UNPUBLISHED_SUFFIX = ".unpublished"


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def resolved(link: Path) -> Path | None:
    """The file a reader opening `link` gets (None when there is none)."""
    target = link.parent / os.readlink(link) if link.is_symlink() else link
    return target if target.is_file() else None


def fsync(path: Path) -> None:
    """A file's data, or a folder's entries (a rename), on disk before going on."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _versions(published: Path) -> tuple[Path, Path]:
    a, b = (published.with_name(published.name + suffix) for suffix in VERSION_SUFFIXES)
    return a, b


def _unpublished(version: Path) -> Path:
    return version.with_name(version.name + UNPUBLISHED_SUFFIX)


def point(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` (same folder) in one atomic rename."""
    swap = link.with_name(link.name + ".swap")
    swap.unlink(missing_ok=True)
    os.symlink(target.name, swap)
    os.replace(swap, link)


def _adopt(published: Path) -> Path | None:
    """A warehouse published as one regular file (before the two-file layout) becomes version `.a`:
    hard-linked under that name, then its own name replaced by a link to it in one rename, so a
    reader never finds it missing. Returns the published version (None: no warehouse yet)."""
    if published.is_symlink() or not published.exists():
        return resolved(published)
    first = _versions(published)[0]
    first.unlink(missing_ok=True)
    os.link(published, first)
    point(published, first)
    return first


def _remove(version: Path) -> None:
    version.unlink(missing_ok=True)
    wal(version).unlink(missing_ok=True)


def prepare_standby(published: Path) -> tuple[Path, str]:
    """The version a run builds on, made equal to the published one (or absent: a new warehouse),
    and marked unpublished. Returns it with how it was made: caught up, copied or new."""
    current = _adopt(published)
    a, b = _versions(published)
    standby = b if current == a else a
    marker = _unpublished(standby)
    clean = standby.exists() and not marker.exists()  # else a run on it began and never published
    marker.touch()
    if current is None:
        _remove(standby)
        return standby, "new"
    copied = None
    if clean:
        try:
            copied = catch_up(standby, current)
        except duckdb.Error:  # a reader still holds it open, or it is damaged: copy instead
            copied = None
    if copied is not None:
        return standby, f"caught up ({copied} documents copied)"
    _remove(standby)  # a reader holding it keeps its own (unlinked) file
    copy_warehouse(current, standby)
    return standby, "copied"


def promote(published: Path, standby: Path) -> None:
    """Readers open `standby` from now on: the link replaced in one rename, then the folder
    synced; the version is no longer unpublished."""
    point(published, standby)
    fsync(published.parent)
    _unpublished(standby).unlink(missing_ok=True)


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def _same_tables(con: duckdb.DuckDBPyConnection, standby_catalog: str) -> bool:
    for schema, tables in (("raw", RAW_TABLES), ("audit", AUDIT_TABLES)):
        for table in tables:
            ours = _columns(con, standby_catalog, schema, table)
            theirs = _columns(con, _PUBLISHED, schema, table)
            if not ours or ours != theirs:
                return False
    return True


def _sync_rows(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> None:
    """Make the standby's `table` (schema.name) hold the published one's rows, writing only the rows
    that differ (an audit table has a row per document: rewriting it whole made the commit cost a
    second and more at 100,000 documents). Rows compare on every column, NULL equal to NULL; a table
    holding the same row twice is copied whole instead."""
    schema, name = table.split(".")
    columns = [column for column, _ in _columns(con, catalog, schema, name)]
    same = " and ".join(f"ours.{c} is not distinct from theirs.{c}" for c in columns)
    theirs_table = f"{_PUBLISHED}.{table}"
    con.execute(
        f"delete from {table} where rowid in (select ours.rowid from {table} as ours "
        f"where not exists (select 1 from {theirs_table} as theirs where {same}))"
    )
    con.execute(
        f"insert into {table} select * from {theirs_table} as theirs "
        f"where not exists (select 1 from {table} as ours where {same})"
    )
    counts = con.execute(f"select (select count(*) from {table}), (select count(*) from {theirs_table})")
    ours_count, theirs_count = counts.fetchall()[0]
    if ours_count != theirs_count:  # repeated rows: a set difference cannot tell how many
        con.execute(f"delete from {table}")
        con.execute(f"insert into {table} select * from {theirs_table}")


def catch_up(standby: Path, published: Path) -> int | None:
    """Make the standby's raw.* and audit.* equal to the published file's, copying only the rows of
    documents whose load differs. Returns how many documents were copied, or None when the files
    cannot be compared (the caller copies the whole file). Raises duckdb.Error when the standby
    cannot be opened for writing (a reader still holds it)."""
    with duckdb.connect(str(standby)) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        con.execute(f"attach ? as {_PUBLISHED} (read_only)", [str(published)])
        try:
            if not _same_tables(con, catalog):
                return None
            con.execute("begin transaction")
            theirs, ours = f"{_PUBLISHED}.audit.document_loads", "audit.document_loads"
            con.execute(
                f"""
                create temp table changed_documents as
                select document_id from (
                    (select * from {theirs} except select * from {ours})
                    union all
                    (select * from {ours} except select * from {theirs})
                ) group by document_id
                """
            )
            changed = "document_id in (select document_id from changed_documents)"
            for table in RAW_TABLES:
                con.execute(f"delete from raw.{table} where {changed}")
                con.execute(f"insert into raw.{table} select * from {_PUBLISHED}.raw.{table} where {changed}")
            for table in AUDIT_TABLES:
                _sync_rows(con, catalog, f"audit.{table}")
            copied = con.execute("select count(*) from changed_documents").fetchone()[0]
            con.execute("commit")
        finally:
            con.execute(f"detach {_PUBLISHED}")
        con.execute("checkpoint")
    return int(copied)
