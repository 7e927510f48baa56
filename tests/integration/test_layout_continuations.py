"""Layout family "tables continued over pages" (issue 12) on real published documents (../shared/real2).

A page whose title and header repeat the table's (a title printed on every page) continues it: one
logical table, so a parent code and its children, or a summary's lines and its totals, printed on
different pages are read together and the table's identities hold. Run straight from
../shared/real2, never copied.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from tests.support.identities import summary_breaks, within_table_breaks

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"


@cache
def _doc(name: str) -> ExtractedDocument:
    path = REAL2 / name
    if not path.exists():
        pytest.skip(f"{path} absent: the shared real documents are not on this machine")
    return extract_document(path)


def _spans(doc: ExtractedDocument) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for table in doc.recognized_tables:
        spans.setdefault(table.kind or "", []).append((table.page_first, table.page_last))
    return spans


def _one_table_per_kind(doc: ExtractedDocument, kinds: set[str]) -> None:
    counts = Counter(t.kind for t in doc.recognized_tables if t.kind in kinds)
    assert all(n == 1 for n in counts.values()), counts


def test_title_repeated_on_every_page_shandong() -> None:
    """公开表4 财政拨款收支总体情况表 over pp14–15: its functional classes (其他支出 on p15) add up
    to 本年支出合计 in one table; 基本支出 tables over three pages, 项目支出 over eleven."""
    doc = _doc("sd_yantai_jiaoyuju_2026_yusuan.pdf")
    spans = _spans(doc)
    assert spans["fiscal_appropriation_summary"] == [(14, 15)]
    assert spans["basic_expenditure_economic"] == [(18, 20)]
    assert len(doc.recognized_tables) == 12  # 30 page tables before
    assert within_table_breaks(doc) == []
    # 上级补助收入 205.89 is printed below 本年收入合计 (315,235.83) and inside 收入总计 (315,441.72):
    # the document's own layout, counted as part of 收入总计 (extract.identities.REVENUE_ADDITIONS).
    assert summary_breaks(doc) == []


def test_summary_over_three_pages_with_side_groups_xian() -> None:
    """表1 收支总表 over pp16–18 (表1 2021年…单位:元 read as one line on p17): one table whose
    functional classes add up to 本年支出合计; the per-page tables of 表4–表8 are joined too."""
    doc = _doc("sn_xian_xuanchuanbu_2021_yusuan.pdf")
    spans = _spans(doc)
    assert spans["revenue_expenditure_summary"] == [(16, 18)]
    assert spans["fiscal_appropriation_summary"] == [(21, 23)]
    assert spans["general_budget_expenditure"] == [(24, 25)]
    assert summary_breaks(doc) == []
    assert within_table_breaks(doc) == []


def test_revenue_lines_on_the_first_page_totals_on_the_second_guangzhou() -> None:
    """收支总体情况表 pp6–7: the revenue lines of p6 and the totals of p7 in one table."""
    doc = _doc("gd_guangzhou_tongjiju_2026_yusuan.pdf")
    table = next(i for i, t in enumerate(doc.tables) if t.kind == "revenue_expenditure_summary")
    assert (doc.tables[table].page_first, doc.tables[table].page_last) == (6, 7)
    keys = {(i.item_key, i.page) for i in doc.line_items if i.table_index == table and i.amount_text}
    assert {("fiscal_appropriation", 6), ("other", 6), ("revenue_total", 7)} <= keys
    assert summary_breaks(doc) == []


def test_tables_split_per_page_shenzhen() -> None:
    """支出总表 (4 pages), 收支总表 (3), 财政拨款收支总表 (3): one table each."""
    doc = _doc("gd_shenzhen_caizhengju_2026_yusuan.pdf")
    kinds = {"revenue_expenditure_summary", "expenditure", "fiscal_appropriation_summary"}
    _one_table_per_kind(doc, {"revenue_expenditure_summary", "fiscal_appropriation_summary"})
    spans = _spans(doc)
    assert spans["revenue_expenditure_summary"] == [(16, 18)]
    assert (20, 23) in spans["expenditure"]
    assert kinds <= spans.keys()
    assert within_table_breaks(doc) == []


def test_basic_table_over_two_pages_hunan() -> None:
    """一般公共预算基本支出情况表 pp18–19: 302 and its 款 printed across the break add up."""
    doc = _doc("hn_changsha_xinfangju_2026_yusuan.pdf")
    assert _spans(doc)["basic_expenditure_economic"] == [(18, 19)]
    assert within_table_breaks(doc) == []
