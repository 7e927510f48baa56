"""Tables drawn inside a page frame: title, label and unit printed in the grid's first rows.

Some volumes (Beijing's 预算报表) draw each page as one ruled frame, so Camelot
returns the title line (`预算01表 收支总表`) and the unit line (`金额单位：万元`) as
grid rows, with empty margin rows and columns around the table. Those rows are
the table's heading, not its header: they are moved to the text above it, and
the margins are dropped, so the table reads like one printed under its title.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.grids.lattice import PageTable
from extract.tables.cells import find_unit, parse_amount
from extract.tables.kinds import classify_title, read_heading, starts_with_table_number
from extract.text import compact

_YEAR_LINE = re.compile(r"^\(?20\d{2}年度?\)?$")


def unframe_all(tables: list[PageTable]) -> list[PageTable]:
    """Framed tables without their heading rows and empty margin columns; a page after one, without
    a heading, loses its empty margin columns only where that gives the framed table's columns
    (a continuation page drawn in the same frame), so an empty column of figures stays a column."""
    result: list[PageTable] = []
    framed_cols: int | None = None
    for table in tables:
        if _heading_row_count(table):
            table = _without_heading_rows(_without_empty_edge_columns(table))
            framed_cols = table.n_cols
        elif framed_cols is not None and table.n_cols != framed_cols:
            trimmed = _without_empty_edge_columns(table)
            table = trimmed if trimmed.n_cols == framed_cols else table
        result.append(table)
    return result


def _without_heading_rows(table: PageTable) -> PageTable:
    heading = _heading_row_count(table)
    if not heading:
        return table
    lines = [" ".join(cell.text for cell in row if cell.text) for row in table.grid[:heading]]
    above = "\n".join(filter(None, [table.text_above.rstrip("\n"), *filter(None, lines)]))
    return replace(table, grid=table.grid[heading:], text_above=above)


def is_heading_text(text: str) -> bool:
    """A title, table number, unit or year line (text printed above a table, not in its header)."""
    line = compact(text)
    if not line or parse_amount(line).text:
        return False
    heading = read_heading(line)
    return bool(
        heading.title
        or heading.label
        or classify_title(line)
        or starts_with_table_number(line)
        or find_unit(line)
        or _YEAR_LINE.match(line)
    )


def _heading_row_count(table: PageTable) -> int:
    """Leading rows that are empty or hold only heading text; 0 unless one of them holds a heading.

    Rule-bounded tables (n_header known) have their heading outside already.
    """
    if table.n_header is not None:
        return 0
    count = found = 0
    for row in table.grid:
        texts = [cell.text for cell in row if compact(cell.text)]
        if texts and not all(is_heading_text(t) for t in texts):
            break
        count += 1
        found = found or bool(texts)
    return count if found and count < len(table.grid) else 0


def _without_empty_edge_columns(table: PageTable) -> PageTable:
    """Drop the frame's margin columns: first or last columns with no text in any row."""
    if not table.grid or not table.n_cols:
        return table
    filled = [any(compact(row[c].text) for row in table.grid) for c in range(table.n_cols)]
    if all(filled) or not any(filled):
        return table
    first = filled.index(True)
    last = len(filled) - filled[::-1].index(True)
    grid = [row[first:last] for row in table.grid]
    if first:
        for row in grid:
            row[0] = replace(row[0], left=True)  # its left neighbour is gone: the cell starts here
    return replace(table, grid=grid)
