"""`budget-etl explain FILE [--page N]`: how each table of one PDF was read, without a warehouse.

What an analyst runs on a quarantined document and an engineer on a new layout: the document's
metadata and extraction issues, then per table its pages, header tree and column roles, every
row's code, level, name and amounts (printed and in 元) and the identities checked on it.
Nothing is written: the PDF is extracted like in a run (a child process with the run's time,
memory and page limits) and the result only printed. No Dagster, no dbt, no DuckDB connection.

Exit codes: 0 read, 1 not readable as a budget document (the reason is printed), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from budget_etl.explain_tables import table_lines
from extract.identities import Check, summary_checks, within_table_checks
from extract.issues import ExtractionIssue
from extract.names import shown
from extract.pdf.document import document_id_for, sha256_of
from extract.pipeline import ExtractedDocument
from store.ingest import prepare
from store.limits import limits_from_env

PROG = "budget-etl explain"


def add_explain_parser(sub: Any) -> None:
    p = sub.add_parser(
        "explain",
        help="how each table of a PDF was read, and which identities hold on each row (writes nothing)",
    )
    p.add_argument("file", metavar="FILE", help="a PDF (not loaded anywhere: only read and explained)")
    p.add_argument("--page", type=int, metavar="N", help="only the tables printed on page N (1-based)")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    path = Path(args.file)
    if args.page is not None and args.page < 1:
        parser.error(f"--page {args.page}: pages are numbered from 1")
    if not path.exists():
        parser.error(f"{shown(args.file)}: no such file")
    if not path.is_file():  # a FIFO would block the reader, a folder is not a document
        parser.error(f"{shown(args.file)}: not a regular file")
    try:
        limits = limits_from_env()
    except ValueError as error:
        parser.error(str(error))
    prepared = prepare(path.resolve(), limits)
    name = shown(path.name)
    if prepared.doc is None:
        print(f"{PROG}: {name}: could not be read: {prepared.reason}", file=sys.stderr)
        return 1
    doc = prepared.doc
    if args.page is not None and args.page > doc.pages:
        print(f"{PROG}: --page {args.page}: {name} has {doc.pages} pages", file=sys.stderr)
        return 2
    document_id = document_id_for(sha256_of(path.resolve()))
    print("\n".join(explain_lines(doc, document_id, args.page)))
    if prepared.reason is not None:
        print(f"{PROG}: {name}: not loadable as a budget document: {prepared.reason}", file=sys.stderr)
        return 1
    return 0


def explain_lines(doc: ExtractedDocument, document_id: str, page: int | None = None) -> list[str]:
    """The whole explanation of a document, or of the tables printed on `page`."""
    lines = document_lines(doc, document_id) + issue_lines(doc.issues)
    checks = _checks_by_table(doc)
    indexes = [i for i, t in enumerate(doc.tables) if page is None or page in {p.page for p in t.parts}]
    if page is not None and not indexes:
        pages = sorted({p.page for t in doc.tables for p in t.parts})
        lines += ["", f"No table on page {page} (tables are on pages {', '.join(map(str, pages))})."]
    for index in indexes:
        lines += table_lines(doc, index, checks.get(index, []))
    broken = sum(not c.holds for index in indexes for c in checks.get(index, []))
    total = sum(len(checks.get(index, [])) for index in indexes)
    lines += ["", f"Identities: {total} checked, {broken} broken in {len(indexes)} table(s) shown."]
    return lines


def _checks_by_table(doc: ExtractedDocument) -> dict[int, list[Check]]:
    by_table: dict[int, list[Check]] = {}
    for check in within_table_checks(doc) + summary_checks(doc):
        by_table.setdefault(check.table_index, []).append(check)
    return by_table


def document_lines(doc: ExtractedDocument, document_id: str) -> list[str]:
    meta = doc.metadata
    recognized = len(doc.recognized_tables)
    fields = [
        ("file", doc.file_name),
        ("document_id", document_id),
        ("department", meta.department_name),
        ("parent department", meta.parent_department_name),
        ("region", meta.region),
        ("fiscal year", str(meta.fiscal_year) if meta.fiscal_year else None),
        ("kind", meta.doc_kind),
        ("scope", meta.doc_scope),
        ("title", meta.title),
        ("pages", str(doc.pages)),
        ("tables", f"{len(doc.tables)} ({recognized} recognized), {len(doc.line_items)} amount cells"),
    ]
    width = max(len(label) for label, _ in fields)
    lines = ["Document (table and row numbers below are raw.*'s 0-based table_index / row_index)"]
    lines += [f"  {label.ljust(width)}  {shown(value) if value else '—'}" for label, value in fields]
    return lines


def issue_lines(issues: list[ExtractionIssue]) -> list[str]:
    if not issues:
        return ["Extraction issues: none"]
    lines = [f"Extraction issues: {len(issues)}"]
    for issue in issues:
        where = ", ".join(
            f"{name} {value}"
            for name, value in (("page", issue.page), ("table", issue.table_index), ("row", issue.row_index))
            if value is not None
        )
        lines.append(f"  {issue.issue_kind}{f' ({where})' if where else ''}: {shown(issue.message)}")
    return lines
