"""Columns that print one meaning in parts the vocabulary cannot name (财政专户拨款收入 over
教育收费 | 其他专户收入拨款; a 三公 category split by fund over 一般公共预算 | 政府性基金预算 |
国有资本经营预算): which part keeps the meaning, so that no meaning repeats on a row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from extract.tables.cells import parse_amount
from extract.tables.columns import Column


@dataclass(frozen=True)
class Settled:
    plan: list[Column | None]
    undecided: list[tuple[str, list[int]]]  # (key, columns) where several parts hold figures


def _holds_figures(column: list[str]) -> bool:
    return any((text := parse_amount(t).text) and Decimal(text) != 0 for t in column)


def settle_parts(plan: list[Column | None], columns: list[list[str]]) -> Settled:
    """Parts of one meaning in one group: the only part that holds a non-zero figure anywhere in the
    table keeps the meaning (the first part when none does), the others have none, so every row's
    identities count the meaning once. Where several parts hold figures no reading keeps the row
    totals: the parts keep the meaning and are reported (`undecided`)."""
    shared: dict[tuple[int, str], list[Column]] = defaultdict(list)
    for column in plan:
        if column is not None and column.role == "amount" and column.key:
            shared[(column.group, column.key)].append(column)
    out = list(plan)
    undecided: list[tuple[str, list[int]]] = []
    for (_, key), parts in shared.items():
        if len(parts) < 2:
            continue
        with_figures = [c for c in parts if _holds_figures(columns[c.index])]
        if len(with_figures) > 1:
            undecided.append((key, [c.index for c in parts]))
            continue
        kept = with_figures[0] if with_figures else parts[0]
        for column in parts:
            if column is not kept:
                out[column.index] = None
    return Settled(out, undecided)
