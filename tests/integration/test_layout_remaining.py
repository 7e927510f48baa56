"""Issue 12's remaining misreadings, each a layout family (docs/layouts.md), on real published
documents (../shared/real2, never copied): column-number rows, a department's subtotal over its
units, one meaning printed in parts, a 三公 table split by fund with years as rows, a fund's own
summary, a total label merged over side-by-side groups, and a break the publisher printed.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pytest

from extract.identities import Break, within_table_breaks
from extract.pipeline import ExtractedDocument, extract_document
from tests.integration.conftest import RealInboxRun
from tests.integration.test_layout_nested_headers import _repeated_keys

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"


@cache
def _doc(name: str) -> ExtractedDocument:
    path = REAL2 / name
    if not path.exists():
        pytest.skip(f"{path} absent: the shared real documents are not on this machine")
    return extract_document(path)


def _table(doc: ExtractedDocument, page: int) -> int:
    return next(i for i, t in enumerate(doc.tables) if t.page_first <= page <= t.page_last and t.kind)


def _rows(doc: ExtractedDocument, index: int) -> dict[int, dict[str, str | None]]:
    rows: dict[int, dict[str, str | None]] = {}
    for item in doc.line_items:
        if item.table_index == index:
            rows.setdefault(item.row_index, {"name": item.item_name})[item.column_key] = item.amount_text
    return rows


@pytest.mark.parametrize(
    ("name", "page"),
    [("hn_changsha_xinfangju_2026_yusuan.pdf", 13), ("zj_hangzhou_qixiangju_2026_yusuan.pdf", 16)],
)
def test_column_number_rows_are_never_data(name: str, page: int) -> None:
    """** | 1 | 2 | 3 … with a number on a column of no meaning (其中:经费拨款, a group's 小计) too."""
    doc = _doc(name)
    rows = _rows(doc, _table(doc, page))
    assert all(row["name"] not in ("**", "栏次") for row in rows.values())
    assert all(row.get("total") not in ("1", "2") for row in rows.values())


def test_department_row_over_its_units_is_recorded_zhejiang() -> None:
    """杭州市气象局 5,876.67 = 杭州市气象局 5,011.05 + 中心 865.62: the subtotal, read and recorded."""
    doc = _doc("zj_hangzhou_qixiangju_2026_yusuan.pdf")
    index = _table(doc, 16)
    rows = _rows(doc, index)
    marked = {i.row_index for i in doc.line_items if i.table_index == index and i.item_key == "unit_subtotal"}
    assert [(rows[r]["name"], rows[r]["total"]) for r in marked] == [("杭州市气象局", "5876.67")]
    units = [r for k, r in rows.items() if k not in marked and r["name"] != "合计"]
    total = next(r for r in rows.values() if r["name"] == "合计")
    assert sum(Decimal(r["total"] or 0) for r in units) == Decimal(total["total"] or 0)


def test_one_source_in_two_unnamed_parts_guangzhou() -> None:
    """财政专户拨款收入 over 教育收费 | 其他专户收入拨款 (no 小计): one part keeps the meaning."""
    doc = _doc("gd_guangzhou_tongjiju_2026_yusuan.pdf")
    index = _table(doc, 8)
    assert doc.tables[index].kind == "revenue"
    assert _repeated_keys(doc) == []
    assert "fiscal_special_account" in {k for r in _rows(doc, index).values() for k in r}


def test_three_public_split_by_fund_with_years_as_rows_shenzhen() -> None:
    """总计 | 出国 | 接待 | 车辆 over 一般公共预算 | 政府性基金预算 | 国有资本经营预算, rows 2025年 |
    2026年 | 增减变化金额: each category once per year, the years as prior and current budget."""
    doc = _doc("gd_shenzhen_caizhengju_2026_yusuan.pdf")
    index = _table(doc, 38)
    assert doc.tables[index].kind == "three_public_costs"
    assert _repeated_keys(doc) == []
    rows = list(_rows(doc, index).values())
    assert [r.get("prior_budget/total") for r in rows] == ["59.66", None]
    assert [r.get("current_budget/total") for r in rows] == [None, "58.46"]
    assert rows[1]["current_budget/overseas_travel"] == "41.60"
    assert rows[1]["current_budget/vehicle_operation"] == "7.40"


def test_fund_summary_is_not_its_spending_xian() -> None:
    """政府性基金收支表: 收入 | 支出 by function | by two economic schemes, a summary of one fund."""
    doc = _doc("sn_xian_xuanchuanbu_2021_yusuan.pdf")
    index = _table(doc, 32)
    assert doc.tables[index].kind == "government_fund_summary"
    keys = {k for r in _rows(doc, index).values() for k in r}
    assert {"revenue/amount", "expenditure/amount", "expenditure_economic/amount"} <= keys
    assert _repeated_keys(doc) == []


def test_total_label_merged_over_two_groups_central_final_accounts() -> None:
    """人员经费 | 公用经费 (two code | name | 决算数 groups): 公用经费合计 spans both groups, its figure
    printed in the last: one line, 2,266.65 once."""
    doc = _doc("zhongyang_guojiaxinfangju_2024_juesuan.pdf")
    index = _table(doc, 12)
    assert _repeated_keys(doc) == []
    totals = [i for i in doc.line_items if i.table_index == index and i.row_role == "total"]
    assert sorted((i.item_name, i.column_key, i.amount_text) for i in totals) == [
        ("人员经费合计", "personnel", "7967.72"),
        ("公用经费合计", "public", "2266.65"),
    ]
    assert within_table_breaks(doc) == []


def test_totals_by_unit_are_no_functional_classes_xian() -> None:
    """表2 收入总表 / 表3 支出总表 (pp19–20) list the department and its units by 单位编码 (201,
    201001, 201002), not by functional class: no row of theirs is a classification code."""
    doc = _doc("sn_xian_xuanchuanbu_2021_yusuan.pdf")
    for page in (19, 20):
        index = _table(doc, page)
        names = {i.item_name for i in doc.line_items if i.table_index == index}
        codes = {i.item_code for i in doc.line_items if i.table_index == index}
        assert {"中共西安市委宣传部", "中共西安市委理论讲师团"} <= names
        assert codes == {None}


# What the publisher printed (pypdfium2 text of pp. 9 and 11, no row lost): 20402 公安 prints
# 项目支出 25,769.81 (p9) and 17,769.81 (p11) while its only project 项 2040299 其他公安支出 prints
# 16,389.79 and 8,389.79: 9,380.02 万元 of project spending in no 项, in both tables.
FUZHOU_PRINTED = [
    Break(9, "expenditure", "parent_total", "20402", Decimal("48200.88"), Decimal("38820.86")),
    Break(9, "expenditure", "parent_project", "20402", Decimal("25769.81"), Decimal("16389.79")),
    Break(
        11, "general_budget_expenditure", "parent_total", "20402", Decimal("40200.88"), Decimal("30820.86")
    ),
    Break(
        11, "general_budget_expenditure", "parent_project", "20402", Decimal("17769.81"), Decimal("8389.79")
    ),
]


def test_fuzhou_breaks_are_the_printed_ones() -> None:
    doc = _doc("fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf")
    assert within_table_breaks(doc) == FUZHOU_PRINTED


# Error findings the documents of this issue print themselves, checked in the PDF text: Fuzhou's
# 20402 公安 above (万元), and Xi'an's 表13 (p41, 元) whose 2021年 合计 is not 三公 + 会议费 + 培训费:
# 合计 1,171,100.00 against 65,100.00 + 320,000.00 + 1,096,000.00 (the department and its 201 line),
# 201001 1,066,000.00 against 60,000.00 + 200,000.00 + 996,000.00, 201002 105,100.00 against
# 5,100.00 + 120,000.00 + 100,000.00 (the 2020年 columns and the 增减 columns add up).
PRINTED_ERRORS = {
    (
        "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf",
        "parent_equals_children",
        9,
        "257698100.00",
        "163897900.00",
    ),
    (
        "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf",
        "parent_equals_children",
        9,
        "482008800.00",
        "388208600.00",
    ),
    (
        "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf",
        "parent_equals_children",
        11,
        "177698100.00",
        "83897900.00",
    ),
    (
        "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf",
        "parent_equals_children",
        11,
        "402008800.00",
        "308208600.00",
    ),
    ("sn_xian_xuanchuanbu_2021_yusuan.pdf", "three_public_grand_total", 41, "1171100.00", "1481100.00"),
    ("sn_xian_xuanchuanbu_2021_yusuan.pdf", "three_public_grand_total", 41, "1066000.00", "1256000.00"),
    ("sn_xian_xuanchuanbu_2021_yusuan.pdf", "three_public_grand_total", 41, "105100.00", "225100.00"),
}
DOCUMENTS = (
    "hn_changsha_xinfangju_2026_yusuan.pdf",
    "zj_hangzhou_qixiangju_2026_yusuan.pdf",
    "gd_guangzhou_tongjiju_2026_yusuan.pdf",
    "gd_shenzhen_caizhengju_2026_yusuan.pdf",
    "sn_xian_xuanchuanbu_2021_yusuan.pdf",
    "zhongyang_guojiaxinfangju_2024_juesuan.pdf",
    "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf",
)


@pytest.mark.slow
def test_error_findings_are_the_printed_ones(real_inbox_run: RealInboxRun) -> None:
    """The warehouse over every shared document: this issue's documents break only what they print."""
    with duckdb.connect(str(real_inbox_run.warehouse), read_only=True) as con:
        found = con.execute(
            "select distinct d.file_name, f.identity, f.page, cast(f.expected_yuan as varchar), "
            "cast(f.actual_yuan as varchar) from audit.identity_findings f join audit.documents d "
            "using (document_id) where f.severity = 'error' "
            "and d.file_name in "
            f"({', '.join('?' for _ in DOCUMENTS)})",
            list(DOCUMENTS),
        ).fetchall()
    assert set(found) == PRINTED_ERRORS


@pytest.mark.slow
def test_cost_type_split_of_a_table_in_two_groups(real_inbox_run: RealInboxRun) -> None:
    """The central final accounts print 人员经费 | 公用经费 side by side, each group code | name |
    amount, with no 合计 column: a class's amount is its group's (p12: 301 6,982.75 + 303 984.97 =
    人员经费合计 7,967.72; 302 2,239.41 + 310 27.24 = 公用经费合计 2,266.65). Read from the 合计
    column only, both sides were 0 against the printed totals: two false findings."""
    with duckdb.connect(str(real_inbox_run.warehouse), read_only=True) as con:
        found = con.execute(
            "select f.item from audit.identity_findings f join audit.documents d using (document_id) "
            "where d.file_name = 'zhongyang_guojiaxinfangju_2024_juesuan.pdf' "
            "and f.identity = 'economic_cost_type_split'"
        ).fetchall()
        classes = con.execute(
            "select l.item_code, l.column_key, l.amount_text from intermediate.int_line_items l "
            "join audit.documents d using (document_id) "
            "where d.file_name = 'zhongyang_guojiaxinfangju_2024_juesuan.pdf' "
            "and l.table_kind = 'basic_expenditure_economic' and l.item_code in ('301', '303', '302', '310')"
        ).fetchall()
    assert found == []
    assert sorted(classes) == [
        ("301", "personnel", "6982.75"),
        ("302", "public", "2239.41"),
        ("303", "personnel", "984.97"),
        ("310", "public", "27.24"),
    ]
