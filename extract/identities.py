"""Within-table accounting identities, evaluated on extracted line items, row by row.

The warehouse enforces the identities in dbt; this re-derivation in Python lets `budget-etl
explain` show every row's checks with their numbers, and lets extraction tests tell a misread
number from a break printed in the document. Figures stay in the printed unit; within a
table the tolerances are dbt's (int_line_items.half_unit_yuan), so both see the same breaks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from extract.pipeline import ExtractedDocument
from extract.tables.cells import UNIT_MULTIPLIERS
from extract.tables.columns import CODED_KINDS
from extract.tables.rows import LineItem, table_plan

PARTS = {
    "total": (
        "basic",
        "project",
        "business_operation",
        "to_superior",
        "to_subsidiary",
        "reserve",
        "carry_forward",
    ),
    "basic_total": ("personnel", "public"),
}
BASIC_KINDS = {"basic_expenditure_economic", "fiscal_basic_expenditure"}
# Spending tables checked but not in the warehouse's facts (dbt: checked_only_table_kinds): spending
# by economic code other than table 6, basic spending by functional code. Their columns add up like a
# functional table's (合计 = 基本 + 项目, 基本 = 人员 + 公用), their codes by their own scheme.
# Both are among the coded kinds (`extract.tables.columns.CODED_KINDS`), whose rows are checked.
CHECKED_ONLY_KINDS = {"expenditure_economic", "basic_expenditure_functional"}
# Revenue printed between a closing 本年收入合计 and 收入总计 (Yantai's 上级补助收入): part of 收入总计
# only (dbt: revenue_additions); an appropriation printed there is a part of the carry-over.
REVENUE_ADDITIONS = {"superior_subsidy", "subsidiary_remittance", "surplus_use"}
# This year's revenue sources (dbt: current_revenue_sources).
REVENUE_SOURCES = {
    "general_budget",
    "government_fund",
    "state_capital",
    "fiscal_appropriation",
    "fiscal_special_account",
    "business",
    "business_operation",
    "superior_subsidy",
    "subsidiary_remittance",
    "other",
}
# Table 1's balances compare a handful of totals: half a cent each of four figures.
SUMMARY_TOLERANCE = Decimal("0.005") * 4

# (row index, column group) → column key → (printed value, half a printed unit)
Rows = dict[tuple[int, int], dict[str, tuple[Decimal, Decimal]]]
# (row index, column group) → (code, name, page)
Labels = dict[tuple[int, int], tuple[str | None, str, int]]


@dataclass(frozen=True)
class Check:
    """One identity on one row: `expected` is the printed total, `actual` the sum of its parts."""

    table_index: int
    row_index: int
    page: int
    kind: str
    identity: str
    item: str
    expected: Decimal
    actual: Decimal
    tolerance: Decimal
    parts: tuple[tuple[str, Decimal], ...] = ()

    @property
    def holds(self) -> bool:
        return abs(self.expected - self.actual) <= self.tolerance


@dataclass(frozen=True)
class Break:
    page: int
    kind: str
    identity: str
    item: str
    expected: Decimal
    actual: Decimal


def _as_break(check: Check) -> Break:
    return Break(check.page, check.kind, check.identity, check.item, check.expected, check.actual)


def within_table_breaks(doc: ExtractedDocument) -> list[Break]:
    """Row total ≠ Σ parts, or parent ≠ Σ children, beyond half a printed unit per figure."""
    return [_as_break(c) for c in within_table_checks(doc) if not c.holds]


def summary_breaks(doc: ExtractedDocument) -> list[Break]:
    """Table 1 balances that do not hold."""
    return [_as_break(c) for c in summary_checks(doc) if not c.holds]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _half(decimals: int) -> Decimal:
    """Half a unit of the last printed digit: 0.005 for two decimals."""
    return Decimal(5) / Decimal(10) ** (decimals + 1)


def _granularity(yuan: Decimal) -> Decimal:
    """The coarsest power of ten, from 100 元 down to 0.01 元, that divides a figure."""
    for step in (Decimal(100), Decimal(10), Decimal(1), Decimal("0.1")):
        if yuan % step == 0:
            return step
    return Decimal("0.01")


def half_units(items: list[LineItem], unit: str | None) -> dict[tuple[int, int], Decimal]:
    """(row, column) → the figure's rounding tolerance in the printed unit, as dbt's
    int_line_items.half_unit_yuan: half its last printed digit, at least half the table's (the most
    decimals it prints, or the finest granularity up to 100 元 of its figures: 万元 printed in 元);
    a blank or zero at the table's precision; a column blank throughout the table is exact."""
    multiplier = Decimal(UNIT_MULTIPLIERS[unit]) if unit in UNIT_MULTIPLIERS else Decimal(1)
    figures = [i.amount_text for i in items if i.amount_text]
    table = _half(max(_decimals(f) for f in figures)) if figures else Decimal(0)
    steps = [_granularity(Decimal(f) * multiplier) for f in figures if Decimal(f) != 0]
    if steps:
        table = max(table, min(min(steps), Decimal(100)) / 2 / multiplier)
    with_figures = {i.column_key for i in items if i.amount_text}
    halves = {}
    for i in items:
        if i.column_key not in with_figures:
            halves[(i.row_index, i.col_index)] = Decimal(0)
        elif not i.amount_text or Decimal(i.amount_text) == 0:
            halves[(i.row_index, i.col_index)] = table
        else:
            halves[(i.row_index, i.col_index)] = max(_half(_decimals(i.amount_text)), table)
    return halves


