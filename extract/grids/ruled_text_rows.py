"""The ruled-text reader's body rows: anchored on cells that never wrap; wrapped and merged cells
placed on the rows they are centred on."""

from __future__ import annotations

from statistics import median

from extract.grids.lattice import GridCell
from extract.grids.ruled_text_columns import column_of
from extract.grids.ruled_text_segments import ATOMIC, SAME_LINE, Segment, text_lines


def body_grid(
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
        by_column[column_of(seg, columns)].append(seg)
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
            if not any(bottom_y - SAME_LINE <= y <= top_y + SAME_LINE for y in row_ys):
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
    return len(block) == 1 and bool(ATOMIC.match(block[0].text))


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
    return "".join(" ".join(seg.text for seg in line) for line in text_lines(block))


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
    for line in text_lines(segments):
        if blocks and blocks[-1][-1].yc - line[0].yc < pitch:
            blocks[-1].extend(line)
        else:
            blocks.append(list(line))
    return blocks


def _cluster(values: list[float]) -> list[float]:
    """Distinct row positions, top first."""
    result: list[float] = []
    for v in sorted(values, reverse=True):
        if not result or result[-1] - v >= SAME_LINE:
            result.append(v)
    return result
