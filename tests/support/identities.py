"""An independent, test-side check of within-table identities on extracted line items.

The warehouse enforces the identities in dbt; this re-derivation in Python lets
extraction tests tell a misread number from a break printed in the document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from extract.pipeline import ExtractedDocument
from extract.rows import table_plan

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
CODED_KINDS = {
    "expenditure",
    "general_budget_expenditure",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "fiscal_appropriation_expenditure",
    "operating_costs",
    *BASIC_KINDS,
}


@dataclass(frozen=True)
class Break:
    page: int
    kind: str
    identity: str
    item: str
    expected: Decimal
    actual: Decimal


def _half_unit(text: str | None, step: Decimal = Decimal(0)) -> Decimal:
    """Half the last printed digit; at least half the table's rounding step (万元 figures printed in 元)."""
    decimals = len(text.split(".")[1]) if text and "." in text else 0
    return max(Decimal(5) / Decimal(10) ** (decimals + 1), step / 2)


def _rounding_step(values: list[str]) -> Decimal:
    """The coarsest power of ten (up to 100) that divides every printed figure of a table."""
    figures = [Decimal(v) for v in values if v and Decimal(v) != 0]
    for step in (Decimal(100), Decimal(10), Decimal(1)):
        if figures and all(f % step == 0 for f in figures):
            return step
    return Decimal(0)


def within_table_breaks(doc: ExtractedDocument) -> list[Break]:
    """Row total ≠ Σ parts, or parent ≠ Σ children, beyond half a printed unit per figure."""
    breaks: list[Break] = []
    by_table: dict[int, list] = defaultdict(list)
    for item in doc.line_items:
        by_table[item.table_index].append(item)
    for index, items in by_table.items():
        kind = doc.tables[index].kind
        if kind not in CODED_KINDS:
            continue
        rows: dict[tuple[int, int], dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
        labels: dict[tuple[int, int], tuple[str | None, str, int]] = {}
        plan = table_plan(doc.tables[index])
        step = _rounding_step([it.amount_text for it in items])
        for it in items:
            group = (it.row_index, plan[it.col_index].group)
            value = Decimal(it.amount_text) if it.amount_text else Decimal(0)
            rows[group][it.column_key] = (value, _half_unit(it.amount_text, step))
            labels[group] = (it.item_code, it.item_name, it.page)
        parts = PARTS["basic_total"] if kind in BASIC_KINDS else PARTS["total"]
        for group, values in rows.items():
            if kind not in BASIC_KINDS:
                breaks.extend(_basic_parts(kind, group, values, labels))
            present = [k for k in parts if k in values]
            if "total" in values and present:
                total = values["total"][0]
                summed = sum(values[k][0] for k in present)
                tolerance = values["total"][1] + sum(values[k][1] for k in present)
                if abs(total - summed) > tolerance:
                    code, name, page = labels[group]
                    breaks.append(Break(page, kind, "row_total", code or name, total, summed))
        breaks.extend(_parent_breaks(kind, rows, labels))
    return breaks


def _basic_parts(kind, group, values, labels) -> list[Break]:
    """基本支出 = 人员 + 公用 where a spending table splits it; printed without its 小计, the parts
    stand in for it in the row total (合计 = 人员 + 公用 + 项目 + …)."""
    split = [k for k in ("personnel", "public") if k in values]
    if not split:
        return []
    summed = sum(values[k][0] for k in split)
    half = sum(values[k][1] for k in split)
    if "basic" not in values:
        values["basic"] = (summed, half)
        return []
    if abs(values["basic"][0] - summed) > values["basic"][1] + half:
        code, name, page = labels[group]
        return [Break(page, kind, "basic_parts", code or name, values["basic"][0], summed)]
    return []


def _parent_breaks(kind, rows, labels) -> list[Break]:
    breaks = []
    for key in ("total", "basic", "project", "personnel", "public"):
        by_code = {}
        for group, values in rows.items():
            code = labels[group][0]
            if code and key in values:
                by_code[(group[1], code)] = (values[key], labels[group][2])
        for (side, code), ((value, half), page) in by_code.items():
            children = [
                v
                for (s, c), (v, _) in by_code.items()
                if s == side and c.startswith(code) and len(c) == len(code) + 2
            ]
            if not children:
                continue
            summed = sum(v for v, _ in children)
            tolerance = half + sum(h for _, h in children)
            if abs(value - summed) > tolerance:
                breaks.append(Break(page, kind, f"parent_{key}", code, value, summed))
    return breaks


def summary_breaks(doc: ExtractedDocument) -> list[Break]:
    """Table 1 balance: 本年收入合计 + 上年结转 = 收入总计 = 支出总计 = 本年支出合计 + 结转下年."""
    breaks: list[Break] = []
    for index, table in enumerate(doc.tables):
        if table.kind != "revenue_expenditure_summary":
            continue
        items = [i for i in doc.line_items if i.table_index == index]
        value: dict[str, Decimal] = {}
        for it in items:
            if it.item_key and it.amount_text and it.item_key not in value:
                value[it.item_key] = Decimal(it.amount_text)
        get = value.get
        page = table.page_first
        checks = []
        if get("revenue_grand_total") is not None and get("revenue_total") is not None:
            checks.append(
                (
                    "revenue_balance",
                    get("revenue_grand_total"),
                    get("revenue_total") + get("carryover", Decimal(0)) + get("surplus_use", Decimal(0)),
                )
            )
        if get("expenditure_grand_total") is not None and get("expenditure_total") is not None:
            checks.append(
                (
                    "expenditure_balance",
                    get("expenditure_grand_total"),
                    get("expenditure_total") + get("carry_forward", Decimal(0)),
                )
            )
        if get("revenue_grand_total") is not None and get("expenditure_grand_total") is not None:
            checks.append(("grand_totals", get("revenue_grand_total"), get("expenditure_grand_total")))
        classes = [
            Decimal(i.amount_text) for i in items if i.item_key == "functional_class" and i.amount_text
        ]
        spending = get("expenditure_total") or (
            get("expenditure_grand_total") if not get("carry_forward") else None
        )
        if classes and spending is not None:
            checks.append(("classes_sum", spending, sum(classes)))
        for identity, expected, actual in checks:
            if abs(expected - actual) > Decimal("0.005") * 4:
                breaks.append(Break(page, table.kind, identity, "", expected, actual))
    return breaks
