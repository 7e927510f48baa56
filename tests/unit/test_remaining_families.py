"""Issue 12, the remaining layout families: pure functions on made-up rows (docs/layouts.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.tables.column_parts import settle_parts
from extract.tables.columns import Column, three_public_key
from extract.tables.labels import summary_row_key
from extract.tables.row_kinds import fund_summary_kind
from extract.tables.row_shapes import is_column_numbers, row_year_bases
from extract.tables.rows import LineItem
from extract.tables.unit_subtotals import mark_subtotals, read_subtotals, unit_subtotals


def test_column_numbers_rise_over_every_column_not_only_the_read_ones() -> None:
    # ** | 1 | 2 | 3 …: column 2 (a group's 小计) has no meaning but keeps its number.
    assert is_column_numbers(["**", "1", "2", "3", "4"], {0})
    assert is_column_numbers(["**", "**", "**", "**", "1", "2", "3"], {0, 1, 2, 3})
    assert is_column_numbers(["栏次", "1", "", "2"], {0})
    assert is_column_numbers(["", "13", "14", "15"], {0})  # a wide table's second page


def test_a_data_row_is_never_column_numbers() -> None:
    assert not is_column_numbers(["合计", "1", "2"], {0})  # a label
    assert not is_column_numbers(["", "12", "5", "7"], {0})  # a total first, at least each part
    assert not is_column_numbers(["", "1.00", "2.00"], {0})
    assert not is_column_numbers(["**", "1"], {0})
    assert not is_column_numbers(["", "1000", "2000"], {0})


def test_years_printed_as_rows_give_each_row_its_basis() -> None:
    labels = ["深圳市财政局(本级) 2025 年", "2026 年", "增减变化金额"]
    assert row_year_bases(labels) == ["prior_budget", "current_budget", "change"]
    assert row_year_bases(["合计", "某局"]) == [None, None]
    assert row_year_bases(["2026年", "增减"]) == [None, None]  # one year: the header decides


def test_a_three_public_category_split_by_fund_is_the_category() -> None:
    assert three_public_key(["因公出国(境)费", "一般公共预算"]) == "current_budget/overseas_travel"
    assert three_public_key(["总计", "政府性基金预算"]) == "current_budget/total"
    assert three_public_key(["公务用车购置及运行维护费", "小计", "国有资本经营预算"]) == (
        "current_budget/vehicle_total"
    )


def _amounts(*keys: str | None) -> list[Column | None]:
    return [Column(i, "amount", key) if key else Column(i, "label", None) for i, key in enumerate(keys)]


def test_parts_of_one_meaning_keep_it_on_the_part_with_figures() -> None:
    plan = _amounts(None, "total", "fiscal_special_account", "fiscal_special_account")
    columns = [["A"], ["5.00"], ["0.00"], ["5.00"]]
    settled = settle_parts(plan, columns)
    assert [c.key if c else None for c in settled.plan] == [None, "total", None, "fiscal_special_account"]
    assert settled.undecided == []


def test_parts_without_figures_keep_the_first_and_several_with_figures_are_undecided() -> None:
    plan = _amounts(None, "other", "other")
    assert [c.key if c else None for c in settle_parts(plan, [["A"], ["0.00"], [""]]).plan] == [
        None,
        "other",
        None,
    ]
    settled = settle_parts(plan, [["A"], ["1.00"], ["2.00"]])
    assert settled.plan == plan
    assert settled.undecided == [("other", [1, 2])]


def test_a_fund_table_with_revenue_and_spending_sides_is_its_summary() -> None:
    header = [["收 入", "收 入", "支 出", "支 出"], ["项 目", "预算数", "支出功能分类科目", "预算数"]]
    assert fund_summary_kind("government_fund_expenditure", header) == "government_fund_summary"
    assert fund_summary_kind("state_capital_expenditure", header) == "state_capital_summary"
    coded = [["科目编码", "科目名称", "本年政府性基金支出", "本年政府性基金支出"]]
    assert fund_summary_kind("government_fund_expenditure", coded) is None
    assert fund_summary_kind("expenditure", header) is None


def _figures(*values: str) -> dict[str, tuple[Decimal, Decimal]]:
    keys = ("total", "general_budget", "other")
    return {k: (Decimal(v), Decimal("0.005")) for k, v in zip(keys, values, strict=False)}


def test_a_subtotal_row_adds_the_rows_below_it() -> None:
    units = [_figures("5876.67", "5753.07"), _figures("5011.05", "4916.13"), _figures("865.62", "836.94")]
    assert read_subtotals(units) == [(0, 3)]
    assert read_subtotals([_figures("10.00"), _figures("4.00"), _figures("6.00")]) == [(0, 3)]
    assert read_subtotals([_figures("1.00"), _figures("2.00")]) == []


def _item(row: int, name: str, key: str, text: str, role: str = "item") -> LineItem:
    item_key = "revenue_total" if role == "total" else None
    return LineItem(1, row, 0, 16, role, None, name, item_key, key, text, False, text)


def test_the_reading_is_kept_only_when_the_total_confirms_it() -> None:
    rows = [("合计", "10.00", "total"), ("某局", "10.00", "item"), ("某局本级", "6.00", "item")]
    rows += [("某中心", "4.00", "item")]
    items = [_item(r, name, "total", text, role) for r, (name, text, role) in enumerate(rows)]
    (subtotal,) = unit_subtotals(items)
    assert (subtotal.row, subtotal.name, subtotal.children) == (1, "某局", (2, 3))
    assert [i.item_key for i in mark_subtotals(items)] == ["revenue_total", "unit_subtotal", None, None]
    # The 合计 adds every row as printed: the rows are units, no subtotal.
    flat = [*items[1:], _item(0, "合计", "total", "20.00", "total")]
    assert unit_subtotals(flat) == []


@pytest.mark.parametrize(
    "label", ["上年结余、结转", "二、上年结转", "上年财政拨款结转", "年初结转和结余", "上年结余"]
)
def test_last_years_money_is_carryover_however_it_is_worded(label: str) -> None:
    assert summary_row_key(label, "revenue") == (None, "carryover")