def within_table_checks(doc: ExtractedDocument) -> list[Check]:
    """Every row total = Σ parts, 基本支出 = 人员 + 公用 and parent = Σ children of the coded tables."""
    checks: list[Check] = []
    by_table: dict[int, list[LineItem]] = defaultdict(list)
    for item in doc.line_items:
        by_table[item.table_index].append(item)
    for index, items in by_table.items():
        kind = doc.tables[index].kind
        if kind not in CODED_KINDS:
            continue
        rows, labels = _table_values(doc, index, items)
        parts = PARTS["basic_total"] if kind in BASIC_KINDS else PARTS["total"]
        for group, values in rows.items():
            if kind not in BASIC_KINDS:
                checks.extend(_basic_parts(index, kind, group, values, labels))
            present = [k for k in parts if k in values]
            if "total" in values and present:
                code, name, page = labels[group]
                checks.append(
                    Check(
                        index,
                        group[0],
                        page,
                        kind,
                        "row_total",
                        code or name,
                        values["total"][0],
                        sum((values[k][0] for k in present), Decimal(0)),
                        values["total"][1] + sum(values[k][1] for k in present),
                        tuple((k, values[k][0]) for k in present),
                    )
                )
        checks.extend(_parent_checks(index, kind, rows, labels))
    return checks


def _table_values(doc: ExtractedDocument, index: int, items: list[LineItem]) -> tuple[Rows, Labels]:
    rows: Rows = defaultdict(dict)
    labels: Labels = {}
    plan = table_plan(doc.tables[index])
    halves = half_units(items, doc.tables[index].unit)
    for it in items:
        column = plan[it.col_index]
        group = (it.row_index, column.group if column else 0)
        value = Decimal(it.amount_text) if it.amount_text else Decimal(0)
        rows[group][it.column_key] = (value, halves[(it.row_index, it.col_index)])
        labels[group] = (it.item_code, it.item_name, it.page)
    return rows, labels


def _basic_parts(
    index: int, kind: str, group: tuple[int, int], values: dict[str, tuple[Decimal, Decimal]], labels: Labels
) -> list[Check]:
    """基本支出 = 人员 + 公用 where a spending table splits it; printed without its 小计, the parts
    stand in for it in the row total (合计 = 人员 + 公用 + 项目 + …)."""
    split = [k for k in ("personnel", "public") if k in values]
    if not split:
        return []
    summed = sum((values[k][0] for k in split), Decimal(0))
    half = sum((values[k][1] for k in split), Decimal(0))
    if "basic" not in values:
        values["basic"] = (summed, half)
        return []
    code, name, page = labels[group]
    basic, basic_half = values["basic"]
    parts = tuple((k, values[k][0]) for k in split)
    return [
        Check(
            index, group[0], page, kind, "basic_parts", code or name, basic, summed, basic_half + half, parts
        )
    ]


