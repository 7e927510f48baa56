"""Tables without vertical rules (three-line tables): a grid rebuilt from text positions.

Camelot's lattice flavor needs ruled cells, and its stream flavor drops empty
columns and merges headers. Here the horizontal rules bound the header and the
body; the header's lowest words define the columns; every body word goes to the
column it overlaps; rows are anchored on the columns whose cells never wrap,
and text blocks that span several rows (merged cells, drawn vertically centred
on their rows) are given the rows they are centred on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium

from extract.grids.lattice import GridCell, PageTable, text_in, user_to_displayed
from extract.tables.cells import find_unit
from extract.tables.kinds import read_heading

_SAME_LINE = 2.5  # points: segments whose vertical centres differ less share a line
_WORD_GAP = 2.0  # points: a smaller horizontal gap joins two characters into one segment


@dataclass
class Segment:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Rule:
    x0: float
    x1: float
    y: float


def read_rule_tables(
    path: Path, pages: list[int], merged_column_words: tuple[str, ...] = ()
) -> list[PageTable]:
    """Grids of the three-line tables on the given pages (none where a page has no such rules).

    `merged_column_words`: header words of columns whose cells span several rows
    (a project's name over its indicators); only there is text spread over rows.
    """
    result: list[PageTable] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in pages:
            page = pdf[number - 1]
            width, height = page.get_size()
            rules = _horizontal_rules(page, width)
            if len(rules) >= 2:
                textpage = page.get_textpage()
                segments = _segments(page, textpage)
                ceiling = height
                for group in _rule_groups(rules, page, textpage, width):
                    table = _table_between(number, group, segments, merged_column_words)
                    if table is None:
                        continue
                    top, bottom = group[0].y, group[-1].y
                    table.index_on_page = len([t for t in result if t.page == number])
                    table.text_above = text_in(page, textpage, (0, top, width, ceiling))
                    table.text_below = text_in(page, textpage, (0, 0, width, bottom))
                    ceiling = bottom
                    result.append(table)
                textpage.close()
            page.close()
    finally:
        pdf.close()
    return result


def _rule_groups(
    rules: list[Rule], page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, width: float
) -> list[list[Rule]]:
    """Rules split into tables: a table title or unit line between two rules starts a new table."""
    groups: list[list[Rule]] = [[rules[0]]]
    for upper, lower in zip(rules, rules[1:], strict=False):
        between = text_in(page, textpage, (0, lower.y, width, upper.y))
        if read_heading(between).title is not None or find_unit(between):
            groups.append([])
        groups[-1].append(lower)
    return groups


def _horizontal_rules(page: pdfium.PdfPage, width: float) -> list[Rule]:
    """Wide, thin drawn lines, top first."""
    rules = []
    for obj in page.get_objects():
        if obj.type != pdfium.raw.FPDF_PAGEOBJ_PATH:
            continue
        x0, y0, x1, y1 = user_to_displayed(page, obj.get_bounds())
        if y1 - y0 <= 2.0 and x1 - x0 >= 0.4 * width:
            rules.append(Rule(x0, x1, (y0 + y1) / 2))
    rules.sort(key=lambda r: -r.y)
    return rules


def _segments(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[Segment]:
    """Characters joined into the phrases a reader sees (one per cell line).

    Built from character boxes, not pdfium's text rectangles: those follow the
    drawing order, which need not be the reading order.
    """
    chars = []
    text = textpage.get_text_range()
    for i in range(textpage.count_chars()):
        char = text[i] if i < len(text) else ""
        if not char.strip():
            continue
        # The font box (loose): one height per line; in the page's displayed orientation.
        x0, y0, x1, y1 = user_to_displayed(page, textpage.get_charbox(i, loose=True))
        chars.append(Segment(x0, x1, y0, y1, char))
    merged: list[Segment] = []
    for line in _lines(chars):
        current = line[0]
        for char in line[1:]:
            if char.x0 - current.x1 < _WORD_GAP:
                current = Segment(
                    current.x0,
                    char.x1,
                    min(current.y0, char.y0),
                    max(current.y1, char.y1),
                    current.text + char.text,
                )
            else:
                merged.append(current)
                current = char
        merged.append(current)
    return [part for seg in merged for part in _split_glued(seg)]


_GLUED = re.compile(r"^(-?[\d,]*\d\.\d+)(?=[^\d.,%])")


def _split_glued(seg: Segment) -> list[Segment]:
    """An amount printed flush against the next cell's label (717.78一.一般…) is two cells."""
    match = _GLUED.match(seg.text)
    if not match:
        return [seg]
    cut = seg.x0 + (seg.x1 - seg.x0) * len(match.group(1)) / len(seg.text)
    rest = seg.text[match.end() :]
    return [
        Segment(seg.x0, cut, seg.y0, seg.y1, match.group(1)),
        Segment(cut + 0.5, seg.x1, seg.y0, seg.y1, rest),
    ]


def _lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into text lines, top first."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: -s.yc):
        if lines and abs(median(s.yc for s in lines[-1]) - seg.yc) < _SAME_LINE:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    return [sorted(line, key=lambda s: s.x0) for line in lines]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


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
    leaves = _leaf_columns(header, body)
    if len(leaves) < 2:
        return None
    columns = _column_ranges(leaves, body)
    header_rows = _header_grid(header, leaves, columns, header_rule.y)
    merged = {
        c
        for c in range(len(columns))
        if any(w in "".join(row[c].raw_text for row in header_rows) for w in merged_column_words)
    }
    grid = header_rows + _body_grid(body, columns, merged, (header_rule.y, bottom.y))
    return PageTable(
        page=page,
        index_on_page=0,
        flavor="rules",
        bbox=(top.x0, bottom.y, top.x1, top.y),
        grid=grid,
        n_header=len(header_rows),
    )


def _body_intervals(body: list[Segment]) -> list[tuple[float, float]]:
    """x-ranges covered by body text: columns are separated by gutters no body text crosses."""
    intervals: list[tuple[float, float]] = []
    for seg in sorted(body, key=lambda s: s.x0):
        if intervals and seg.x0 <= intervals[-1][1]:
            intervals[-1] = (intervals[-1][0], max(intervals[-1][1], seg.x1))
        else:
            intervals.append((seg.x0, seg.x1))
    return intervals


def _leaf_columns(header: list[Segment], body: list[Segment]) -> list[Segment]:
    """The header words that name a column (no header word below them), left to right.

    A word wrapped over two header lines (基本支 / 出) counts once, as its lowest
    line; a spanning word that happens to sit over no lower word is told apart
    because a lower leaf claims the same body column.
    """
    leaves = [
        s
        for s in header
        if not any(
            o is not s and o.yc < s.yc - _SAME_LINE and _overlap(s.x0, s.x1, o.x0, o.x1) > 0 for o in header
        )
    ]
    intervals = _body_intervals(body)
    for interval in intervals:
        claimants = [s for s in leaves if _overlap(interval[0], interval[1], s.x0, s.x1) > 0]
        if len(claimants) > 1:
            lowest = min(s.yc for s in claimants)
            leaves = [s for s in leaves if s not in claimants or s.yc < lowest + _SAME_LINE]
    # A word with lower header words on both sides is a group title (收入 over 项目 | 预算数),
    # unless a column of figures stands under it alone: then it names that column (合计).
    figures = [b for b in body if _ATOMIC.match(b.text)]
    lines = _lines(header)
    for line in lines:
        for position, seg in enumerate(line):
            if seg not in leaves:
                continue
            own = [f for f in figures if _overlap(f.x0, f.x1, seg.x0, seg.x1) > 0]
            if own and not any(
                o is not seg and _overlap(o.x0, o.x1, f.x0, f.x1) > 0 for f in own for o in leaves
            ):
                continue
            left = (line[position - 1].x1 + seg.x0) / 2 if position > 0 else -1e9
            right = (seg.x1 + line[position + 1].x0) / 2 if position + 1 < len(line) else 1e9
            lower = [o for o in header if o.y1 < seg.y0 and left <= o.xc <= right]  # wholly beneath it
            if any(o.x1 <= seg.x0 for o in lower) and any(o.x0 >= seg.x1 for o in lower):
                leaves.remove(seg)
    return sorted(leaves, key=lambda s: s.x0)


def _column_ranges(leaves: list[Segment], body: list[Segment]) -> list[tuple[float, float]]:
    """Each column's x-range: its header word widened by the body text under it."""
    ranges = [(s.x0, s.x1) for s in leaves]
    for interval in _body_intervals(body):
        hits = [i for i, r in enumerate(ranges) if _overlap(r[0], r[1], interval[0], interval[1]) > 0]
        if len(hits) == 1:
            i = hits[0]
            ranges[i] = (min(ranges[i][0], interval[0]), max(ranges[i][1], interval[1]))
        elif not hits:
            centre = (interval[0] + interval[1]) / 2
            i = min(range(len(ranges)), key=lambda k: abs((ranges[k][0] + ranges[k][1]) / 2 - centre))
            ranges[i] = (min(ranges[i][0], interval[0]), max(ranges[i][1], interval[1]))
    return ranges


def _column_of(seg: Segment, columns: list[tuple[float, float]]) -> int:
    best = max(range(len(columns)), key=lambda i: _overlap(columns[i][0], columns[i][1], seg.x0, seg.x1))
    if _overlap(columns[best][0], columns[best][1], seg.x0, seg.x1) > 0:
        return best
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - seg.xc))


