"""Layout features of real budget PDFs, drawn by the synthetic generator and read back by extract_document.

Each test draws a small document (one to three table pages) whose every amount is
known, and checks that the tables are recognized, every amount equals the truth
exactly (in 元, after the table's printed unit), codes are canonical and in order,
unreadable cells are reported, and continuations stitch into one table. Tests
marked xfail record what the extractor still gets wrong (the reason says where).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from extract.text import compact, normalize
from tests.support.synthetic import (
    FONT_PATH,
    UNIT_FACTORS,
    NumberStyle,
    PageSplit,
    SyntheticDocument,
    font_available,
    generate,
)

pytestmark = pytest.mark.skipif(
    not font_available(), reason=f"CJK font {FONT_PATH} not installed (apt-get install fonts-wqy-microhei)"
)

Key = tuple[str, str, str]
CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


def build(
    tmp_path: Path, tables: tuple[str, ...], seed: int = 7, **options: object
) -> tuple[SyntheticDocument, ExtractedDocument]:
    """Draw a document with only the given tables (no narrative page: it costs time, tests nothing here)."""
    doc = generate(tmp_path / "budget.pdf", seed, tables=tables, narrative=False, **options)
    return doc, extract_document(doc.path)


def extracted_amounts(ex: ExtractedDocument) -> dict[Key, Decimal]:
    """(kind, code or item key or name, column key) → amount in 元; a blank cell counts as zero."""
    amounts: dict[Key, Decimal] = {}
    for item in ex.line_items:
        table = ex.tables[item.table_index]
        assert table.kind is not None and table.unit is not None, (table.title, table.unit)
        key = (table.kind, item.item_code or item.item_key or item.item_name, item.column_key)
        assert key not in amounts, f"two line items for {key} (page {item.page})"
        value = Decimal(item.amount_text) if item.amount_text is not None else Decimal(0)
        amounts[key] = value * UNIT_FACTORS[table.unit]
    return amounts


def truth_amounts(doc: SyntheticDocument) -> dict[Key, Decimal]:
    return {(kind, normalize(row), column): value for (kind, row, column), value in doc.amounts().items()}


def amount_differences(doc: SyntheticDocument, ex: ExtractedDocument) -> list[str]:
    """Readable differences between drawn and extracted amounts (empty when they agree exactly)."""
    want, got = truth_amounts(doc), extracted_amounts(ex)
    problems = [f"missing {k} = {v}" for k, v in want.items() if k not in got]
    problems += [f"unexpected {k} = {v}" for k, v in got.items() if k not in want]
    problems += [f"{k}: drawn {v}, extracted {got[k]}" for k, v in want.items() if k in got and got[k] != v]
    return problems


def table_rows(ex: ExtractedDocument, kind: str) -> list[tuple[str | None, str, int]]:
    """(code, name, page) of each data row of the table of that kind that has line items, in order."""
    index = next(i for i, t in enumerate(ex.tables) if t.kind == kind)
    rows: dict[int, tuple[str | None, str, int]] = {}
    for item in ex.line_items:
        if item.table_index == index:
            rows.setdefault(item.row_index, (item.item_code, item.item_name, item.page))
    return [rows[r] for r in sorted(rows)]


def drawn_rows(doc: SyntheticDocument, kind: str) -> list[tuple[str | None, str, int]]:
    table = doc.table(kind)
    return [
        (line.code, normalize(line.name), page)
        for line, page in zip(table.lines, table.line_pages, strict=True)
    ]


def assert_exact(doc: SyntheticDocument, ex: ExtractedDocument) -> None:
    """Same tables in order, every amount exact, no issue, coded rows canonical and in order."""
    assert [t.kind for t in ex.tables] == [t.kind for t in doc.tables]
    assert [t.unit for t in ex.tables] == [t.unit for t in doc.tables]
    assert amount_differences(doc, ex) == []
    assert [(i.issue_kind, i.page, i.raw_text) for i in ex.issues] == []
    for table in doc.tables:
        if table.kind in ("expenditure", "general_budget_expenditure", "basic_expenditure_economic"):
            rows = table_rows(ex, table.kind)
            assert all(code is None or CODE.match(code) for code, _, _ in rows)
            assert rows == drawn_rows(doc, table.kind)


# -- rules, pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rules", ["lines", "rects", "both", "three_line"])
def test_rules_drawn_as_lines_rectangles_both_or_three_line(tmp_path: Path, rules: str) -> None:
    doc, ex = build(tmp_path, ("revenue_expenditure_summary", "expenditure"), rules=rules)
    assert_exact(doc, ex)
    meta = ex.metadata
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == (
        doc.budget.department,
        doc.budget.year,
        "预算",
    )


@pytest.mark.parametrize(("page_size", "landscape"), [("A3", False), ("A4", True), ("A3", True)])
def test_page_sizes_and_orientation(tmp_path: Path, page_size: str, landscape: bool) -> None:
    doc, ex = build(tmp_path, ("general_budget_expenditure",), page_size=page_size, landscape=landscape)
    assert_exact(doc, ex)


@pytest.mark.parametrize(
    "rules",
    [
        "lines",
        "three_line",
    ],
)
def test_rotated_pages(tmp_path: Path, rules: str) -> None:
    doc, ex = build(tmp_path, ("general_budget_expenditure",), rotate=90, landscape=True, rules=rules)
    assert_exact(doc, ex)


# -- codes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code_layout", ["joined", "split", "glued"])
def test_code_layouts_give_canonical_codes(tmp_path: Path, code_layout: str) -> None:
    doc, ex = build(tmp_path, ("expenditure", "basic_expenditure_economic"), code_layout=code_layout)
    assert_exact(doc, ex)


@pytest.mark.parametrize("rules", ["lines", "three_line"])
def test_split_codes_keep_every_level_in_both_classifications(tmp_path: Path, rules: str) -> None:
    """Without vertical rules the 款 header word can sit over the wrong column (found by the
    1,000-document benchmark: 30103 read as 301, its document quarantined)."""
    doc, ex = build(tmp_path, ("expenditure", "basic_expenditure_economic"), code_layout="split", rules=rules)
    assert_exact(doc, ex)


def test_names_only_rows_keep_their_names_order_and_amounts(tmp_path: Path) -> None:
    """Without codes (level shown by indentation) a row is its name; amounts follow the rows in order.
    A 类 is known by its national name; the rows below it stay uncoded, and the issue counts them."""
    doc, ex = build(tmp_path, ("general_budget_expenditure",), code_layout="names_only")
    kind = "general_budget_expenditure"
    assert [t.kind for t in ex.tables] == [kind]
    lines = doc.table(kind).lines
    assert [(code, name) for code, name, _ in table_rows(ex, kind)] == [
        (line.code if line.code and len(line.code) == 3 else None, normalize(line.name)) for line in lines
    ]
    below_class = [line for line in lines if line.code and len(line.code) > 3]
    assert below_class  # the layout prints 款 and 项 rows, or this test proves nothing
    (issue,) = [i for i in ex.issues if i.issue_kind == "uncoded_rows"]
    assert issue.message.startswith(f"{len(below_class)} row(s) print no classification code")
    unit = UNIT_FACTORS[doc.table(kind).unit]
    got = [
        (item.row_index, item.column_key, Decimal(item.amount_text or 0) * unit)
        for item in sorted(ex.line_items, key=lambda i: (i.row_index, i.col_index))
    ]
    want = [(r, c, v) for r, line in enumerate(doc.table(kind).lines) for c, v in line.amounts.items()]
    assert got == want


# -- numbers and units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "style",
    [
        NumberStyle(thousands=False, zero="0"),
        NumberStyle(zero="0.00", negative="parens"),
        NumberStyle(zero="-", negative="minus"),
        NumberStyle(thousands=False, zero="—", negative="parens"),
        NumberStyle(full_width=True, zero="0.00", negative="parens"),
    ],
    ids=["plain-zero0", "zero0.00-parens", "dash-minus", "plain-emdash-parens", "fullwidth"],
)
def test_number_styles(tmp_path: Path, style: NumberStyle) -> None:
    doc, ex = build(tmp_path, ("general_budget_expenditure",), number_style=style, negative_line=True)
    assert any(v < 0 for v in doc.amounts().values())  # the negative line is really there
    assert_exact(doc, ex)


@pytest.mark.parametrize(
    "options",
    [
        {"unit": "元"},
        {"unit": "元", "number_style": NumberStyle(decimals=0)},  # whole-yuan integers: 164,978,640
        {"unit": "千元", "colon": ":"},
        {"unit": "亿元", "unit_prefix": "金额单位"},
        {
            "unit": "元",
            "units": {"general_budget_expenditure": "万元"},
            "colon": ":",
        },  # Shanghai: units switch
    ],
    ids=["yuan", "yuan-integers", "thousand-halfwidth-colon", "hundred-million", "yuan-then-wan"],
)
def test_units_convert_exactly(tmp_path: Path, options: dict) -> None:
    doc, ex = build(tmp_path, ("revenue_expenditure_summary", "general_budget_expenditure"), **options)
    assert_exact(doc, ex)


# -- cells -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code_layout", ["joined", "split"])
def test_long_names_wrapped_over_two_lines(tmp_path: Path, code_layout: str) -> None:
    doc, ex = build(tmp_path, ("expenditure",), seed=3, wrap_long_names=True, code_layout=code_layout)
    assert any(len(line.name) > 9 for line in doc.table("expenditure").lines)  # something did wrap
    assert_exact(doc, ex)


@pytest.mark.parametrize(
    "zero",
    [
        "",
        "-",
    ],
    ids=["figure", "dash"],
)
def test_amount_glued_to_next_label(tmp_path: Path, zero: str) -> None:
    """收支总表: the revenue amount runs into the spending label (`96,282,213.44 一、公共安全支出`)."""
    doc, ex = build(
        tmp_path,
        ("revenue_expenditure_summary",),
        seed=7,
        glue_amount_to_next_label=True,
        number_style=NumberStyle(zero=zero),
    )
    glued = re.compile(r"^(?:[\d,.()-]+|-)[一二三四五六七八九十]+、")
    assert any(glued.match(compact(raw)) for row in ex.tables[0].rows for raw in row.raw)  # it was glued
    assert_exact(doc, ex)


def test_non_number_cells_become_issues(tmp_path: Path) -> None:
    """A typo in an amount cell is reported where it is, never read as zero or dropped silently."""
    typos = ("12O.50", "1.234.56", "待定")
    doc, ex = build(tmp_path, ("expenditure",), bad_amounts=typos)
    assert {(b.page, b.text) for b in doc.bad_cells} == {
        (doc.table("expenditure").pages[0], t) for t in typos
    }
    issues = {(i.issue_kind, i.page, compact(i.raw_text)) for i in ex.issues}
    assert issues == {("not_a_number", b.page, b.text) for b in doc.bad_cells}
    assert amount_differences(doc, ex) == []  # the typo cells have no line item; every other cell is exact


# -- pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_table_continued_on_next_page(tmp_path: Path, repeat_header: bool) -> None:
    split = PageSplit("expenditure", rows_before=5, repeat_header=repeat_header)
    doc, ex = build(tmp_path, ("expenditure", "basic_expenditure_economic"), split_across_pages=split)
    table = ex.tables[0]
    assert (table.page_first, table.page_last) == (2, 3)
    assert len(table.rows) == len(doc.table("expenditure").lines)
    assert_exact(doc, ex)  # rows compared with the page each was printed on


def test_long_table_breaks_where_the_page_is_full(tmp_path: Path) -> None:
    """A 收支总表 listing every functional class does not fit one landscape A4 page: header repeated."""
    doc, ex = build(tmp_path, ("revenue_expenditure_summary",), landscape=True, all_functional_classes=True)
    assert doc.table("revenue_expenditure_summary").pages == (2, 3)
    assert_exact(doc, ex)


def test_row_label_broken_across_pages(tmp_path: Path) -> None:
    """The name's first half ends page 2 (with the row's figures), its rest starts page 3 alone."""
    split = PageSplit("expenditure", rows_before=5, break_label=True)
    doc, ex = build(tmp_path, ("expenditure",), split_across_pages=split)
    broken = doc.table("expenditure").lines[4]
    names = [name for _, name, _ in table_rows(ex, "expenditure")]
    assert normalize(broken.name) in names
    assert_exact(doc, ex)


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_page_holding_only_the_total_row(tmp_path: Path, repeat_header: bool) -> None:
    split = PageSplit("expenditure", rows_before=-1, repeat_header=repeat_header)
    doc, ex = build(tmp_path, ("expenditure",), total_row="bottom", split_across_pages=split)
    drawn = doc.table("expenditure")
    assert drawn.line_pages.count(3) == 1 and drawn.lines[-1].name == "合计"
    assert_exact(doc, ex)


@pytest.mark.parametrize(
    "rules",
    [
        "lines",
        "three_line",
    ],
)
def test_tail_on_the_page_where_the_next_table_starts(tmp_path: Path, rules: str) -> None:
    split = PageSplit("expenditure", rows_before=-3, repeat_header=rules == "three_line")
    doc, ex = build(
        tmp_path,
        ("expenditure", "basic_expenditure_economic"),
        rules=rules,
        split_across_pages=split,
        tail_on_next_table_page=True,
    )
    assert doc.table("expenditure").pages == (2, 3) and doc.table("basic_expenditure_economic").pages == (3,)
    assert [(t.page_first, t.page_last) for t in ex.tables] == [(2, 3), (3, 3)]
    assert_exact(doc, ex)


# -- tables ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        "below",
        "inside",
    ],
)
def test_empty_table_with_note(tmp_path: Path, where: str) -> None:
    """An empty table is data (nothing budgeted), not a failed extraction."""
    doc, ex = build(tmp_path, ("general_budget_expenditure",), empty_table_with_note=where)
    assert [t.kind for t in ex.tables] == ["general_budget_expenditure", "government_fund_expenditure"]
    assert not [i for i in ex.issues if i.issue_kind in ("not_a_number", "ignored_table")]
    fund = [i for i in ex.line_items if i.table_index == 1]
    assert all(i.amount_text is None and i.is_blank for i in fund)
    assert amount_differences(doc, ex) == []


@pytest.mark.parametrize(
    ("rules", "zero"),
    [
        ("lines", "0.00"),
        ("lines", ""),
        ("three_line", "0.00"),
    ],
    ids=["ruled", "ruled-blank-cells", "three-line"],
)
def test_three_public_costs_table(tmp_path: Path, rules: str, zero: str) -> None:
    """三公: three header levels (basis / category / 小计 购置费 运行费), prior and current year."""
    doc, ex = build(tmp_path, ("three_public_costs",), rules=rules, number_style=NumberStyle(zero=zero))
    assert_exact(doc, ex)


LABEL_STYLES = ["部门公开表N", "公开表一", "公开01表", "表一", "一、", None]


@pytest.mark.parametrize("style", LABEL_STYLES)
def test_labels_and_title_variants(tmp_path: Path, style: str | None) -> None:
    variant = LABEL_STYLES.index(style)
    doc, ex = build(tmp_path, ("revenue",), label_style=style, title_variant=variant)
    assert [(t.kind, t.label, t.title) for t in ex.tables] == [
        (t.kind, t.label, compact(t.title)) for t in doc.tables
    ]
    assert_exact(doc, ex)
