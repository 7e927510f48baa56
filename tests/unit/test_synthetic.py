"""The synthetic generator's own guarantees: the budgets it invents are internally consistent, and the PDFs
it draws hold exactly what it says it drew (checked from the PDF text, without the extractor)."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.support.synthetic import (
    COLUMNS,
    FONT_PATH,
    Budget,
    Layout,
    Line,
    NumberStyle,
    PageSplit,
    font_available,
    format_amount,
    generate,
    make_budget,
    random_layout,
)

needs_font = pytest.mark.skipif(
    not font_available(), reason=f"CJK font {FONT_PATH} not installed (apt-get install fonts-wqy-microhei)"
)
SEEDS = range(20)
# 0.01 万元, 0.01 亿元 (the coarsest step a document can need) and 1 元
STEPS = [Decimal(100), Decimal(1_000_000), Decimal(1)]
FUNCTIONAL = ("expenditure", "general_budget_expenditure")


@pytest.fixture(params=[(seed, step) for seed in SEEDS for step in STEPS], ids=lambda p: f"{p[0]}-{p[1]}")
def budget(request: pytest.FixtureRequest) -> Budget:
    seed, step = request.param
    return make_budget(seed, step, negative_line=seed % 3 == 0)


def _sum(lines: list[Line], key: str) -> Decimal:
    return sum((line.amounts[key] for line in lines), Decimal(0))


def _by_code(lines: tuple[Line, ...]) -> dict[str, Line]:
    return {line.code: line for line in lines if line.code}


@pytest.mark.parametrize("kind", [*FUNCTIONAL, "basic_expenditure_economic"])
def test_parents_equal_the_sum_of_their_children(budget: Budget, kind: str) -> None:
    lines = budget.lines(kind)
    coded = _by_code(lines)
    leaf_length = 5 if kind == "basic_expenditure_economic" else 7
    for code, line in coded.items():
        children = [c for c in coded.values() if c.code.startswith(code) and len(c.code) == len(code) + 2]
        assert children or len(code) == leaf_length, f"{code} has no children"
        for key in COLUMNS[kind]:
            if children:
                assert line.amounts[key] == _sum(children, key), (code, key)
    total = lines[0]
    assert (total.code, total.name) == (None, "合计")
    classes = [line for line in lines if line.code and len(line.code) == 3]
    for key in COLUMNS[kind]:
        assert total.amounts[key] == _sum(classes, key)


@pytest.mark.parametrize("kind", [*FUNCTIONAL, "basic_expenditure_economic"])
def test_row_totals_equal_the_sum_of_their_parts(budget: Budget, kind: str) -> None:
    parts = [c for c in COLUMNS[kind] if c != "total"]
    for line in budget.lines(kind):
        assert line.amounts["total"] == sum((line.amounts[p] for p in parts), Decimal(0)), line.row_id


def test_basic_spending_by_cost_type(budget: Budget) -> None:
    """人员经费 holds 301 and 303, 公用经费 302; table 6 spreads exactly table 5's basic spending."""
    for line in budget.basic_economic[1:]:
        personnel = line.code[:3] in ("301", "303")
        assert line.amounts["public" if personnel else "personnel"] == 0
    assert budget.basic_economic[0].amounts["total"] == budget.general_budget[0].amounts["basic"]
    assert {"30217", "30231"} <= set(_by_code(budget.basic_economic))