def _header_grid(
    header: list[Segment], leaves: list[Segment], columns: list[tuple[float, float]], header_rule_y: float
) -> list[list[GridCell]]:
    """One grid row per header line; a spanning word becomes a merged cell over its columns.

    A leaf's cell reaches down to the header rule and its text is centred in it,
    so its cell starts as far above its text as the rule is below: a spanning
    word covers the contiguous columns whose leaf cells start below its line.
    """
    leaf_top = [2 * s.yc - header_rule_y for s in leaves]
    lines = _lines(header)
    rows: list[list[GridCell]] = []
    for line_no, line in enumerate(lines):
        row = [GridCell("") for _ in columns]
        for position, seg in enumerate(line):
            if any(seg is leaf for leaf in leaves):
                row[_column_of(seg, columns)].raw_text += seg.text
                continue
            left_limit = (line[position - 1].x1 + seg.x0) / 2 if position > 0 else -1e9
            right_limit = (seg.x1 + line[position + 1].x0) / 2 if position + 1 < len(line) else 1e9
            home = _column_of(seg, columns)
            free = [
                leaf_top[i] < seg.yc - _SAME_LINE and left_limit <= (c[0] + c[1]) / 2 <= right_limit
                for i, c in enumerate(columns)
            ]
            if not free[home]:
                row[home].raw_text += seg.text  # a wrapped line of a leaf header
                continue
            first = last = home
            while first > 0 and free[first - 1]:
                first -= 1
            while last + 1 < len(columns) and free[last + 1]:
                last += 1
            row[first].raw_text += seg.text
            for i in range(first + 1, last + 1):
                row[i].left = False
        rows.append(row)
        del line_no
    # Empty cells under a header word continue it downwards (a word centred over several lines).
    for r in range(1, len(rows)):
        for c in range(len(columns)):
            if not rows[r][c].raw_text and (rows[r - 1][c].raw_text or not rows[r - 1][c].top):
                rows[r][c].top = False
                rows[r][c].left = rows[r - 1][c].left
    return rows


