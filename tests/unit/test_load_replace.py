"""Loading a document replaces its rows in raw.* (store/load.py); a new document skips the deletes,
which relies on no document keeping raw rows without its raw.documents row, also after a raw
table's columns changed (store/schema.py re-creates it and empties the others)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extract.isolation import Limits
from store.ingest import prepare
from store.load import connect, load_document
from store.schema import RAW_TABLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENT_ID = "0123456789abcdef"


@pytest.fixture(scope="module")
def extracted():  # noqa: ANN201 - an ExtractedDocument
    prepared = prepare(FIXTURES / "base.pdf", Limits())
    assert prepared.doc is not None, prepared.reason
    return prepared.doc


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES}


def test_loading_again_replaces_the_rows(extracted, tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        load_document(con, extracted, DOCUMENT_ID, "sha")
        once = _counts(con)
        load_document(con, extracted, DOCUMENT_ID, "sha")
        assert _counts(con) == once
    assert once["cells"] > 100 and once["documents"] == 1


def test_a_changed_raw_table_empties_the_others(extracted, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        load_document(con, extracted, DOCUMENT_ID, "sha")
        once = _counts(con)
        con.execute("alter table raw.line_items add column added_later integer")  # an older layout
    with connect(warehouse) as con:  # create_schema migrates it
        assert set(_counts(con).values()) == {0}
        load_document(con, extracted, DOCUMENT_ID, "sha")
        assert _counts(con) == once
