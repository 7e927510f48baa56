"""A table's kind checked against what its rows print: functional (2xx) or economic (3xx, 5xx) codes.

A title can be ambiguous (基本支出预算情况表 names no classification) or name the other one
(一般公共预算基本支出明细表(按支出功能分类科目)); the codes in the rows are the document's own word.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.grids.structure import LogicalTable
from extract.issues import ExtractionIssue
from extract.tables.columns import ECONOMIC_KINDS, FUNCTIONAL_KINDS
from extract.tables.labels import (
    ECONOMIC_CLASSES_DEPARTMENT,
    ECONOMIC_CLASSES_GOVERNMENT,
    FUNCTIONAL_CLASSES,
    strip_enumeration,
)
from extract.text import compact

# A row's first printed cell when it is a code (alone, glued to its name or dash-joined).
_CODE_CELL = re.compile(r"^(\d{3}|\d{5}|\d{7})(?:$|-|[^\d.,])")
# A scheme is settled by at least this many coded rows, of which this share agree.
MIN_CODED_ROWS = 3
MIN_SHARE = 0.8

# Read by the other classification, a table keeps its scope as far as the vocabulary has a kind.
_TO_FUNCTIONAL = {
    "basic_expenditure_economic": "basic_expenditure_functional",
    "fiscal_basic_expenditure": "basic_expenditure_functional",
    "expenditure_economic": "expenditure",
}


# 类 names only one classification has (其他支出 is in both).
_ECONOMIC_NAMES = (
    ECONOMIC_CLASSES_DEPARTMENT.keys() | ECONOMIC_CLASSES_GOVERNMENT.keys()
) - FUNCTIONAL_CLASSES.keys()
_FUNCTIONAL_NAMES = FUNCTIONAL_CLASSES.keys() - _ECONOMIC_NAMES - ECONOMIC_CLASSES_GOVERNMENT.keys()


def row_scheme(texts: list[str]) -> str | None:
    """`functional` or `economic` from the row's first non-blank cell: a code, or a 类 name (rows by
    name only, 工资福利支出 / 教育支出)."""
    first = next((compact(t) for t in texts if compact(t)), "")
    match = _CODE_CELL.match(first)
    if match:
        return {"2": "functional", "3": "economic", "5": "economic"}.get(match.group(1)[0])
    name = strip_enumeration(first)
    if name in _ECONOMIC_NAMES:
        return "economic"
    return "functional" if name in _FUNCTIONAL_NAMES else None


def printed_scheme(table: LogicalTable) -> str | None:
    """The classification most coded rows print, when they clearly agree; None otherwise."""
    counts = Counter(s for row in table.rows if (s := row_scheme(row.texts)))
    total = sum(counts.values())
    if total < MIN_CODED_ROWS:
        return None
    scheme, count = counts.most_common(1)[0]
    return scheme if count >= MIN_SHARE * total else None


def kind_from_rows(kind: str | None, scheme: str | None) -> str | None:
    """The kind a table of `kind` is when its rows print codes of `scheme` (None: unchanged)."""
    if kind in FUNCTIONAL_KINDS and scheme == "economic":
        return "expenditure_economic"
    if kind in ECONOMIC_KINDS and scheme == "functional":
        return _TO_FUNCTIONAL.get(kind)
    return None


# A fund's own summary (政府性基金收支表): its revenue and spending sides side by side.
_FUND_SUMMARIES = {
    "government_fund_expenditure": "government_fund_summary",
    "state_capital_expenditure": "state_capital_summary",
}


def fund_summary_kind(kind: str | None, header_rows: list[list[str]]) -> str | None:
    """A fund's table whose header's top line opens a 收入 side and a 支出 side is the fund's
    summary, not its spending by function (None: unchanged)."""
    if kind not in _FUND_SUMMARIES or not header_rows:
        return None
    top = {compact(text) for text in header_rows[0]}
    revenue = any(t.startswith("收入") and "支出" not in t for t in top)
    spending = any(t.startswith("支出") for t in top)
    return _FUND_SUMMARIES[kind] if revenue and spending else None


def settle_kinds(tables: list[LogicalTable]) -> list[ExtractionIssue]:
    """Re-kind the tables whose rows print the other classification than their title suggests,
    and a fund's summary read from its title as the fund's spending."""
    issues: list[ExtractionIssue] = []
    for index, table in enumerate(tables):
        summary = fund_summary_kind(table.kind, table.header_rows)
        if summary is not None:
            table.kind = summary
            continue
        scheme = printed_scheme(table)
        kind = kind_from_rows(table.kind, scheme)
        if kind is None:
            continue
        issues.append(
            ExtractionIssue.of_table(
                table.page_first,
                index,
                "kind_from_rows",
                table.title or "",
                f"the title reads as {table.kind} but the rows print {scheme} codes: read as {kind}",
            )
        )
        table.kind = kind
    return issues
