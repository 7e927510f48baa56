"""Which table is which and tables continued over pages (issue 12): the pure functions."""

from __future__ import annotations

from extract.grids.lattice import GridCell, PageTable
from extract.grids.structure import LogicalTable, repeats_heading
from extract.tables.cells import join_split_code
from extract.tables.columns import plan_columns
from extract.tables.kinds import classify_title, read_heading
from extract.tables.row_kinds import kind_from_rows, row_scheme


def _part(page: int, rows: list[list[str]]) -> PageTable:
    grid = [[GridCell(text) for text in row] for row in rows]
    return PageTable(page, 0, "lattice", (0.0, 0.0, 100.0, 100.0), grid)


def test_row_scheme_from_codes_and_class_names() -> None:
    assert row_scheme(["301", "01", "基本工资"]) == "economic"
    assert row_scheme(["", "50101-工资奖金津补贴", "30101-基本工资"]) == "economic"
    assert row_scheme(["2080505", "机关事业单位基本养老保险缴费支出"]) == "functional"
    assert row_scheme(["工资福利支出", "8,490.42"]) == "economic"
    assert row_scheme(["二、教育支出", "1.00"]) == "functional"
    assert row_scheme(["其他支出", "1.00"]) is None  # a 类 name of both classifications
    assert row_scheme(["", "合计", "500"]) is None  # an amount after a label is no code
    assert row_scheme(["236.54", "x"]) is None


def test_kind_from_rows() -> None:
    assert kind_from_rows("expenditure", "economic") == "expenditure_economic"
    assert kind_from_rows("general_budget_expenditure", "economic") == "expenditure_economic"
    assert kind_from_rows("basic_expenditure_economic", "functional") == "basic_expenditure_functional"
    assert kind_from_rows("basic_expenditure_economic", "economic") is None
    assert kind_from_rows("expenditure", None) is None
    assert kind_from_rows("revenue", "economic") is None


def test_titles_naming_their_classification() -> None:
    assert classify_title("一般公共预算基本支出明细表（按支出功能分类科目-不含上年结转）") == (
        "basic_expenditure_functional"
    )
    title = "一般公共预算支出明细表（按支出经济分类科目-不含上年结转）"
    assert classify_title(title) == "expenditure_economic"
    assert classify_title("一般公共预算支出表(按功能分类)") == "general_budget_expenditure"
    assert classify_title("部门一般公共预算基本支出部门预算经济分类预算表") == "basic_expenditure_economic"
    assert classify_title("财政拨款基本支出预算表(经济科目)") == "fiscal_basic_expenditure"


def test_table_number_glued_to_the_year() -> None:
    heading = read_heading("表1 2021年部门综合预算收支总表 单位：元 ")
    assert (heading.label, heading.kind, heading.unit) == ("表1", "revenue_expenditure_summary", "元")


def test_split_code_takes_the_levels_above_from_the_previous_row() -> None:
    assert join_split_code(["208", "01", "01"]) == "2080101"
    assert join_split_code(["", "01", ""], "205") == "20501"
    assert join_split_code(["", "", "99"], "2050101") == "2050199"
    assert join_split_code(["", "01", ""]) is None
    assert join_split_code(["301", "01", "501", "01"]) == "30101"  # two schemes side by side


def test_repeated_title_and_header_continue_the_table() -> None:
    header = [["科目编码", "科目名称", "合计"], ["类", "", ""]]
    first = _part(10, [*header, ["205", "教育支出", "1.00"]])
    table = LogicalTable("revenue", "收入总体情况表", "公开表2", "万元", header, [first])
    heading = read_heading("公开表2\n收入总体情况表\n单位：万元")
    assert repeats_heading(table, heading, _part(11, [*header, ["", "", "2.00"]]), 2)
    other = read_heading("公开表3\n支出总体情况表")
    assert not repeats_heading(table, other, _part(11, [*header, ["", "", "2.00"]]), 2)
    changed = [["科目编码", "科目名称", "小计"], ["类", "", ""]]
    assert not repeats_heading(table, heading, _part(11, [*changed, ["", "", "2.00"]]), 2)


def test_summary_groups_by_economic_class_get_their_own_side() -> None:
    paths = [
        ["收入", "项目"],
        ["收入", "预算数"],
        ["支出", "支出功能分科目(按大类)"],
        ["支出", "预算数"],
        ["支出", "部门预算支出经济科目(按大类)"],
        ["支出", "预算数"],
        ["支出", "政府预算支出经济分类科目(按大类)"],
        ["支出", "预算数"],
    ]
    keys = [c.key for c in plan_columns("revenue_expenditure_summary", paths, []) if c and c.key]
    assert keys == [
        "revenue/amount",
        "expenditure/amount",
        "expenditure_economic/amount",
        "expenditure_government_economic/amount",
    ]
