"""Column meanings from a header tree (issue 12): a group's 小计 is the group's total."""

from __future__ import annotations

from extract.tables.columns import plan_columns


def _keys(kind: str, paths: list[list[str]]) -> list[str | None]:
    return [c.key if c else None for c in plan_columns(kind, paths, [])]


def test_group_subtotal_is_the_group_and_its_parts_keep_their_meaning() -> None:
    paths = [["合计", "合计"], ["基本支出", "小计"], ["基本支出", "人员支出"], ["基本支出", "日常公用支出"]]
    paths.append(["项目支出", "项目支出"])
    assert _keys("general_budget_expenditure", paths) == ["total", "basic", "personnel", "public", "project"]


def test_subtotal_of_a_group_without_meaning_is_not_the_table_total() -> None:
    paths = [["总计", "总计"], ["财政拨款", "合计"], ["财政拨款", "一般公共预算"], ["其他资金", "其他资金"]]
    assert _keys("expenditure", paths)[:2] == ["total", None]


def test_total_of_a_group_spanning_every_column_is_the_table_total() -> None:
    paths = [["部门预算", "合计"], ["部门预算", "基本支出"], ["部门预算", "项目支出"]]
    assert _keys("expenditure", paths) == ["total", "basic", "project"]


def test_revenue_breakdown_repeating_another_group_has_no_meaning() -> None:
    paths = [
        ["总计", "总计"],
        ["本年收入", "小计"],
        ["本年收入", "一般公共预算"],
        ["上年结转结余", "小计"],
        ["上年结转结余", "一般公共预算"],
        ["上年结转结余", "单位资金"],
    ]
    assert _keys("revenue", paths) == ["total", None, "general_budget", "carryover", None, None]


def test_of_which_columns_and_line_numbers() -> None:
    paths = [["行次"], ["本级财政拨款", "金额"], ["本级财政拨款", "其中:经费拨款"], ["使用非财政拨款结余"]]
    assert _keys("revenue", paths) == [None, "fiscal_appropriation", None, "surplus_use"]
    assert _keys("general_budget_expenditure", [["小计"], ["其中:基本支出"], ["项目支出"]]) == [
        "total",
        "basic",
        "project",
    ]


def test_three_public_years_by_position() -> None:
    paths = [["2025年预算数", "合计"], ["2026年预算数", "合计"], ["增减变化情况", "合计"]]
    assert _keys("three_public_costs", paths) == ["prior_budget/total", "current_budget/total", None]
