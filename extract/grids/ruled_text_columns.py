"""The ruled-text reader's columns: the header's lowest words name them, the body's text widens them;
the header rows as a grid with merged cells where a word spans several columns."""

from __future__ import annotations

from extract.grids.lattice import GridCell
from extract.grids.ruled_text_segments import ATOMIC, SAME_LINE, Segment, overlap, text_lines


def _body_intervals(body: list[Segment]) -> list[tuple[float, float]]:
    """x-ranges covered by body text: columns are separated by gutters no body text crosses."""
    intervals: list[tuple[float, float]] = []
    for seg in sorted(body, key=lambda s: s.x0):
        if intervals and seg.x0 <= intervals[-1][1]:
            intervals[-1] = (intervals[-1][0], max(intervals[-1][1], seg.x1))
        else:
            intervals.append((seg.x0, seg.x1))
    return intervals


def leaf_columns(header: list[Segment], body: list[Segment]) -> list[Segment]:
    """The header words that name a column (no header word below them), left to right.

    A word wrapped over two header lines (基本支 / 出) counts once, as its lowest
    line; a spanning word that happens to sit over no lower word is told apart
    because a lower leaf claims the same body column.
    """
    leaves = [
        s
        for s in header
        if not any(
            o is not s and o.yc < s.yc - SAME_LINE and overlap(s.x0, s.x1, o.x0, o.x1) > 0 for o in header
        )
    ]
    intervals = _body_intervals(body)
    for interval in intervals:
        claimants = [s for s in leaves if overlap(interval[0], interval[1], s.x0, s.x1) > 0]
        if len(claimants) > 1:
            lowest = min(s.yc for s in claimants)
            leaves = [s for s in leaves if s not in claimants or s.yc < lowest + SAME_LINE]
    # A word with lower header words on both sides is a group title (收入 over 项目 | 预算数),
    # unless a column of figures stands under it alone: then it names that column (合计).
    figures = [b for b in body if ATOMIC.match(b.text)]
    lines = text_lines(header)
    for line in lines:
        for position, seg in enumerate(line):
            if seg not in leaves:
                continue
            own = [f for f in figures if overlap(f.x0, f.x1, seg.x0, seg.x1) > 0]
            if own and not any(
                o is not seg and overlap(o.x0, o.x1, f.x0, f.x1) > 0 for f in own for o in leaves
            ):
                continue
            left = (line[position - 1].x1 + seg.x0) / 2 if position > 0 else -1e9
            right = (seg.x1 + line[position + 1].x0) / 2 if position + 1 < len(line) else 1e9
            lower = [o for o in header if o.y1 < seg.y0 and left <= o.xc <= right]  # wholly beneath it
            if any(o.x1 <= seg.x0 for o in lower) and any(o.x0 >= seg.x1 for o in lower):
                leaves.remove(seg)
    return sorted(leaves, key=lambda s: s.x0)


def column_ranges(leaves: list[Segment], body: list[Segment]) -> list[tuple[float, float]]:
    """Each column's x-range: its header word widened by the body text under it."""
    ranges = [(s.x0, s.x1) for s in leaves]
    for interval in _body_intervals(body):
        hits = [i for i, r in enumerate(ranges) if overlap(r[0], r[1], interval[0], interval[1]) > 0]
        if len(hits) == 1:
            i = hits[0]
            ranges[i] = (min(ranges[i][0], interval[0]), max(ranges[i][1], interval[1]))
        elif not hits:
            centre = (interval[0] + interval[1]) / 2
            i = min(range(len(ranges)), key=lambda k: abs((ranges[k][0] + ranges[k][1]) / 2 - centre))
            ranges[i] = (min(ranges[i][0], interval[0]), max(ranges[i][1], interval[1]))
    return ranges


def column_of(seg: Segment, columns: list[tuple[float, float]]) -> int:
    best = max(range(len(columns)), key=lambda i: overlap(columns[i][0], columns[i][1], seg.x0, seg.x1))
    if overlap(columns[best][0], columns[best][1], seg.x0, seg.x1) > 0:
        return best
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - seg.xc))


def header_grid(
    header: list[Segment], leaves: list[Segment], columns: list[tuple[float, float]], header_rule_y: float
) -> list[list[GridCell]]:
    """One grid row per header line; a spanning word becomes a merged cell over its columns.

    A leaf's cell reaches down to the header rule and its text is centred in it,
    so its cell starts as far above its text as the rule is below: a spanning
    word covers the contiguous columns whose leaf cells start below its line.
    """
    leaf_top = [2 * s.yc - header_rule_y for s in leaves]
    lines = text_lines(header)
    rows: list[list[GridCell]] = []
    for line_no, line in enumerate(lines):
        row = [GridCell("") for _ in columns]
        for position, seg in enumerate(line):
            if any(seg is leaf for leaf in leaves):
                row[column_of(seg, columns)].raw_text += seg.text
                continue
            left_limit = (line[position - 1].x1 + seg.x0) / 2 if position > 0 else -1e9
            right_limit = (seg.x1 + line[position + 1].x0) / 2 if position + 1 < len(line) else 1e9
            home = column_of(seg, columns)
            free = [
                leaf_top[i] < seg.yc - SAME_LINE and left_limit <= (c[0] + c[1]) / 2 <= right_limit
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
