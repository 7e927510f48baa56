"""The store step loads a batch of documents through one connection; a document whose load fails
is rejected with the reason, and the documents after it load through a new connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import store.ingest
from extract.isolation import Limits
from extract.pdf.document import sha256_of
from store.ingest import PreparedFile, prepare, store_files
from store.plan import InboxFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _prepared(name: str) -> PreparedFile:
    path = FIXTURES / name
    info = path.stat()
    file = InboxFile(str(path), name, sha256_of(path), info.st_size, info.st_mtime_ns)
    prepared = prepare(path, Limits())
    assert prepared.reason is None, prepared.reason
    return PreparedFile(file, prepared, 0.5)


@pytest.fixture(scope="module")
def batch() -> list[PreparedFile]:
    return [_prepared("base.pdf"), _prepared("yuan.pdf")]


def _statuses(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select file_name, outcome, reason from audit.document_loads").fetchall()
    return {name: (outcome, reason) for name, outcome, reason in rows}


def test_a_batch_loads_every_document(batch: list[PreparedFile], tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    outcomes = store_files([p.file for p in batch], {p.file.document_id: p for p in batch}, warehouse)
    assert [o.status for o in outcomes] == ["loaded", "loaded"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = con.execute("select count(*) from raw.documents").fetchone()[0]
        cells = con.execute("select count(distinct document_id) from raw.cells").fetchone()[0]
    assert documents == 2 and cells == 2


def test_a_failed_load_is_that_documents_rejection_only(
    batch: list[PreparedFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_load = store.ingest.load_document
    failing = batch[0].file.document_id

    def load_or_break(con: duckdb.DuckDBPyConnection, doc: Any, document_id: str, sha256: str) -> int:
        if document_id == failing:
            con.close()  # the worst case: the connection is unusable afterwards
            raise RuntimeError("disk trouble")
        return real_load(con, doc, document_id, sha256)

    monkeypatch.setattr(store.ingest, "load_document", load_or_break)
    warehouse = tmp_path / "w.duckdb"
    outcomes = store_files([p.file for p in batch], {p.file.document_id: p for p in batch}, warehouse)

    by_name = {o.file_name: o for o in outcomes}
    assert by_name["base.pdf"].status == "rejected"
    assert by_name["base.pdf"].reason == "could not be loaded (RuntimeError: disk trouble)"
    assert by_name["yuan.pdf"].status == "loaded"
    statuses = _statuses(warehouse)
    assert statuses["base.pdf"][0] == "rejected" and statuses["yuan.pdf"] == ("loaded", None)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = {r[0] for r in con.execute("select distinct document_id from raw.cells").fetchall()}
    assert loaded == {batch[1].file.document_id}
