"""Rows that are not data in any table kind, whatever their columns mean."""

from __future__ import annotations

import re

from extract.text import compact

# What a column-number line prints in its label cells.
_NUMBER_LINE_LABELS = {"", "栏次", "行次", "*", "**", "***"}
# Column numbers are small; an amount row is never a run of rising small integers (its total,
# printed first, is at least each of its parts).
_MAX_COLUMN_NUMBER = 200


def is_column_numbers(texts: list[str], label_columns: set[int]) -> bool:
    """The header's last line numbering the columns (栏次 / ** | 1 | 2 | 3 …).

    Every column that is not a label counts, whatever it means: a column without a meaning
    (其中:经费拨款, a group's 小计) keeps its number, so the run rises over the row, not only over
    the columns read as amounts.
    """
    labels = {compact(texts[i]) for i in label_columns if i < len(texts)}
    numbers = [compact(t) for i, t in enumerate(texts) if i not in label_columns and compact(t)]
    if len(numbers) < 2 or not labels <= _NUMBER_LINE_LABELS or not all(n.isdigit() for n in numbers):
        return False
    values = [int(n) for n in numbers]
    rising = all(b > a for a, b in zip(values, values[1:], strict=False))
    return rising and values[-1] <= _MAX_COLUMN_NUMBER


_YEAR = re.compile(r"(20\d\d)年")
_CHANGE_WORDS = ("增减", "增长", "变化")


def row_year_bases(labels: list[str]) -> list[str | None]:
    """Per row, the budget year a 三公 table prints as rows (年度: 2025年 | 2026年 | 增减变化金额)
    rather than as columns: `prior_budget` for an earlier year, `current_budget` for the latest,
    `change` for a change line (no amount of its own); None where the rows print no years."""
    years = [match.group(1) if (match := _YEAR.search(compact(label))) else None for label in labels]
    if len({y for y in years if y}) < 2:
        return [None] * len(labels)
    latest = max(y for y in years if y)
    bases: list[str | None] = []
    for label, year in zip(labels, years, strict=True):
        if year:
            bases.append("current_budget" if year == latest else "prior_budget")
        elif any(w in compact(label) for w in _CHANGE_WORDS):
            bases.append("change")
        else:
            bases.append(None)
    return bases
