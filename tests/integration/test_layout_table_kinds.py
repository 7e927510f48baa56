"""Layout family "which table is which" (issue 12) on real published documents (../shared/real2).

A table's kind is settled by its title and by the codes its rows print: a table whose rows are
economic codes (301, 30101, 50101 …) or economic 类 names is never a functional table, and one
whose rows are functional codes is never an economic one; the choice is recorded as an extraction
issue. Run straight from ../shared/real2, never copied.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from extract.tables.columns import FUNCTIONAL_KINDS
from extract.tables.row_kinds import printed_scheme

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"
REAL = REAL2.parent / "real"


@cache
def _doc(path: Path) -> ExtractedDocument:
    if not path.exists():
        pytest.skip(f"{path} absent: the shared real documents are not on this machine")
    return extract_document(path)


def _kinds(doc: ExtractedDocument) -> dict[int, str | None]:
    return {t.page_first: t.kind for t in doc.tables}


def _functional_items_with_economic_codes(doc: ExtractedDocument) -> list[tuple[int, str]]:
    return [
        (i.page, i.item_code)
        for i in doc.line_items
        if doc.tables[i.table_index].kind in FUNCTIONAL_KINDS and i.item_code and i.item_code[0] in "35"
    ]


def _repeated_columns(doc: ExtractedDocument) -> list[tuple]:
    """(table, row, column_key) printed on two columns of one row."""
    columns: dict[tuple, set[int]] = defaultdict(set)
    for item in doc.line_items:
        columns[(item.table_index, item.row_index, item.item_name, item.column_key)].add(item.col_index)
    return [key for key, cols in columns.items() if len(cols) > 1]


def test_basic_table_with_economic_rows_is_no_functional_table_shandong() -> None:
    """公开表10 基本支出预算情况表 (rows 301 | 01 工资福利支出 …) named no classification: economic."""
    doc = _doc(REAL2 / "sd_yantai_jiaoyuju_2026_yusuan.pdf")
    assert _kinds(doc)[24] == "expenditure_economic"
    assert _functional_items_with_economic_codes(doc) == []
    assert any(i.issue_kind == "kind_from_rows" and i.page == 24 for i in doc.issues)
    # Split codes printing only their own level (| 01 | under 205 | |) take the levels above.
    codes = {i.item_code for i in doc.line_items if i.page == 10}
    assert {"205", "20501", "2050101", "2050199"} <= codes


def test_functional_and_economic_detail_tables_xian() -> None:
    """表5–表8: 一般公共预算(基本)支出明细表 by function (2080506 …) and by economic class (30101 …)."""
    doc = _doc(REAL2 / "sn_xian_xuanchuanbu_2021_yusuan.pdf")
    kinds = _kinds(doc)
    assert [kinds[24], kinds[26], kinds[28], kinds[30]] == [
        "general_budget_expenditure",
        "expenditure_economic",
        "basic_expenditure_functional",
        "basic_expenditure_economic",
    ]
    assert _functional_items_with_economic_codes(doc) == []


def test_summary_side_groups_have_their_own_meaning_xian() -> None:
    """收支总表 prints spending by function | by department economic class | by government economic
    class side by side: three meanings, never `expenditure/amount` three times on a row."""
    doc = _doc(REAL2 / "sn_xian_xuanchuanbu_2021_yusuan.pdf")
    summary = {"revenue_expenditure_summary", "fiscal_appropriation_summary"}
    assert [k for k in _repeated_columns(doc) if doc.tables[k[0]].kind in summary] == []
    keys = {i.column_key for i in doc.line_items if doc.tables[i.table_index].kind in summary}
    assert {"expenditure_economic/amount", "expenditure_government_economic/amount"} <= keys
    # An enumerated label (12、城乡社区支出) is not the amount 12 glued to a label.
    assert not any(i.amount_text in {str(n) for n in range(1, 40)} for i in doc.line_items)


def test_basic_tables_by_economic_names_shenzhen_guangzhou() -> None:
    """基本支出总表 / 部门预算基本支出预算表 list 工资福利支出, 基本工资 … by name: economic."""
    shenzhen = _doc(REAL2 / "gd_shenzhen_caizhengju_2026_yusuan.pdf")
    guangzhou = _doc(REAL2 / "gd_guangzhou_tongjiju_2026_yusuan.pdf")
    assert _kinds(shenzhen)[24] == "expenditure_economic"
    assert _kinds(guangzhou)[20] == "expenditure_economic"


def test_every_table_of_the_shared_documents_prints_its_kinds_scheme() -> None:
    """No functional table prints economic rows and no economic table functional rows, anywhere."""
    paths = sorted(REAL.glob("*.pdf")) + sorted(REAL2.glob("*.pdf"))
    if not paths:
        pytest.skip(f"{REAL2} absent: the shared real documents are not on this machine")
    wrong = []
    for path in paths:
        for table in _doc(path).tables:
            scheme = printed_scheme(table)
            functional = table.kind in FUNCTIONAL_KINDS
            if scheme and (scheme == "functional") != functional and table.kind != "revenue":
                wrong.append((path.name, table.page_first, table.kind, scheme))
    assert [w for w in wrong if w[2] in FUNCTIONAL_KINDS or w[2] and "economic" in w[2]] == []
