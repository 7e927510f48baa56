"""Bad input is rejected with a reason a person understands; nothing else is lost."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import duckdb
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.isolation import Limits
from store.ingest import ingest_pdf, prepare

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _pdf(path: Path, text: str | None = "第一部分 部门概况", pages: int = 1, **encrypt) -> Path:
    doc = canvas.Canvas(str(path), pagesize=A4, **encrypt)
    for _ in range(pages):
        if text:
            doc.drawString(72, 720, text)
        doc.showPage()
    doc.save()
    return path


def _reason(path: Path, limits: Limits | None = None) -> str | None:
    return prepare(path, limits or Limits()).reason


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.pdf").write_bytes(b"")
    assert _reason(tmp_path / "e.pdf") == "empty file"


def test_not_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_text("部门预算", encoding="utf-8")
    assert _reason(tmp_path / "x.pdf") == "not a PDF (no %PDF header)"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = (FIXTURES / "base.pdf").read_bytes()
    (tmp_path / "t.pdf").write_bytes(data[: len(data) // 3])
    reason = _reason(tmp_path / "t.pdf")
    assert reason is not None and ("corrupt or truncated" in reason or "could not parse" in reason)


def test_user_password(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = _pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("secret", "owner"))
    assert _reason(path) == "PDF is encrypted with a user password"


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    assert (
        _reason(_pdf(tmp_path / "scan.pdf", text=None)) == "scanned PDF without a text layer (no OCR is done)"
    )


def test_not_a_budget_document(tmp_path: Path) -> None:
    assert (
        _reason(_pdf(tmp_path / "memo.pdf", "Meeting minutes, no tables here at all.")) == "no budget tables"
    )


def test_page_limit(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "long.pdf", pages=5)
    assert _reason(path, Limits(max_pages=3)) == "too many pages (5 > limit 3)"


def test_time_limit(tmp_path: Path) -> None:
    reason = _reason(FIXTURES / "base.pdf", Limits(timeout_s=0.05))
    assert reason == "extraction exceeded the time limit of 0.05 s"


def test_rejection_is_recorded_and_not_retried(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    bad = tmp_path / "inbox" / "bad.pdf"
    bad.parent.mkdir()
    bad.write_bytes(b"not a pdf at all")
    first = ingest_pdf(bad, warehouse)
    second = ingest_pdf(bad, warehouse)
    assert (first.status, first.reason, second.status) == (
        "rejected",
        "not a PDF (no %PDF header)",
        "unchanged",
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select outcome, reason from audit.document_loads").fetchall() == [
        ("rejected", "not a PDF (no %PDF header)")
    ]


def test_permissions_only_encryption_loads(tmp_path: Path) -> None:
    """A file that opens without a password (copying and editing forbidden) is read like any other."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "base.pdf"))
    writer.encrypt(user_password="", owner_password="owner", permissions_flag=0b0100)  # print only
    path = tmp_path / "permissions_only.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert PdfReader(path).is_encrypted
    outcome = ingest_pdf(path, tmp_path / "w.duckdb")
    assert (outcome.status, outcome.tables_found) == ("loaded", 10)


def test_duplicates_and_superseded_versions(tmp_path: Path) -> None:
    """Same bytes, another name: a duplicate. A newer file for the same department, year, kind: both
    loaded, the newer first seen last (which one counts is dbt's rule: int_document_status's unit
    tests; end to end, test_operations)."""
    from pypdf import PdfReader, PdfWriter

    warehouse = tmp_path / "w.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = inbox / "2023_budget.pdf"
    first.write_bytes((FIXTURES / "base.pdf").read_bytes())
    copy = inbox / "copy_of_budget.pdf"
    copy.write_bytes(first.read_bytes())
    revised = inbox / "2023_budget_revised.pdf"
    writer = PdfWriter(clone_from=PdfReader(first))
    writer.add_metadata({"/Title": "revised"})  # other bytes, same content: a re-published version
    with revised.open("wb") as handle:
        writer.write(handle)

    assert ingest_pdf(first, warehouse).status == "loaded"
    dup = ingest_pdf(copy, warehouse)
    assert (dup.status, dup.reason) == ("duplicate", "same bytes as 2023_budget.pdf")
    assert ingest_pdf(revised, warehouse).status == "loaded"
    assert ingest_pdf(first, warehouse).status == "unchanged"  # seen again: not new

    con = duckdb.connect(str(warehouse), read_only=True)
    outcomes = dict(con.execute("select file_name, outcome from audit.document_loads").fetchall())
    assert outcomes == {"2023_budget.pdf": "loaded", "2023_budget_revised.pdf": "loaded"}
    first_seen = con.execute(
        "select file_name from audit.files group by file_name order by min(first_seen_at)"
    ).fetchall()
    assert [name for (name,) in first_seen] == [
        "2023_budget.pdf",
        "copy_of_budget.pdf",
        "2023_budget_revised.pdf",
    ]


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def test_memory_limit_stops_a_runaway_extraction() -> None:
    from extract.isolation import ExtractionCrashed, run_isolated

    assert run_isolated(_allocate, 50, limits=Limits(memory_mb=200)) == 50 * 1024 * 1024
    with pytest.raises(ExtractionCrashed, match="memory limit of 100 MB"):
        run_isolated(_allocate, 400, limits=Limits(memory_mb=100))


def _under_a_ceiling(megabytes: int, results: Any) -> None:
    """As the orchestrator's child: a hard address-space limit of its own, then the extraction's."""
    import resource

    from extract.isolation import address_space_bytes, run_isolated

    ceiling = address_space_bytes() + 300 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    try:
        results.put(run_isolated(_allocate, megabytes, limits=Limits(memory_mb=2048)))
    except Exception as error:  # noqa: BLE001 - reported to the test
        results.put(repr(error))


def test_memory_limit_inside_a_limited_process_keeps_the_ceiling() -> None:
    # 2048 MB more than the inherited size would raise the parent's hard limit: clamped, not a crash
    context = multiprocessing.get_context("fork")
    results = context.SimpleQueue()
    process = context.Process(target=_under_a_ceiling, args=(20, results))
    process.start()
    process.join(timeout=60)
    assert results.get() == 20 * 1024 * 1024


def _report_then_hang(pages: int) -> None:
    import time

    from extract.isolation import report

    report(pages)
    time.sleep(60)


def test_a_timeout_keeps_what_the_child_reported() -> None:
    from extract.isolation import ExtractionTimeout, run_isolated

    with pytest.raises(ExtractionTimeout, match="time limit of 0.5 s") as error:
        run_isolated(_report_then_hang, 7, limits=Limits(timeout_s=0.5))
    assert error.value.progress == 7