def test_summary_balances(budget: Budget) -> None:
    """本年收入合计 + 上年结转 = 收入总计 = 支出总计 = 本年支出合计 + 结转下年; sides sum to their totals."""
    (revenue_total, expenditure_total), (carryover, carry_forward), (revenue_grand, expenditure_grand) = [
        (a.amounts["revenue/amount"], e.amounts["expenditure/amount"]) for a, e in budget.summary_totals
    ]
    assert (
        revenue_total + carryover == revenue_grand == expenditure_grand == expenditure_total + carry_forward
    )
    assert _sum(list(budget.revenue_sources), "revenue/amount") == revenue_total
    assert _sum(list(budget.functional_classes), "expenditure/amount") == expenditure_total
    # Table 1's classes are table 3's 类; its general-budget revenue is table 5's total.
    classes = {line.code: line.amounts["total"] for line in budget.expenditure if line.level == 1}
    assert {line.code: line.amounts["expenditure/amount"] for line in budget.functional_classes} == classes
    general = budget.revenue_sources[0]
    assert (general.key, general.amounts["revenue/amount"]) == (
        "general_budget",
        budget.general_budget[0].amounts["total"],
    )
    # Table 2: every row is the whole department; sources plus carry-over make its 合计.
    for line in budget.revenue:
        sources = [v for k, v in line.amounts.items() if k != "total"]
        assert line.amounts["total"] == sum(sources, Decimal(0)) == revenue_grand


def test_three_public_costs_add_up_and_match_table_6(budget: Budget) -> None:
    values = budget.three_public[0].amounts
    for basis in ("prior_budget", "current_budget"):
        v = {k.split("/")[1]: a for k, a in values.items() if k.startswith(basis)}
        assert v["vehicle_total"] == v["vehicle_purchase"] + v["vehicle_operation"]
        assert v["total"] == v["overseas_travel"] + v["vehicle_total"] + v["reception"]
    economic = _by_code(budget.basic_economic)
    assert values["current_budget/reception"] == economic["30217"].amounts["total"]
    assert values["current_budget/vehicle_operation"] == economic["30231"].amounts["total"]


def test_every_amount_is_a_multiple_of_the_step(budget: Budget) -> None:
    kinds = [
        *FUNCTIONAL,
        "basic_expenditure_economic",
        "three_public_costs",
        "revenue",
        "revenue_expenditure_summary",
    ]
    for kind in kinds:
        for line in budget.lines(kind):
            assert all(v % budget.step == 0 for v in line.amounts.values()), (kind, line.row_id)


def test_negative_line_only_when_asked() -> None:
    def negatives(b: Budget) -> list[str]:
        return [line.row_id for line in b.general_budget if line.level == 3 and line.amounts["project"] < 0]

    assert all(not negatives(make_budget(seed)) for seed in SEEDS)
    assert all(len(negatives(make_budget(seed, negative_line=True))) == 1 for seed in SEEDS)


def test_same_seed_same_budget_other_seed_other_budget() -> None:
    assert make_budget(5) == make_budget(5)
    assert make_budget(5) != make_budget(6)


@pytest.mark.parametrize(
    ("value", "unit", "style", "printed"),
    [
        (Decimal(12345600), "万元", NumberStyle(), "1,234.56"),
        (Decimal(12345600), "万元", NumberStyle(thousands=False), "1234.56"),
        (Decimal(12345600), "元", NumberStyle(), "12,345,600.00"),
        (Decimal(164978640), "元", NumberStyle(decimals=0), "164,978,640"),
        (Decimal(1250), "千元", NumberStyle(), "1.25"),
        (Decimal(2_000_000), "亿元", NumberStyle(), "0.02"),
        (Decimal(-125000), "万元", NumberStyle(negative="parens"), "(12.50)"),
        (Decimal(-125000), "万元", NumberStyle(), "-12.50"),
        (Decimal(125000), "万元", NumberStyle(full_width=True), "１２．５０"),
        (Decimal(0), "万元", NumberStyle(), ""),
        (Decimal(0), "万元", NumberStyle(zero="—"), "—"),
        (Decimal(0), "万元", NumberStyle(zero="0.00"), "0.00"),
    ],
)
def test_format_amount(value: Decimal, unit: str, style: NumberStyle, printed: str) -> None:
    assert format_amount(value, unit, style) == printed


def test_format_amount_refuses_to_round() -> None:
    with pytest.raises(ValueError, match="exactly"):
        format_amount(Decimal(123), "万元", NumberStyle())


def test_layout_step_covers_the_coarsest_unit() -> None:
    assert Layout().step() == Decimal(100)
    assert Layout(units={"three_public_costs": "亿元"}).step() == Decimal(1_000_000)
    assert Layout(unit="元", number_style=NumberStyle(decimals=0)).step() == Decimal(100)


