"""A list of units headed by the department's own total line (the department's name, then 本级 and
its units): which rows are subtotals of the rows below them, so that each unit is counted once.

The reading is the table's own arithmetic: a row is a subtotal when the rows right below it add up
to it in every column, and the reading is kept only when the 合计 row then equals the sum of the
rows that are nobody's part, while it does not equal the plain sum of all rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from extract.tables.rows import LineItem

# (value, half a printed unit) per column key
Figures = dict[str, tuple[Decimal, Decimal]]


@dataclass(frozen=True)
class Subtotal:
    row: int  # row_index of the subtotal line
    name: str
    children: tuple[int, ...]  # row_index of the rows it adds up


def _figure(text: str | None) -> tuple[Decimal, Decimal]:
    if not text:
        return Decimal(0), Decimal(0)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), Decimal(5) / Decimal(10) ** (decimals + 1)


def _adds_up(total: Figures, parts: list[Figures]) -> bool:
    """`total` = Σ parts in every column printed, beyond half a printed unit per figure."""
    keys = set(total) | {k for part in parts for k in part}
    if not any(total.get(k, (Decimal(0),))[0] for k in keys):
        return False  # an empty line is nobody's subtotal
    for key in keys:
        value, half = total.get(key, (Decimal(0), Decimal(0)))
        summed = sum((p.get(key, (Decimal(0),))[0] for p in parts), Decimal(0))
        tolerance = half + sum((p.get(key, (Decimal(0), Decimal(0)))[1] for p in parts), Decimal(0))
        if abs(value - summed) > tolerance:
            return False
    return True


def read_subtotals(units: list[Figures]) -> list[tuple[int, int]]:
    """(subtotal, end) positions: units[subtotal] = Σ units[subtotal + 1 : end], one level deep,
    each subtotal adding the fewest rows that make it (at least one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(units):
        end = next(
            (e for e in range(start + 2, len(units) + 1) if _adds_up(units[start], units[start + 1 : e])),
            None,
        )
        if end is None:
            start += 1
            continue
        spans.append((start, end))
        start = end
    return spans


def unit_subtotals(items: list[LineItem]) -> list[Subtotal]:
    """The subtotal rows of a revenue table's list of units, when the 合计 row confirms them."""
    rows: dict[int, Figures] = defaultdict(dict)
    names: dict[int, str] = {}
    total: Figures = {}
    for item in items:
        if item.row_role == "total" or item.item_key == "revenue_total":
            total[item.column_key] = _figure(item.amount_text)
        elif item.item_code is None:
            rows[item.row_index][item.column_key] = _figure(item.amount_text)
            names[item.row_index] = item.item_name
    order = sorted(rows)
    units = [rows[r] for r in order]
    spans = read_subtotals(units)
    if not total or not spans:
        return []
    inside = {i for s, e in spans for i in range(s + 1, e)}
    top = [u for i, u in enumerate(units) if i not in inside]
    if not _adds_up(total, top) or _adds_up(total, units):
        return []
    return [Subtotal(order[s], names[order[s]], tuple(order[i] for i in range(s + 1, e))) for s, e in spans]


def mark_subtotals(items: list[LineItem]) -> list[LineItem]:
    """The reading chosen, kept on the rows: a subtotal row's cells get item_key `unit_subtotal`."""
    rows = {s.row for s in unit_subtotals(items)}
    return [
        replace(i, item_key="unit_subtotal") if i.row_index in rows and i.item_key is None else i
        for i in items
    ]