_ATOMIC = re.compile(r"^(?:[-(]?[\d,]+(?:\.\d+)?\)?|[≥≤=<>＝]|定性|-|—)$")


def _body_grid(
    body: list[Segment], columns: list[tuple[float, float]], merged: set[int], extent: tuple[float, float]
) -> list[list[GridCell]]:
    """Body rows anchored on atomic cells (numbers, codes, operators); other text placed by position.

    Text in a column is cut into blocks of closely spaced lines (a wrapped cell).
    A block that no anchored row overlaps makes a row of its own, except in
    merged columns, whose blocks are centred on the rows they span: there the
    blocks tile the rows top to bottom, each over the rows it is centred on.
    """
    by_column: dict[int, list[Segment]] = {i: [] for i in range(len(columns))}
    for seg in body:
        by_column[_column_of(seg, columns)].append(seg)
    height = median(s.y1 - s.y0 for s in body)
    blocks = {c: _blocks(segs, 1.5 * height) for c, segs in by_column.items()}
    atomic_counts = {c: sum(1 for b in bl if _is_atomic(b)) for c, bl in blocks.items()}
    anchor = max(atomic_counts, key=lambda c: atomic_counts[c])
    row_ys = _cluster([b[0].yc for b in blocks[anchor] if _is_atomic(b)])
    for c, column_blocks in blocks.items():
        if c in merged:
            continue
        for block in column_blocks:
            top_y, bottom_y = max(s.y1 for s in block), min(s.y0 for s in block)
            if not any(bottom_y - _SAME_LINE <= y <= top_y + _SAME_LINE for y in row_ys):
                row_ys = _cluster([*row_ys, (top_y + bottom_y) / 2])
    bounds = _row_bounds(row_ys, extent)
    grid = [[GridCell("") for _ in columns] for _ in row_ys]
    for c, column_blocks in blocks.items():
        spans = (
            _merged_spans(column_blocks, bounds)
            if c in merged
            else [(_nearest_row(_centre(b), bounds),) * 2 for b in column_blocks]
        )
        for block, (first, last) in zip(column_blocks, spans, strict=True):
            grid[first][c].raw_text += _block_text(block)
            for r in range(first + 1, last + 1):
                grid[r][c].top = False  # continues the merged cell above
    return grid