# -- drawing -----------------------------------------------------------------------------------------------


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


@needs_font
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_drawn_amount_is_printed_on_its_page(tmp_path: Path, seed: int) -> None:
    layout = random_layout(seed)
    doc = generate(tmp_path / "doc.pdf", seed, layout)
    texts = _page_texts(doc.path)
    assert len(texts) == doc.pages
    for table in doc.tables:
        assert table.title in texts[table.pages[0] - 1]
        for line, page in zip(table.lines, table.line_pages, strict=True):
            for value in line.amounts.values():
                printed = format_amount(value, table.unit, layout.number_style)
                if printed:
                    assert printed in texts[page - 1], (table.kind, line.row_id, printed, page)


@needs_font
def test_page_geometry(tmp_path: Path) -> None:
    """The cover stays A4 portrait; table pages are A3 landscape as displayed, via /Rotate 90."""
    doc = generate(
        tmp_path / "doc.pdf", 1, page_size="A3", landscape=True, rotate=90, tables=("expenditure",)
    )
    pdf = pdfium.PdfDocument(str(doc.path))
    try:
        cover, narrative, table = (pdf[i] for i in range(3))
        assert [round(v) for v in cover.get_size()] == [595, 842] and cover.get_rotation() == 0
        assert narrative.get_rotation() == 0
        assert [round(v) for v in table.get_size()] == [1191, 842] and table.get_rotation() == 90
    finally:
        pdf.close()


@needs_font
def test_forced_breaks_tails_and_label_fragments(tmp_path: Path) -> None:
    split = PageSplit("expenditure", rows_before=-3, repeat_header=False, break_label=True)
    doc = generate(
        tmp_path / "doc.pdf",
        2,
        tables=("expenditure", "basic_expenditure_economic"),
        narrative=False,
        split_across_pages=split,
        tail_on_next_table_page=True,
    )
    expenditure = doc.table("expenditure")
    n = len(expenditure.lines)
    assert expenditure.line_pages == (2,) * (n - 3) + (3,) * 3
    assert doc.table("basic_expenditure_economic").pages == (3,)
    broken = expenditure.lines[n - 4].name
    text = _page_texts(doc.path)[1]
    assert broken not in text and broken[: len(broken) // 2] in text  # only its first half on page 2


@needs_font
def test_empty_table_and_bad_cells_are_recorded(tmp_path: Path) -> None:
    doc = generate(
        tmp_path / "doc.pdf",
        3,
        tables=("expenditure",),
        empty_table_with_note="inside",
        bad_amounts=("待定",),
    )
    assert [t.kind for t in doc.tables] == ["expenditure", "government_fund_expenditure"]
    assert doc.table("government_fund_expenditure").lines == ()
    (bad,) = doc.bad_cells
    assert (bad.kind, bad.column, bad.text) == ("expenditure", "total", "待定")
    assert ("expenditure", bad.row_id, "total") not in doc.amounts()
    assert "本表为空表" in _page_texts(doc.path)[-1]


@needs_font
def test_random_layouts_all_render(tmp_path: Path) -> None:
    for seed in range(20):
        doc = generate(tmp_path / f"{seed}.pdf", seed, random_layout(seed))
        assert doc.pages >= 3 and len(doc.amounts()) > 50


@needs_font
def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a.pdf", 4, random_layout(4))
    second = generate(tmp_path / "b.pdf", 4, random_layout(4))
    assert first.path.read_bytes() == second.path.read_bytes()


@needs_font
def test_generation_is_fast(tmp_path: Path) -> None:
    """Benchmarks draw hundreds of documents: a whole document must take well under 0.2 s."""
    generate(tmp_path / "warm.pdf", 0)  # registering the font is a one-off
    start = time.perf_counter()
    for seed in range(10):
        generate(tmp_path / f"{seed}.pdf", seed, random_layout(seed))
    assert (time.perf_counter() - start) / 10 < 0.2
