"""Layout family "nested column headers" (issue 12) on real published documents (../shared/real2).

A group header over 小计 | parts: the 小计 is the group's total (基本支出 / 小计 → `basic`), its
parts keep their own meaning (人员经费 → `personnel`), and a total word nested under a group is
never the table's `total`. A correct reading puts each column meaning on one column of a row and
makes the table's own identities hold. Run straight from ../shared/real2, never copied.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from tests.support.identities import within_table_breaks

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"


@cache
def _doc(name: str) -> ExtractedDocument:
    path = REAL2 / name
    if not path.exists():
        pytest.skip(f"{path} absent: the shared real documents are not on this machine")
    return extract_document(path)


def _repeated_keys(doc: ExtractedDocument, kinds: set[str] | None = None) -> list[tuple]:
    """(table, row, column_key, columns) where one meaning lands on two columns of one printed line."""
    columns: dict[tuple, set[int]] = defaultdict(set)
    printed: dict[tuple, bool] = defaultdict(bool)
    for item in doc.line_items:
        if kinds and doc.tables[item.table_index].kind not in kinds:
            continue
        key = (item.table_index, item.row_index, item.item_code, item.item_name, item.column_key)
        columns[key].add(item.col_index)
        printed[key] |= bool(item.amount_text or item.item_code or item.row_role == "total")
    return [
        (*key[:2], key[4], sorted(cols)) for key, cols in columns.items() if len(cols) > 1 and printed[key]
    ]


def _keys(doc: ExtractedDocument, kind: str) -> set[str]:
    return {i.column_key for i in doc.line_items if doc.tables[i.table_index].kind == kind}


def test_subtotal_with_personnel_and_public_parts_chongqing() -> None:
    """基本支出 over 小计 | 人员经费 | 公用经费: basic, personnel, public (was basic ×3)."""
    doc = _doc("cq_shi_shuiliju_2026_yusuan.pdf")
    assert {"total", "basic", "personnel", "public", "project"} <= _keys(doc, "general_budget_expenditure")
    assert _repeated_keys(doc) == []
    assert within_table_breaks(doc) == []


def test_subtotal_with_renyuan_and_richang_gongyong_shandong() -> None:
    """基本支出 over 小 计 | 人员支出 | 日常公用支出; 财政拨款收入 / 小计 beside its three funds;
    使用非财政拨款结余 is no appropriation; 2025年 | 2026年预算数 in the 三公 table by position."""
    doc = _doc("sd_yantai_jiaoyuju_2026_yusuan.pdf")
    assert {"basic", "personnel", "public"} <= _keys(doc, "general_budget_expenditure")
    assert "surplus_use" in _keys(doc, "revenue")
    three = _keys(doc, "three_public_costs")
    assert {"prior_budget/total", "current_budget/total"} <= three or {
        "prior_budget/grand_total",
        "current_budget/grand_total",
    } <= three
    assert _repeated_keys(doc) == []
    assert within_table_breaks(doc) == []


def test_group_without_subtotal_and_column_numbers_zhejiang() -> None:
    """基本支出 over 人员支出 | 日常公用支出 with no 小计 (the parts stand in for it); 上年结转结余 /
    小计 beside its breakdown by fund; the ** | 1 | 2 … line numbers the columns, it is no data."""
    doc = _doc("zj_hangzhou_qixiangju_2026_yusuan.pdf")
    assert {"personnel", "public"} <= _keys(doc, "expenditure")
    assert "basic" not in _keys(doc, "expenditure")
    assert _repeated_keys(doc) == []
    assert within_table_breaks(doc) == []


def test_fund_subtotal_is_not_the_table_total_guangzhou() -> None:
    """总计 | 财政拨款 / 合计 | …: the nested 合计 is the appropriations' subtotal, not a second total;
    其中:基本支出 names a part. (财政专户拨款收入 over two unnamed parts stays visible: no vocabulary.)"""
    doc = _doc("gd_guangzhou_tongjiju_2026_yusuan.pdf")
    assert _repeated_keys(doc, {"expenditure", "general_budget_expenditure"}) == []
    assert within_table_breaks(doc) == []


def test_procurement_subtotal_and_fund_source_columns_shenzhen() -> None:
    """2026年政府采购项目 / 小计 is no spending total; 单位资金 / 附属单位上缴收入 is a fund source,
    not 对附属单位补助支出."""
    doc = _doc("gd_shenzhen_caizhengju_2026_yusuan.pdf")
    assert _repeated_keys(doc, {"expenditure", "general_budget_expenditure"}) == []
    pages = {b.page for b in within_table_breaks(doc) if b.identity == "row_total"}
    assert pages == set()


def test_amount_and_of_which_under_one_source_changsha() -> None:
    """本级财政拨款 over 金额 | 其中:经费拨款: one fiscal_appropriation; 人员类 is personnel."""
    doc = _doc("hn_changsha_xinfangju_2026_yusuan.pdf")
    assert _repeated_keys(doc) == []
    assert "personnel" in _keys(doc, "basic_expenditure_economic")
    assert [b for b in within_table_breaks(doc) if b.identity == "row_total"] == []


def test_line_numbers_are_not_amounts_central_final_accounts() -> None:
    """行次 columns and the 栏次 line of a central department's 决算 are numbering, not figures."""
    doc = _doc("zhongyang_guojiaxinfangju_2024_juesuan.pdf")
    assert _repeated_keys(doc, {"revenue_expenditure_summary", "fiscal_appropriation_summary"}) == []
    assert within_table_breaks(doc) == []


def test_three_levels_and_years_xian() -> None:
    """部门预算 / 公共预算拨款 / 小计 is no second total; 2020年 | 2021年 | 增减变化情况 in the 三公
    table are prior, current and no amount."""
    doc = _doc("sn_xian_xuanchuanbu_2021_yusuan.pdf")
    assert _repeated_keys(doc, {"expenditure", "three_public_costs"}) == []
    three = _keys(doc, "three_public_costs")
    assert "prior_budget/overseas_travel" in three and "current_budget/overseas_travel" in three
