"""The ruled-text reader: tables without vertical rules (three-line tables), their grid rebuilt
from the horizontal rules and the text's positions.

Camelot's lattice flavor needs ruled cells, and its stream flavor drops empty
columns and merges headers. Here the horizontal rules bound the header and the
body; the header's lowest words define the columns; every body word goes to the
column it overlaps; rows are anchored on the columns whose cells never wrap,
and text blocks that span several rows (merged cells, drawn vertically centred
on their rows) are given the rows they are centred on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.grids.lattice import PageTable
from extract.grids.ruled_text_columns import column_ranges, header_grid, leaf_columns
from extract.grids.ruled_text_rows import body_grid
from extract.grids.ruled_text_segments import Segment, page_segments
from extract.pdf.pdfium_pages import OpenPage, opened_pages, path_bounds, text_in, user_to_displayed
from extract.tables.cells import find_unit
from extract.tables.kinds import read_heading

# The `flavor` of the grids read here, as stored in raw.tables.flavor (docs/raw_contract.md):
# Camelot's are `lattice`.
RULED_TEXT_FLAVOR = "rules"


@dataclass
class Rule:
    x0: float
    x1: float
    y: float


def read_ruled_text_tables(
    path: Path, pages: list[int], merged_column_words: tuple[str, ...] = ()
) -> list[PageTable]:
    """Grids of the three-line tables on the given pages (none where a page has no such rules).

    `merged_column_words`: header words of columns whose cells span several rows
    (a project's name over its indicators); only there is text spread over rows.
    """
    result: list[PageTable] = []
    with opened_pages(path, pages) as opened:
        for page in opened:
            width, height = page.page.get_size()
            rules = _horizontal_rules(page, width)
            if len(rules) < 2:
                continue
            segments = page_segments(page)
            ceiling = height
            for group in _rule_groups(rules, page, width):
                table = _table_between(page.number, group, segments, merged_column_words)
                if table is None:
                    continue
                top, bottom = group[0].y, group[-1].y
                table.index_on_page = len([t for t in result if t.page == page.number])
                table.text_above = text_in(page, (0, top, width, ceiling))
                table.text_below = text_in(page, (0, 0, width, bottom))
                ceiling = bottom
                result.append(table)
    return result


def _rule_groups(rules: list[Rule], page: OpenPage, width: float) -> list[list[Rule]]:
    """Rules split into tables: a table title or unit line between two rules starts a new table."""
    groups: list[list[Rule]] = [[rules[0]]]
    for upper, lower in zip(rules, rules[1:], strict=False):
        between = text_in(page, (0, lower.y, width, upper.y))
        if read_heading(between).title is not None or find_unit(between):
            groups.append([])
        groups[-1].append(lower)
    return groups


def _horizontal_rules(page: OpenPage, width: float) -> list[Rule]:
    """Wide, thin drawn lines, top first."""
    rules = []
    for bounds in path_bounds(page.page):
        x0, y0, x1, y1 = user_to_displayed(page.page, bounds)
        if y1 - y0 <= 2.0 and x1 - x0 >= 0.4 * width:
            rules.append(Rule(x0, x1, (y0 + y1) / 2))
    rules.sort(key=lambda r: -r.y)
    return rules


def _table_between(
    page: int, rules: list[Rule], segments: list[Segment], merged_column_words: tuple[str, ...]
) -> PageTable | None:
    if len(rules) < 3:
        return None  # without a rule under the header nothing tells header from body
    top, header_rule, bottom = rules[0], rules[1], rules[-1]
    inside = [s for s in segments if top.x0 - 2 <= s.xc <= top.x1 + 2]
    header = [s for s in inside if header_rule.y < s.yc < top.y]
    body = [s for s in inside if bottom.y < s.yc < header_rule.y]
    if not header or not body:
        return None
    leaves = leaf_columns(header, body)
    if len(leaves) < 2:
        return None
    columns = column_ranges(leaves, body)
    header_rows = header_grid(header, leaves, columns, header_rule.y)
    merged = {
        c
        for c in range(len(columns))
        if any(w in "".join(row[c].raw_text for row in header_rows) for w in merged_column_words)
    }
    grid = header_rows + body_grid(body, columns, merged, (header_rule.y, bottom.y))
    return PageTable(
        page=page,
        index_on_page=0,
        flavor=RULED_TEXT_FLAVOR,
        bbox=(top.x0, bottom.y, top.x1, top.y),
        grid=grid,
        n_header=len(header_rows),
    )