def _parent_checks(index: int, kind: str, rows: Rows, labels: Labels) -> list[Check]:
    """类 = Σ款, 款 = Σ项 per amount column, on each side of the table. Where a code is printed on
    several rows (blocks per unit, a department economic 类 once per government 类), a child belongs
    to the row of its parent code printed nearest above it, else to the first one below."""
    checks: list[Check] = []
    for key in ("total", "basic", "project", "personnel", "public"):
        coded = sorted(
            (group, labels[group][0]) for group, values in rows.items() if labels[group][0] and key in values
        )
        children: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for group, code in coded:
            parents = [g for g, c in coded if g[1] == group[1] and c == code[:-2] and len(code) > 3]
            if parents:
                above = [g for g in parents if g[0] < group[0]]
                children[above[-1] if above else parents[0]].append(group)
        for parent, kids in children.items():
            value, half = rows[parent][key]
            summed = sum((rows[g][key][0] for g in kids), Decimal(0))
            tolerance = half + sum(rows[g][key][1] for g in kids)
            parts = tuple((labels[g][0] or "", rows[g][key][0]) for g in kids)
            code, _, page = labels[parent]
            identity = f"parent_{key}"
            checks.append(
                Check(index, parent[0], page, kind, identity, code or "", value, summed, tolerance, parts)
            )
    return checks


def summary_checks(doc: ExtractedDocument) -> list[Check]:
    """Table 1: 本年收入合计 + 上年结转 = 收入总计 = 支出总计 = 本年支出合计 + 结转下年; Σ 类 = 本年支出."""
    checks: list[Check] = []
    for index, table in enumerate(doc.tables):
        if table.kind != "revenue_expenditure_summary":
            continue
        items = [i for i in doc.line_items if i.table_index == index]
        value: dict[str, Decimal] = {}
        row: dict[str, int] = {}
        for it in items:
            if it.item_key and it.amount_text and it.item_key not in value:
                value[it.item_key] = Decimal(it.amount_text)
                row[it.item_key] = it.row_index
        classes = [
            (i.item_name, Decimal(i.amount_text))
            for i in items
            if i.item_key == "functional_class" and i.amount_text
        ]
        additions = _additions(items, row)
        for identity, total, parts in _balances(value, classes, additions):
            actual = sum((v for _, v in parts), Decimal(0))
            checks.append(
                Check(
                    index,
                    row[total],
                    table.page_first,
                    table.kind,
                    identity,
                    "",
                    value[total],
                    actual,
                    SUMMARY_TOLERANCE,
                    tuple(parts),
                )
            )
    return checks


def _additions(items: list[LineItem], row: dict[str, int]) -> list[tuple[str, Decimal]]:
    """Revenue lines printed below a closing 本年收入合计 (sources printed above it) and above 收入总计:
    Yantai's 上级补助收入 205.89 after 本年收入合计 315,235.83, in 收入总计 315,441.72."""
    if "revenue_total" not in row or "revenue_grand_total" not in row:
        return []
    revenue = [i for i in items if i.column_key.startswith("revenue/") and i.item_key]
    if not any(i.item_key in REVENUE_SOURCES and i.row_index < row["revenue_total"] for i in revenue):
        return []
    return [
        (i.item_key, Decimal(i.amount_text))
        for i in revenue
        if i.item_key in REVENUE_ADDITIONS
        and row["revenue_total"] < i.row_index < row["revenue_grand_total"]
        and i.amount_text
    ]


def _balances(
    value: dict[str, Decimal], classes: list[tuple[str, Decimal]], additions: list[tuple[str, Decimal]]
) -> list[tuple[str, str, list[tuple[str, Decimal]]]]:
    """(identity, key of the printed total, the parts it should equal) for what table 1 prints."""

    def present(*keys: str) -> list[tuple[str, Decimal]]:
        return [(k, value[k]) for k in keys if k in value]

    balances = []
    if "revenue_grand_total" in value and "revenue_total" in value:
        parts = [("revenue_total", value["revenue_total"])]
        added = {k for k, _ in additions}
        parts += [(k, v) for k, v in present("carryover", "surplus_use") if k not in added]
        parts += list(additions)
        balances.append(("revenue_balance", "revenue_grand_total", parts))
    if "expenditure_grand_total" in value and "expenditure_total" in value:
        parts = present("expenditure_total", "carry_forward")
        balances.append(("expenditure_balance", "expenditure_grand_total", parts))
    if "revenue_grand_total" in value and "expenditure_grand_total" in value:
        balances.append(("grand_totals", "revenue_grand_total", present("expenditure_grand_total")))
    # Σ classes is the spending of the year: 本年支出合计, or 支出总计 when nothing is carried forward.
    spending = "expenditure_total" if value.get("expenditure_total") else None
    if spending is None and "expenditure_grand_total" in value and not value.get("carry_forward"):
        spending = "expenditure_grand_total"
    if classes and spending is not None:
        balances.append(("classes_sum", spending, classes))
    return balances
