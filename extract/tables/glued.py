"""Cells Camelot merged wrongly: an amount glued to the next cell's label, two amounts in one cell."""

from __future__ import annotations

import re

from extract.grids.structure import SourceRow
from extract.tables.cells import parse_amount
from extract.tables.columns import LABEL_ROLES, Column
from extract.text import compact, normalize

# An amount printed flush against the next cell's label: `96,282,213.44 一、公共安全支出`.
# `12、城乡社区支出` is an enumerated label, not the amount 12: a label never starts with 、 or a dot.
_GLUED = re.compile(r"^(\(?-?[\d,]*\d(?:\.\d+)?\)?)\s*([^\d.,\s)、．].*[\u4e00-\u9fff].*)$")
# Separated by a space, the label may start with its own enumeration (`258596001.79 2、外交支出`).
_GLUED_SPACED = re.compile(r"^(\(?-?[\d,]*\d(?:\.\d+)?\)?)\s+([^\s、.．].*[\u4e00-\u9fff].*)$")
# A zero printed as a dash, flush against the next label: `- 二、社会保障和就业支出`.
_GLUED_DASH = re.compile(r"^([-—–])\s*([\u4e00-\u9fff(].*)$")


def unglued(row: SourceRow, plan: list[Column | None]) -> list[tuple[str, str, str]]:
    """(amount text, label text, label text of a merged cell spanning from the left) per cell.

    Glued amount+label cells are split back into their own cells.
    """
    texts = [normalize(t) for t in row.texts]
    amounts = [normalize(r) for r in row.raw]
    for i in range(len(texts)):
        column = plan[i] if i < len(plan) else None
        pair = normalize(row.raw[i]).split(" ")
        if (
            column is not None
            and column.role == "amount"
            and len(pair) == 2
            and all(parse_amount(p).text for p in pair)
        ):
            # Two amounts in one cell: one spilled over from the empty amount cell beside it.
            if i > 0 and _empty_amount(plan, row, i - 1):
                amounts[i - 1], amounts[i] = pair
            elif i + 1 < len(plan) and _empty_amount(plan, row, i + 1):
                amounts[i], amounts[i + 1] = pair
            continue
        match = (
            _GLUED_SPACED.match(normalize(row.raw[i]))
            or _GLUED.match(compact(row.raw[i]))
            or _GLUED_DASH.match(normalize(row.raw[i]))
        )
        if not match or column is None or not parse_amount(match.group(1)).is_number:
            continue
        number, label = match.group(1), match.group(2)
        if (
            column.role == "amount"
            and i + 1 < len(plan)
            and plan[i + 1]
            and plan[i + 1].role in LABEL_ROLES
            and not texts[i + 1]
        ):
            amounts[i], texts[i], texts[i + 1] = number, number, label
        elif (
            column.role in LABEL_ROLES
            and i > 0
            and plan[i - 1]
            and plan[i - 1].role == "amount"
            and not compact(row.raw[i - 1])
        ):
            amounts[i - 1], texts[i - 1], texts[i], amounts[i] = number, number, label, label
    wide = [normalize(t) for t in row.wide_texts]
    return [(amounts[i], texts[i], wide[i]) for i in range(len(texts))]


def _empty_amount(plan: list[Column | None], row: SourceRow, index: int) -> bool:
    column = plan[index]
    return column is not None and column.role == "amount" and not compact(row.raw[index])
