"""The inbox's PDFs, each extracted and loaded into raw.* / audit.documents by extract/."""

# No `from __future__ import annotations` in asset modules: Dagster inspects the real type hints.

from collections import Counter
from dataclasses import asdict
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)

from dagster_project.resources import WarehousePaths
from extract.ingest import IngestOutcome, ingest_pdf, list_inbox
from extract.load import connect

MAIN_STATUSES = ("loaded", "unchanged", "rejected")
DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file_name", "string"),
    ("document_id", "string"),
    ("status", "string"),
    ("reason", "string"),
    ("pages", "int"),
    ("tables_found", "int"),
    ("line_items", "int"),
)


def ingest_one(pdf_path: Path, warehouse_path: Path) -> IngestOutcome:
    """ingest_pdf, but a crash becomes a rejected outcome so one bad file never stops the rest."""
    try:
        return ingest_pdf(pdf_path, warehouse_path)
    except Exception as exc:  # any failure of one document is that document's problem
        return IngestOutcome(
            document_id="",
            file_name=pdf_path.name,
            sha256="",
            status="rejected",
            reason=f"{type(exc).__name__}: {exc}",
            pages=0,
            tables_found=0,
            line_items=0,
        )


def documents_table(outcomes: list[IngestOutcome]) -> MetadataValue:
    schema = TableSchema(columns=[TableColumn(name, kind) for name, kind in DOCUMENT_COLUMNS])
    # Every record needs every field: a missing reason is "".
    rows = [asdict(o) for o in outcomes]
    records = [
        TableRecord({name: row[name] if row[name] is not None else "" for name, _ in DOCUMENT_COLUMNS})
        for row in rows
    ]
    return MetadataValue.table(records=records, schema=schema)


@asset(group_name="extraction", kinds={"python", "duckdb"})
def raw_documents(context: AssetExecutionContext, paths: WarehousePaths) -> MaterializeResult:
    """Every PDF in the inbox, extracted with Camelot and loaded into the raw.* tables.

    One transaction per document (inside extract.ingest); unchanged files are skipped by sha256.
    """
    # Creates the warehouse and the raw.* / audit.* tables even for an empty inbox: dbt reads them.
    with connect(paths.warehouse_path):
        pass
    pdfs = list_inbox(paths.inbox_path)
    context.log.info(f"{len(pdfs)} PDF(s) in {paths.inbox_path}")

    outcomes: list[IngestOutcome] = []
    for pdf in pdfs:
        outcome = ingest_one(pdf, paths.warehouse_path)
        log = context.log.warning if outcome.status == "rejected" else context.log.info
        log(f"{outcome.file_name}: {outcome.status}" + (f" ({outcome.reason})" if outcome.reason else ""))
        outcomes.append(outcome)

    counts = Counter(o.status for o in outcomes)
    return MaterializeResult(
        metadata={
            "inbox": MetadataValue.path(str(paths.inbox_path)),
            "warehouse": MetadataValue.path(str(paths.warehouse_path)),
            "documents": len(outcomes),
            # Always the three main statuses, plus any other extract/ reports (e.g. quarantined).
            **{status: counts.get(status, 0) for status in MAIN_STATUSES},
            **{status: n for status, n in counts.items() if status not in MAIN_STATUSES},
            "outcomes": documents_table(outcomes),
        }
    )
