"""From Camelot page tables to logical tables: headers found, continuations stitched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.grids.lattice import GridCell, PageTable
from extract.tables.cells import is_amount_text, split_code_name
from extract.tables.kinds import TableHeading, clean_title, read_heading
from extract.text import compact

_TOTAL_WORDS = ("合计", "总计")
# Enumerated line labels (一.一般公共服务支出, (一)…, 1.…) only occur in data rows.
_ITEM_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+[.、]|\([一二三四五六七八九十]+\)|\d{1,2}[.、])\S")


@dataclass
class SourceRow:
    """A data row of a logical table and where it was printed."""

    page: int
    page_table_index: int
    source_row: int
    raw: list[str]  # cell texts exactly as Camelot returned them
    texts: list[str]  # normalized, with text of cells merged downwards copied into every cell they span
    wide_texts: list[str]  # as texts, and text of cells merged rightwards copied too (for labels only)


@dataclass
class LogicalTable:
    kind: str | None
    title: str | None
    label: str | None
    unit: str | None
    header_rows: list[list[str]]  # merged cells filled in
    parts: list[PageTable] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    # Printed rows joined into the row above them (a label broken across a page break).
    joined: dict[tuple[int, int, int], int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # 本表为空表 … printed inside the grid

    @property
    def page_first(self) -> int:
        return self.parts[0].page

    @property
    def page_last(self) -> int:
        return self.parts[-1].page

    @property
    def n_cols(self) -> int:
        return self.parts[0].n_cols

    def header_paths(self) -> list[list[str]]:
        """Each column's header texts from top to bottom, merged cells repeated.

        Header words in one cell beside as many empty header cells (`小计 基本支出 项目支出` | `` | ``)
        are text that ran over the cell borders: each word is given back to its column.
        """
        rows = [list(row) for row in self.header_rows]
        for r, row in enumerate(rows):
            for col in range(len(row)):
                words = row[col].split(" ")
                if len(words) < 2 or not all(len(w) >= 2 for w in words):
                    continue
                # The words spread from the cell Camelot put them in (often the middle one) over
                # cells that are empty on this line and share the same parent above.
                n = len(words)
                starts = sorted(
                    range(max(0, col - n + 1), min(col, len(row) - n) + 1),
                    key=lambda start: abs(start + (n - 1) / 2 - col),
                )
                for start in starts:
                    span = [c for c in range(start, start + n) if c != col]
                    if all(not row[c] and all(rows[p][c] == rows[p][col] for p in range(r)) for c in span):
                        row[start : start + n] = words
                        break
        return [[row[col] for row in rows] for col in range(self.n_cols)]


def is_data_row(texts: list[str]) -> bool:
    """A row holding figures, a classification code or a total line, not a header."""
    if any(is_amount_text(text) for text in texts):
        return True
    if any(split_code_name(text, "")[0] is not None for text in texts[:2]):
        return True
    if any(_ITEM_LABEL.match(compact(text)) for text in texts):
        return True
    # An empty table still prints its 合计 line: a total word alone on the row.
    filled = [compact(text) for text in texts if compact(text)]
    return len(filled) == 1 and filled[0] in _TOTAL_WORDS


_NOTE_WORDS = ("本表", "空表", "无数据", "注:", "注：")


def is_note_row(texts: list[str]) -> bool:
    """A note printed across the grid (本表为空表 / 本表无数据), neither header nor data."""
    filled = {compact(t) for t in texts if compact(t)}
    return len(filled) == 1 and any(w in next(iter(filled)) for w in _NOTE_WORDS)


def header_row_count(table: PageTable) -> int:
    """Leading rows before the first data row (or a note row in an empty table)."""
    if table.n_header is not None:
        return table.n_header
    for index, row in enumerate(table.texts()):
        if is_data_row(row) or is_note_row(row):
            return index
    return table.n_rows


def fill_merged(grid: list[list[GridCell]], horizontal: bool = True) -> list[list[str]]:
    """Texts with merged cells' text copied into every cell they span.

    In data rows only downward spans are filled (a project's name over its
    indicator rows); a label spanning columns (合计 over 类|款|项) must not
    reappear in the cells beside it.
    """
    texts = [[cell.text for cell in row] for row in grid]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if texts[r][c]:
                continue
            if not cell.left and c > 0:
                if horizontal:
                    texts[r][c] = texts[r][c - 1]
            elif not cell.top and r > 0:
                texts[r][c] = texts[r - 1][c]
    return texts


def stitch(page_tables: list[PageTable]) -> list[LogicalTable]:
    """Group page tables into logical tables.

    A table with a recognizable title above it starts a new logical table; one
    without a title continues the previous table when its columns agree (the
    header repeated on the next page, or not at all).
    """
    tables: list[LogicalTable] = []
    for part in page_tables:
        heading = read_heading(part.text_above)
        if heading.title is None and part.grid:
            inside = read_heading(part.grid[0][0].text)  # a form prints its title in its first row
            if inside.title is not None:
                heading = TableHeading(inside.kind, inside.title, heading.label, heading.unit)
        n_header = header_row_count(part)
        current = tables[-1] if tables else None
        continues = (
            current is not None
            and current.n_cols == part.n_cols
            and part.page - current.page_last <= 1
            and (heading.title is None or repeats_heading(current, heading, part, n_header))
        )
        if not continues:
            if heading.label is None and current is not None:
                # A label (公开04表) can sit at the foot of the previous page, its title on this one.
                below = read_heading(current.parts[-1].text_below)
                heading = TableHeading(heading.kind, heading.title, below.label, heading.unit)
            current = _new_table(heading, part, n_header)
            tables.append(current)
        else:
            current.parts.append(part)
            n_header = _repeated_header_rows(current, part)
        filled = fill_merged(part.grid, horizontal=False)
        wide = fill_merged(part.grid)
        for r in range(n_header, part.n_rows):
            raw = [cell.raw_text for cell in part.grid[r]]
            row = SourceRow(part.page, part.index_on_page, r, raw, filled[r], wide[r])
            if is_note_row(row.texts):
                current.notes.append(compact(row.texts[0] or next(t for t in row.texts if t)))
                continue
            if continues and r == n_header and current.rows and _continues_label(current, row):
                _join(current, row)
                continue
            current.rows.append(row)
    for table in tables:
        _rejoin_enumerations(table)
    for previous, table in zip(tables, tables[1:], strict=False):
        # The unit is printed once above a table; a table without one keeps the document's last.
        table.unit = table.unit or previous.unit
    return tables


_LABEL_ENDINGS = ("支出", "收入", "经费", "资金", "费", "合计", "小计", "总计", "补助", "缴费", "金")


def repeats_heading(table: LogicalTable, heading: TableHeading, part: PageTable, n_header: int) -> bool:
    """A page whose title and header repeat the table's (a title printed on every page) continues it.

    The titles agree when one holds the other once labels and years are stripped (表1 … 单位:元
    read as one line); the labels, where both print one, are the same; every header row of the page
    is one of the table's header rows.
    """
    if heading.kind != table.kind or table.title is None or heading.title is None:
        return False
    if heading.label and table.label and compact(heading.label) != compact(table.label):
        return False
    mine, theirs = clean_title(heading.title), clean_title(table.title)
    if not (mine and theirs and (mine in theirs or theirs in mine)):
        return False
    return n_header == len(table.header_rows) and _repeated_header_rows(table, part) == n_header


def _continues_label(table: LogicalTable, row: SourceRow) -> bool:
    """The first row of a continuation page holds only the rest of the label broken at the page break.

    It has no figures and no code, and its text is not a line of its own
    (no enumeration, no total); the row above it, whose label it completes, has figures.
    """
    texts = [compact(t) for t in row.texts]
    filled = [t for t in texts if t]
    if len(filled) != 1 or is_data_row(row.texts) or filled[0] in ("无", "合计", "总计"):
        return False
    previous = table.rows[-1]
    if not any(is_amount_text(t) for t in previous.texts):
        return False
    index = texts.index(filled[0])
    above = compact(previous.texts[index])
    return bool(above) and not above.endswith(_LABEL_ENDINGS)


def _join(table: LogicalTable, row: SourceRow) -> None:
    previous = table.rows[-1]
    for i, text in enumerate(row.texts):
        if compact(text):
            previous.texts[i] = previous.texts[i] + text
            previous.wide_texts[i] = previous.wide_texts[i] + text
            previous.raw[i] = previous.raw[i] + row.raw[i]
    table.joined[(row.page, row.page_table_index, row.source_row)] = len(table.rows) - 1


_TRAILING_NUMERAL = re.compile(r"^(.*\S)\s+([一二三四五六七八九十]{1,3})$")


def _rejoin_enumerations(table: LogicalTable) -> None:
    """An enumeration wrapped onto the line above (`七、…支出 八` / `、社会保障…`) goes back to its label."""
    for upper, lower in zip(table.rows, table.rows[1:], strict=False):
        for col, text in enumerate(upper.texts):
            match = _TRAILING_NUMERAL.match(text)
            if match and lower.texts[col].startswith("、"):
                upper.texts[col] = upper.wide_texts[col] = match.group(1)
                lower.texts[col] = lower.wide_texts[col] = match.group(2) + lower.texts[col]


def _new_table(heading: TableHeading, part: PageTable, n_header: int) -> LogicalTable:
    header = fill_merged(part.grid[:n_header]) if n_header else []
    return LogicalTable(
        kind=heading.kind,
        title=heading.title,
        label=heading.label,
        unit=heading.unit,
        header_rows=header,
        parts=[part],
    )


def _repeated_header_rows(table: LogicalTable, part: PageTable) -> int:
    """How many leading rows of a continuation page repeat the table's header."""
    header = {
        tuple(compact(t) for t in row) for row in fill_merged(table.parts[0].grid[: len(table.header_rows)])
    }
    texts = fill_merged(part.grid)
    count = 0
    while count < len(texts) and tuple(compact(t) for t in texts[count]) in header:
        count += 1
    return count
