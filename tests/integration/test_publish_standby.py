"""Publishing that does not grow with the warehouse (issue 16): two versions, the standby brought up
to date by copying only the documents whose load differs, switched by one rename of a link.

Real DuckDB files and real processes (a reader holding a version open); no dbt here: the runs'
end-to-end behaviour is in test_run_sample, test_operations and test_fault_injection."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from store.load import connect
from store.publish import Workspace
from store.standby import prepare_standby, resolved


def _load(warehouse: Path, document_id: str, cells: int, when: str = "2026-01-01") -> None:
    """A document's raw rows and load outcome, as store/load.py writes them (one transaction)."""
    with connect(warehouse) as con:
        con.execute("begin")
        for table in ("raw.cells", "raw.documents"):
            con.execute(f"delete from {table} where document_id = ?", [document_id])
        con.execute("delete from audit.document_loads where document_id = ?", [document_id])
        con.execute(
            "insert into raw.documents (document_id, file_name) values (?, ?)",
            [document_id, f"{document_id}.pdf"],
        )
        con.executemany(
            "insert into raw.cells (document_id, row_index, text) values (?, ?, ?)",
            [(document_id, i, f"{document_id}-{i}") for i in range(cells)],
        )
        con.execute(
            "insert into audit.document_loads (document_id, file_name, outcome, loaded_at) "
            "values (?, ?, ?, ?)",
            [document_id, f"{document_id}.pdf", "loaded", datetime.fromisoformat(when)],
        )
        con.execute("commit")


def _run(workspace: Workspace, run_id: str, *loads: tuple[str, int, str]) -> Path:
    workspace.claim(run_id)
    building = workspace.begin(run_id)
    for document_id, cells, when in loads:
        _load(building, document_id, cells, when)
    workspace.publish(run_id)
    workspace.release(run_id)
    return resolved(workspace.published)


def _contents(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: sorted(con.execute(f"select * from {table}").fetchall(), key=repr)
            for table in ("raw.documents", "raw.cells", "audit.document_loads", "audit.acceptances")
        }


def test_versions_alternate_and_readers_always_open_a_whole_one(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    first = _run(workspace, "r1", ("d1", 3, "2026-01-01"))
    assert workspace.published.is_symlink() and first.name == "budget.duckdb.a"
    second = _run(workspace, "r2", ("d2", 2, "2026-01-02"))
    assert second.name == "budget.duckdb.b"
    assert [row[0] for row in _contents(workspace.published)["raw.documents"]] == ["d1", "d2"]
    assert not workspace.building.exists() and not list(tmp_path.glob("*.unpublished"))
    with duckdb.connect(str(workspace.published), read_only=True) as con:
        assert con.execute("select current_database()").fetchone()[0] == "budget"


def test_the_standby_copies_only_the_documents_whose_load_differs(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    _run(workspace, "r1", ("d1", 50, "2026-01-01"), ("d2", 50, "2026-01-01"))
    _run(workspace, "r2", ("d3", 50, "2026-01-02"))  # the standby was absent: copied whole
    with duckdb.connect(str(workspace.published)) as con:  # `accept` writes the published version in place
        con.execute("insert into audit.acceptances values ('d1', 'checked', 'me', now())")
    _run(workspace, "r3", ("d2", 7, "2026-01-03"))  # d2 extracted again

    standby, how = prepare_standby(workspace.published)
    # the standby (r2's version) lacked r3's reload of d2: only d2 is copied, and the audit tables
    assert how == "caught up (1 documents copied)", how
    assert _contents(standby) == _contents(workspace.published)
    assert len(_contents(standby)["raw.cells"]) == 50 + 7 + 50


def test_documents_only_in_the_standby_are_removed(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    _run(workspace, "r1", ("d1", 5, "2026-01-01"))
    _run(workspace, "r2", ("d2", 5, "2026-01-02"))
    standby = resolved(workspace.published).with_name("budget.duckdb.a")
    _load(standby, "stray", 4)  # written outside any run (by hand)
    prepared, how = prepare_standby(workspace.published)
    assert prepared == standby and how == "caught up (2 documents copied)", how
    assert _contents(standby) == _contents(workspace.published)


def test_a_run_that_never_published_leaves_its_version_copied_whole_next_time(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    _run(workspace, "r1", ("d1", 5, "2026-01-01"))
    _run(workspace, "r2", ("d2", 5, "2026-01-02"))
    published_before = _contents(workspace.published)
    workspace.claim("r3")
    building = workspace.begin("r3")
    _load(building, "half", 9)
    workspace.release("r3")  # failed: not published
    assert _contents(workspace.published) == published_before
    standby, how = prepare_standby(workspace.published)
    assert how == "copied" and _contents(standby) == published_before


READER = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); "
    "sys.stdin.readline(); print(con.execute('select count(*) from raw.cells').fetchone()[0], flush=True)"
)


def test_a_reader_holding_the_standby_keeps_its_version(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    _run(workspace, "r1", ("d1", 5, "2026-01-01"))
    old = resolved(workspace.published)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(workspace.published),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        _run(workspace, "r2", ("d2", 5, "2026-01-02"))  # the reader's version becomes the standby
        standby, how = prepare_standby(workspace.published)  # held by the reader: copied, not written
        assert standby.name == old.name and how == "copied"
        _load(standby, "d3", 11)
        out, _ = reader.communicate("go\n", timeout=60)
        assert out.strip() == "5"  # what it opened, whatever happened since
    finally:
        reader.kill()


def test_a_warehouse_of_one_file_is_adopted_without_a_moment_missing(tmp_path: Path) -> None:
    published = tmp_path / "budget.duckdb"
    _load(published, "d1", 5)
    before = _contents(published)
    inode = published.stat().st_ino
    workspace = Workspace(published)
    _run(workspace, "r1", ("d2", 5, "2026-01-02"))
    assert published.is_symlink()
    assert (tmp_path / "budget.duckdb.a").stat().st_ino == inode  # the old file, hard-linked
    assert _contents(tmp_path / "budget.duckdb.a") == before
    assert {r[0] for r in _contents(published)["raw.documents"]} == {"d1", "d2"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_a_run_killed_during_catch_up_leaves_the_published_version_intact(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    _run(workspace, "r1", ("d1", 5, "2026-01-01"))
    _run(workspace, "r2", ("d2", 5, "2026-01-02"))
    before = _contents(workspace.published)
    pid = os.fork()
    if pid == 0:  # the run: claims, prepares the standby, loads, dies before publishing
        try:
            workspace.claim("r3")
            _load(workspace.begin("r3"), "lost", 3)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert _contents(workspace.published) == before
    _run(workspace, "r4", ("d4", 1, "2026-01-04"))
    assert {r[0] for r in _contents(workspace.published)["raw.documents"]} == {"d1", "d2", "d4"}
