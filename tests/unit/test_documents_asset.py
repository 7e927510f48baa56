"""raw_documents: one bad document never stops the others, and the outcomes are reported."""

from pathlib import Path

import pytest
from dagster import materialize

from dagster_project.assets import documents
from dagster_project.resources import WarehousePaths
from extract.ingest import IngestOutcome


def fake_ingest(pdf_path: Path, warehouse_path: Path) -> IngestOutcome:
    if pdf_path.stem == "crash":
        raise RuntimeError("boom")
    status, reason = ("rejected", "not a PDF") if pdf_path.stem == "junk" else ("loaded", None)
    return IngestOutcome(pdf_path.stem, pdf_path.name, "0" * 64, status, reason, 20, 10, 300)


def test_a_crashing_document_is_rejected_and_the_rest_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.pdf", "crash.pdf", "junk.PDF", "z.pdf", "notes.txt"):
        (inbox / name).write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(documents, "ingest_pdf", fake_ingest)

    paths = WarehousePaths(inbox=str(inbox), warehouse=str(tmp_path / "w" / "w.duckdb"))
    result = materialize([documents.raw_documents], resources={"paths": paths})

    assert result.success
    (mat,) = result.asset_materializations_for_node("raw_documents")
    meta = mat.metadata
    assert (meta["loaded"].value, meta["unchanged"].value, meta["rejected"].value) == (2, 0, 2)
    records = {r.data["file_name"]: r.data for r in meta["outcomes"].records}
    assert sorted(records) == ["a.pdf", "crash.pdf", "junk.PDF", "z.pdf"]
    assert records["crash.pdf"]["status"] == "rejected"
    assert records["crash.pdf"]["reason"] == "RuntimeError: boom"
    assert records["a.pdf"]["reason"] == ""
    # The warehouse exists with its raw/audit tables even if nothing loaded: dbt reads them.
    assert (tmp_path / "w" / "w.duckdb").exists()
