"""How one table of a PDF was read, as text: header tree, column roles, rows in 元, identities.

Pure functions over an `ExtractedDocument` (no Dagster, no dbt, no DuckDB): `budget-etl explain`
prints them. Every text that comes from the PDF goes through `shown`, so a crafted cell cannot
move the cursor or print a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby

from budget_etl.output import display_width
from extract.grids.structure import LogicalTable
from extract.identities import Check
from extract.names import shown
from extract.pipeline import ExtractedDocument
from extract.tables.cells import UNIT_MULTIPLIERS
from extract.tables.columns import Column
from extract.tables.rows import LineItem, table_plan
from extract.text import compact

LEVELS = {3: "类", 5: "款", 7: "项"}
CODE_PARTS = {"code_1": "类", "code_2": "款", "code_3": "项"}
# Rows of a table without amounts by column (unrecognized grids) shown to see the layout.
SAMPLE_ROWS = 8
SAMPLE_CELL_WIDTH = 16


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], indent: str) -> list[str]:
    """Text table lines, CJK characters counted two wide; columns in `right` right-aligned."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        cells = []
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            pad = " " * (width - display_width(value))
            cells.append(pad + value if i in right else value + pad)
        return (indent + "  ".join(cells)).rstrip()

    return [line(header), indent + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def table_lines(doc: ExtractedDocument, index: int, checks: list[Check]) -> list[str]:
    """Everything about table `index`: heading, header tree with roles, rows, identities."""
    table = doc.tables[index]
    plan = table_plan(table)
    lines = [*heading_lines(table, index, len(doc.tables)), "  Header (column index, role):"]
    lines += header_tree(table, plan)
    lines += [f"  note printed in the grid: {shown(note)}" for note in table.notes]
    items = [i for i in doc.line_items if i.table_index == index]
    if items:
        lines += row_lines(items, table, plan, checks)
        lines += check_lines(checks)
    else:
        lines += other_rows(doc, index, table)
    return lines


def heading_lines(table: LogicalTable, index: int, count: int) -> list[str]:
    pages = [part.page for part in table.parts]
    where = f"page {pages[0]}" if len(pages) == 1 else f"pages {', '.join(map(str, pages))}"
    label = f" ({shown(table.label)})" if table.label else ""
    title = shown(table.title) if table.title else "(no title)"
    if table.unit is None:
        unit = "unit unknown: amounts not converted to 元"
    else:
        unit = f"unit {table.unit} (1 {table.unit} = {UNIT_MULTIPLIERS[table.unit]} 元)"
    return [
        "",
        f"Table {index} of {count}: {title}{label} — {where}",
        f"  kind {table.kind or 'unrecognized'}; {unit}; {len(table.rows)} data rows",
    ]


def column_role(column: Column | None, groups: int) -> str:
    """A column's meaning in words: label, code (or one level of a split code), amount key, ignored."""
    if column is None:
        return "ignored (no known meaning)"
    if column.role == "amount":
        role = f"amount → {column.key}" if column.key else "amount, ignored (no meaning of its own)"
    elif column.role in CODE_PARTS:
        role = f"code, {CODE_PARTS[column.role]} part"
    else:
        role = column.role
    return f"{role} (side {column.group})" if groups > 1 else role


def header_tree(table: LogicalTable, plan: list[Column | None]) -> list[str]:
    """The header rows as a tree: a merged group cell once, its columns indented below it."""
    groups = len({c.group for c in plan if c is not None})
    entries: list[tuple[str, str]] = []
    previous: list[str] = []
    for index, path in enumerate(table.header_paths()):
        # A cell merged downwards repeats its text on every header row: one node.
        parts = [p for i, p in enumerate(path) if p and (i == 0 or p != path[i - 1])] or ["(no header)"]
        common = 0
        while common < min(len(parts), len(previous)) and parts[common] == previous[common]:
            common += 1
        for depth in range(min(common, len(parts) - 1), len(parts)):
            leaf = depth == len(parts) - 1
            role = f"[{index}] {column_role(plan[index], groups)}" if leaf else ""
            entries.append(("    " + "  " * depth + shown(parts[depth]), role))
        previous = parts
    return _two_columns(entries)


def _two_columns(entries: list[tuple[str, str]]) -> list[str]:
    width = max((display_width(text) for text, _ in entries), default=0)
    return [(text + " " * (width - display_width(text)) + "  " + role).rstrip() for text, role in entries]


def in_yuan(amount_text: str | None, unit: str | None) -> str:
    """The printed figure times the unit, exactly (Decimal); two decimals unless it has more."""
    if amount_text is None:
        return ""
    if unit is None:
        return "?"
    value = Decimal(amount_text) * UNIT_MULTIPLIERS[unit]
    return f"{value:.2f}" if value == round(value, 2) else str(value)


def code_level(item: LineItem) -> str:
    if item.item_code:
        return LEVELS.get(len(item.item_code), f"{len(item.item_code)} digits")
    return "total" if item.row_role == "total" else ""


def check_summary(checks: list[Check]) -> str:
    return ", ".join(f"{c.identity} {'holds' if c.holds else 'BREAKS'}" for c in checks)


def row_lines(
    items: list[LineItem], table: LogicalTable, plan: list[Column | None], checks: list[Check]
) -> list[str]:
    """One line per printed amount and per blank cell, the row's checks beside its first line.

    Columns blank on every row (a kind of spending the department has none of) are named once.
    """
    by_row: dict[int, list[Check]] = {}
    for check in checks:
        by_row.setdefault(check.row_index, []).append(check)
    keys = dict.fromkeys(item.column_key for item in items)
    always_blank = [k for k in keys if all(i.is_blank for i in items if i.column_key == k)]

    def side(item: LineItem) -> int:
        column = plan[item.col_index]
        return column.group if column else 0

    rows: list[list[str]] = []
    shown_items = [i for i in items if i.column_key not in always_blank or len(always_blank) == len(keys)]
    ordered = sorted(shown_items, key=lambda i: (i.row_index, side(i), i.col_index))
    for (row_index, _), cells in groupby(ordered, key=lambda i: (i.row_index, side(i))):
        rows += _row_group(list(cells), table.unit, by_row.pop(row_index, []))
    header = ["row", "page", "code", "level", "name", "column", "printed", "元", "identities", "cell text"]
    lines = ["  Rows (row = row_index; code, or [meaning] of a summary line):"]
    lines += aligned(header, rows, {0, 1, 6, 7}, "    ")
    if always_blank and len(always_blank) < len(keys):
        lines.append(f"    blank on every row: {', '.join(always_blank)}")
    return lines


def _row_group(cells: list[LineItem], unit: str | None, checks: list[Check]) -> list[list[str]]:
    first = cells[0]
    code = first.item_code or (f"[{first.item_key}]" if first.item_key else "")
    if first.other_codes:
        code += f" /{first.other_codes}"
    lines: list[list[str]] = []
    for item in cells:
        raw = compact(item.raw_text)
        # The cell's own text where it differs from the number read: glued labels, brackets.
        note = shown(item.raw_text) if item.amount_text and raw.replace(",", "") != item.amount_text else ""
        printed = "blank" if item.is_blank else item.amount_text or ""
        lines.append(
            ["", "", "", "", "", item.column_key, printed, in_yuan(item.amount_text, unit), "", note]
        )
    lines[0][:5] = [str(first.row_index), str(first.page), code, code_level(first), shown(first.item_name)]
    lines[0][8] = check_summary(checks)
    return lines


def _number(value: Decimal) -> str:
    """Two decimals, or as many as the figure needs (a tolerance of 0.015)."""
    return f"{value:.2f}" if value == round(value, 2) else format(value, "f")


def check_lines(checks: list[Check]) -> list[str]:
    """Each identity with its numbers, in the printed unit: total, Σ parts, difference, tolerance."""
    if not checks:
        return ["  Identities: none apply to this table"]
    broken = sum(not c.holds for c in checks)
    rows = [
        [
            str(c.row_index),
            shown(c.item) or "—",
            c.identity,
            "holds" if c.holds else "BREAKS",
            _number(c.expected),
            _number(c.actual),
            _number(c.expected - c.actual),
            _number(c.tolerance),
            " + ".join(f"{shown(name)} {_number(value)}" for name, value in c.parts),
        ]
        for c in checks
    ]
    header = ["row", "item", "identity", "result", "printed", "Σ parts", "diff", "tolerance", "parts"]
    title = f"  Identities: {len(checks)} checked, {broken} broken (in the printed unit)"
    return [title, *aligned(header, rows, {0, 4, 5, 6, 7}, "    ")]


def other_rows(doc: ExtractedDocument, index: int, table: LogicalTable) -> list[str]:
    """A table without amounts by column: indicators, or a sample of its rows to see the layout."""
    indicators = [i for i in doc.indicators if i.table_index == index]
    if indicators:
        projects = len({i.project_name for i in indicators})
        return [f"  {len(indicators)} performance indicators of {projects} projects (no amounts by column)"]
    if not table.rows:
        return ["  no data rows"]
    lines = [f"  No line items; first {min(SAMPLE_ROWS, len(table.rows))} of {len(table.rows)} rows as read:"]
    for row in table.rows[:SAMPLE_ROWS]:
        cells = [_clip(shown(compact(text))) for text in row.texts]
        lines.append(f"    p.{row.page}: " + " | ".join(cells))
    return lines


def _clip(text: str) -> str:
    return text if len(text) <= SAMPLE_CELL_WIDTH else text[: SAMPLE_CELL_WIDTH - 1] + "…"