def _is_atomic(block: list[Segment]) -> bool:
    """One number, code, dash or comparison operator: a cell that never wraps."""
    return len(block) == 1 and bool(_ATOMIC.match(block[0].text))


def _row_bounds(row_ys: list[float], extent: tuple[float, float]) -> list[tuple[float, float]]:
    """Each row's vertical band: half-way to its neighbours; the rules close the first and last."""
    bounds = []
    for i, y in enumerate(row_ys):
        upper = (row_ys[i - 1] + y) / 2 if i > 0 else extent[0]
        lower = (row_ys[i + 1] + y) / 2 if i + 1 < len(row_ys) else extent[1]
        bounds.append((upper, lower))
    return bounds


def _nearest_row(y: float, bounds: list[tuple[float, float]]) -> int:
    return min(range(len(bounds)), key=lambda r: abs((bounds[r][0] + bounds[r][1]) / 2 - y))


def _centre(block: list[Segment]) -> float:
    return (max(s.y1 for s in block) + min(s.y0 for s in block)) / 2


def _block_text(block: list[Segment]) -> str:
    """A wrapped cell's lines joined; words on one line keep the space between them."""
    return "".join(" ".join(seg.text for seg in line) for line in _lines(block))


def _merged_spans(blocks: list[list[Segment]], bounds: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Rows each block occupies: one row each, unless the blocks tile the rows as centred merged cells."""
    centres = [_centre(b) for b in blocks]
    single = [(_nearest_row(c, bounds),) * 2 for c in centres]
    if not blocks or len(blocks) >= len(bounds):
        return single
    spans = []
    start = 0
    tolerance = 0.5 * min(b[0] - b[1] for b in bounds)
    for centre in centres:
        if start >= len(bounds):
            return single
        best = min(
            range(start, len(bounds)), key=lambda end: abs((bounds[start][0] + bounds[end][1]) / 2 - centre)
        )
        if abs((bounds[start][0] + bounds[best][1]) / 2 - centre) > tolerance:
            return single
        spans.append((start, best))
        start = best + 1
    return spans if start == len(bounds) else single


def _blocks(segments: list[Segment], pitch: float) -> list[list[Segment]]:
    """Lines of one column that belong together: tightly spaced lines are one wrapped cell."""
    blocks: list[list[Segment]] = []
    for line in _lines(segments):
        if blocks and blocks[-1][-1].yc - line[0].yc < pitch:
            blocks[-1].extend(line)
        else:
            blocks.append(list(line))
    return blocks


def _cluster(values: list[float]) -> list[float]:
    """Distinct row positions, top first."""
    result: list[float] = []
    for v in sorted(values, reverse=True):
        if not result or result[-1] - v >= _SAME_LINE:
            result.append(v)
    return result
