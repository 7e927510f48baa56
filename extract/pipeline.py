"""One PDF in, typed tables with lineage out: the extraction steps in order."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from extract.grids.frame import unframe_all
from extract.grids.lattice import PageTable, read_page_tables
from extract.grids.ruled_text import read_ruled_text_tables
from extract.grids.structure import LogicalTable, stitch
from extract.issues import ExtractionIssue
from extract.narrative import NarrativeMention, narrative_mentions
from extract.pdf.document import DocumentMetadata, read_metadata, read_pages, readable_copy, year_disagreement
from extract.pdf.pages import table_page_candidates
from extract.tables.cells import parse_amount
from extract.tables.performance_targets import (
    MERGED_COLUMN_WORDS,
    PerformanceIndicator,
    performance_indicators,
)
from extract.tables.row_kinds import settle_kinds
from extract.tables.rows import LineItem, line_items
from extract.tables.unit_subtotals import mark_subtotals


@dataclass(frozen=True)
class ExtractedDocument:
    file_name: str
    metadata: DocumentMetadata
    pages: int
    tables: list[LogicalTable]
    line_items: list[LineItem]
    indicators: list[PerformanceIndicator]
    narrative: list[NarrativeMention]
    issues: list[ExtractionIssue]

    @property
    def recognized_tables(self) -> list[LogicalTable]:
        return [t for t in self.tables if t.kind is not None]


def extract_document(path: Path, timings: dict[str, float] | None = None) -> ExtractedDocument:
    """Run every extraction step on one PDF. Raises on unreadable files (the caller records why).

    `timings`, when given, accumulates seconds per stage (classify, camelot, parse) for benchmarks.
    """
    clock = _Stopwatch(timings if timings is not None else {})
    with readable_copy(path) as readable:
        doc = _extract(readable, clock)
    return replace(doc, file_name=path.name)


class _Stopwatch:
    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
        self.last = now


def _extract(path: Path, clock: _Stopwatch) -> ExtractedDocument:
    pages = read_pages(path)
    metadata = read_metadata(pages, path.name)
    candidates = table_page_candidates(pages)
    ruled = {p.number for p in pages if p.vertical_rules > 0 or p.rotation}
    clock.lap("classify")
    page_tables = find_page_tables(path, candidates, ruled)
    clock.lap("camelot")
    tables = stitch(page_tables)
    items: list[LineItem] = []
    indicators: list[PerformanceIndicator] = []
    issues: list[ExtractionIssue] = settle_kinds(tables)
    for index, table in enumerate(tables):
        if table.kind is None:
            issues.append(_unrecognized(table, index))
            continue
        if table.unit is None:
            issues.append(
                ExtractionIssue.of_table(
                    table.page_first,
                    index,
                    "unknown_unit",
                    table.title or "",
                    "no 单位 printed above the table or an earlier one: amounts not converted",
                )
            )
        if table.kind == "project_performance_targets":
            table_indicators, table_issues = performance_indicators(table, index)
            indicators.extend(table_indicators)
        else:
            table_items, table_issues = line_items(table, index)
            items.extend(mark_subtotals(table_items) if table.kind == "revenue" else table_items)
        issues.extend(table_issues)
    disagreement = year_disagreement(metadata.fiscal_year, [table.title or "" for table in tables])
    if disagreement:
        issues.append(ExtractionIssue.of_table(None, None, "metadata_disagreement", "", disagreement))
    table_pages = {part.page for table in tables for part in table.parts}
    narrative = narrative_mentions(pages, table_pages)
    clock.lap("parse")
    return ExtractedDocument(path.name, metadata, len(pages), tables, items, indicators, narrative, issues)


def _looks_like_money(text: str) -> bool:
    """A figure with decimals, separators or four digits; not a row number (序号 1, 2, 3)."""
    amount = parse_amount(text)
    return bool(amount.text) and ("." in amount.text or "," in text or len(amount.text.lstrip("-")) >= 4)


def _unrecognized(table: LogicalTable, index: int) -> ExtractionIssue:
    """An unknown grid with figures is reported for review; one without figures is not budget data."""
    has_amounts = any(_looks_like_money(text) for row in table.rows for text in row.texts)
    heading = " / ".join(filter(None, [table.title, table.parts[0].text_above.strip()[-120:]]))
    header = " | ".join("/".join(dict.fromkeys(p for p in path if p)) for path in table.header_paths())
    if has_amounts:
        return ExtractionIssue.of_table(
            table.page_first,
            index,
            "unrecognized_table",
            heading or header,
            f"a table with figures on page {table.page_first} matches no known table kind "
            f"(header: {header[:200]})",
        )
    return ExtractionIssue.of_table(
        table.page_first,
        index,
        "ignored_table",
        header,
        f"grid on page {table.page_first} holds no amounts (e.g. 单位构成, contents): "
        "not budget data, ignored",
    )


def find_page_tables(path: Path, candidates: list[int], ruled: set[int] | None = None) -> list[PageTable]:
    """Ruled grids through Camelot lattice; pages where it finds none through the ruled-text reader
    (`extract.grids.ruled_text`: their horizontal rules and text positions).

    Pages without a vertical rule (three-line tables) are not worth rendering for lattice.
    A page drawn as one frame gives its title and unit rows back to the text above the table.
    """
    lattice = unframe_all(read_page_tables(path, candidates, ruled))
    found_on = {t.page for t in lattice}
    rest = [p for p in candidates if p not in found_on]
    ruled_text = read_ruled_text_tables(path, rest, MERGED_COLUMN_WORDS)
    return sorted([*lattice, *ruled_text], key=lambda t: (t.page, t.index_on_page))
