"""A page drawn as one frame: its title and unit rows belong above the table, its margins to nothing."""

from __future__ import annotations

from extract.grids.frame import unframe_all
from extract.grids.lattice import GridCell, PageTable
from extract.grids.structure import stitch


def _table(page: int, rows: list[list[str]], text_above: str = "") -> PageTable:
    grid = [[GridCell(text) for text in row] for row in rows]
    return PageTable(page, 0, "lattice", (0.0, 0.0, 800.0, 500.0), grid, text_above=text_above)


FRAMED = [
    ["", "", "", "", ""],
    ["", "预算06表 一般公共预算基本支出表", "", "", ""],
    ["", "", "", "金额单位：万元", ""],
    ["", "部门支出经济分类科目", "合计", "人员经费", ""],
    ["", "30101-基本工资", "3,138.093600", "3,138.093600", ""],
]


def test_title_and_unit_rows_move_above_the_table() -> None:
    [table] = unframe_all([_table(6, FRAMED)])
    assert table.n_cols == 3 and table.n_rows == 2
    # Cell texts, normalized (half-width colon).
    assert table.text_above.splitlines() == ["预算06表 一般公共预算基本支出表", "金额单位:万元"]
    [logical] = stitch([table])
    assert (logical.kind, logical.label, logical.unit) == ("basic_expenditure_economic", "预算06表", "万元")


def test_a_continuation_page_in_the_same_frame_loses_its_margin() -> None:
    continued = _table(7, [["30102-津贴补贴", "6,513.561676", "6,513.561676", ""]])
    tables = unframe_all([_table(6, FRAMED), continued])
    assert [t.n_cols for t in tables] == [3, 3]
    [logical] = stitch(tables)
    assert (logical.page_first, logical.page_last, len(logical.rows)) == (6, 7, 2)


def test_tables_without_a_heading_inside_are_left_alone() -> None:
    """An empty column of figures on a continuation page is still a column."""
    plain = [_table(2, [["项目", "合计", "项目支出"], ["2080101", "1.00", ""]], "支出总表\n单位：万元")]
    assert unframe_all(plain) == plain
